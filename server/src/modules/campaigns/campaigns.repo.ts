import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, campaigns, households, persons, units, clans } from '../../db/schema/index.ts';

export type CampaignRow = typeof campaigns.$inferSelect;

export async function findCampaign(db: Executor, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

export async function findCampaignByCommuneYear(
  db: Executor,
  communeId: string,
  year: number,
): Promise<CampaignRow | undefined> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.communeId, communeId), eq(campaigns.year, year)));
  return row;
}

export async function listCampaigns(
  db: Executor,
  communeIds: string[] | 'all',
  filter: { communeId?: string; year?: number },
) {
  const conds = [];
  if (communeIds !== 'all') {
    if (communeIds.length === 0) return [];
    conds.push(inArray(campaigns.communeId, communeIds));
  }
  if (filter.communeId) conds.push(eq(campaigns.communeId, filter.communeId));
  if (filter.year) conds.push(eq(campaigns.year, filter.year));
  return db
    .select()
    .from(campaigns)
    .where(and(...conds))
    .orderBy(desc(campaigns.year), asc(campaigns.communeId))
    .limit(500);
}

/** Inserts unless (id) or (commune, year) exists; true when inserted. */
export async function insertCampaign(db: Executor, row: typeof campaigns.$inferInsert): Promise<boolean> {
  const r = await db.insert(campaigns).values(row).onConflictDoNothing().returning({ id: campaigns.id });
  return r.length > 0;
}

export async function updateCampaign(
  db: Executor,
  id: string,
  patch: Partial<typeof campaigns.$inferInsert>,
): Promise<CampaignRow | undefined> {
  const [row] = await db.update(campaigns).set(patch).where(eq(campaigns.id, id)).returning();
  return row;
}

export async function campaignHasAssessments(db: Executor, id: string): Promise<boolean> {
  const r = await db.execute<{ x: number }>(sql`select 1 as x from assessments where campaign_id = ${id} limit 1`);
  return rowsOf(r).length > 0;
}

export async function findAdminUnit(db: Executor, id: string) {
  const [row] = await db.select().from(adminUnits).where(eq(adminUnits.id, id));
  return row;
}

/**
 * Communes an actor has anything to do with: grants at any level (a tổ grant belongs to its
 * commune), the linked household, the linked person, clans and units they head.
 */
export async function communesTouchedBy(
  db: Executor,
  a: { grantUnitIds: string[]; householdId: string | null; personId: string | null; userId: string },
): Promise<string[]> {
  const out = new Set<string>();
  if (a.grantUnitIds.length > 0) {
    const grants = await db
      .select({ id: adminUnits.id, level: adminUnits.level, path: adminUnits.path })
      .from(adminUnits)
      .where(inArray(adminUnits.id, a.grantUnitIds));
    const pathIds = new Set<string>();
    for (const g of grants) {
      if (g.level === 'commune') out.add(g.id);
      for (const p of g.path.split('/').filter(Boolean)) pathIds.add(p);
      if (g.level === 'province') {
        const cs = await db
          .select({ id: adminUnits.id })
          .from(adminUnits)
          .where(and(eq(adminUnits.parentId, g.id), eq(adminUnits.level, 'commune')));
        cs.forEach((c) => out.add(c.id));
      }
    }
    if (pathIds.size > 0) {
      const cs = await db
        .select({ id: adminUnits.id })
        .from(adminUnits)
        .where(and(inArray(adminUnits.id, [...pathIds]), eq(adminUnits.level, 'commune')));
      cs.forEach((c) => out.add(c.id));
    }
  }
  if (a.householdId) {
    const [h] = await db.select({ c: households.communeId }).from(households).where(eq(households.id, a.householdId));
    if (h) out.add(h.c);
  }
  if (a.personId) {
    const [p] = await db.select({ c: persons.communeId }).from(persons).where(eq(persons.id, a.personId));
    if (p) out.add(p.c);
  }
  const headed = await db
    .select({ c: clans.communeId })
    .from(clans)
    .where(eq(clans.headUserId, a.userId))
    .union(db.select({ c: units.communeId }).from(units).where(eq(units.headUserId, a.userId)));
  headed.forEach((r) => out.add(r.c));
  return [...out];
}

/** node-postgres and PGlite shape raw results differently. */
export function rowsOf<T>(r: unknown): T[] {
  return Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []);
}
