import { and, eq, inArray, isNull, like, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, campaigns, clans, households, persons, units, users } from '../../db/schema/index.ts';
import type { AdminUnitRow } from './registry.repo.ts';

/**
 * SQL of onboarding: writing the administrative tree (create, rename, merge), edits of clans,
 * units and persons with a version check, and linking a user to a person.
 */

export async function insertUnit(db: Executor, row: typeof adminUnits.$inferInsert) {
  await db.insert(adminUnits).values(row);
}

export async function updateUnit(db: Executor, id: string, set: Partial<typeof adminUnits.$inferInsert>) {
  await db.update(adminUnits).set(set).where(eq(adminUnits.id, id));
}

/** Live children of a unit (a commune's ấp, an ấp's tổ: small sets). */
export async function liveChildren(db: Executor, parentId: string): Promise<AdminUnitRow[]> {
  return db
    .select()
    .from(adminUnits)
    .where(and(eq(adminUnits.parentId, parentId), isNull(adminUnits.effectiveTo)));
}

export async function openCampaignCount(db: Executor, communeIds: string[]): Promise<number> {
  if (communeIds.length === 0) return 0;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(campaigns)
    .where(and(inArray(campaigns.communeId, communeIds), eq(campaigns.status, 'open')));
  return r?.n ?? 0;
}

/**
 * Moves the live children of `source` (and their subtrees) under `target`: parent, legacy parent
 * and every path below. Returns how many children moved.
 */
export async function moveLiveChildren(db: Executor, source: AdminUnitRow, target: AdminUnitRow): Promise<number> {
  const kids = await liveChildren(db, source.id);
  for (const k of kids) {
    await db
      .update(adminUnits)
      .set({ path: sql`${target.path} || substr(${adminUnits.path}, ${source.path.length + 1})` })
      .where(like(adminUnits.path, `${k.path}%`));
  }
  if (kids.length)
    await db
      .update(adminUnits)
      .set({ parentId: target.id, legacyParentId: source.id })
      .where(
        inArray(
          adminUnits.id,
          kids.map((k) => k.id),
        ),
      );
  return kids.length;
}

/**
 * Re-homes a merged commune's registry in its successor. Names and import keys that would collide
 * with the successor's get the old commune's name appended, so both stay and stay distinguishable.
 */
export async function rehomeCommuneRegistry(
  db: Executor,
  sourceId: string,
  targetId: string,
  sourceLabel: string,
): Promise<number> {
  const suffix = ` (${sourceLabel})`;
  await db
    .update(clans)
    .set({ name: sql`${clans.name} || ${suffix}` })
    .where(
      and(
        eq(clans.communeId, sourceId),
        sql`${clans.name} in (select c2.name from clans c2 where c2.commune_id = ${targetId})`,
      ),
    );
  await db.update(clans).set({ communeId: targetId }).where(eq(clans.communeId, sourceId));
  await db
    .update(units)
    .set({ name: sql`${units.name} || ${suffix}` })
    .where(
      and(
        eq(units.communeId, sourceId),
        sql`${units.name} in (select u2.name from units u2 where u2.commune_id = ${targetId})`,
      ),
    );
  await db.update(units).set({ communeId: targetId }).where(eq(units.communeId, sourceId));
  const keySuffix = `@${sourceId.slice(0, 8)}`;
  await db
    .update(households)
    .set({ externalKey: sql`${households.externalKey} || ${keySuffix}` })
    .where(
      and(
        eq(households.communeId, sourceId),
        sql`${households.externalKey} in (select h2.external_key from households h2 where h2.commune_id = ${targetId})`,
      ),
    );
  const moved = await db
    .update(households)
    .set({ communeId: targetId })
    .where(eq(households.communeId, sourceId))
    .returning({ id: households.id });
  await db
    .update(persons)
    .set({ externalKey: sql`${persons.externalKey} || ${keySuffix}` })
    .where(
      and(
        eq(persons.communeId, sourceId),
        sql`${persons.externalKey} in (select p2.external_key from persons p2 where p2.commune_id = ${targetId} and p2.external_key is not null)`,
      ),
    );
  await db.update(persons).set({ communeId: targetId }).where(eq(persons.communeId, sourceId));
  return moved.length;
}

// ---- versioned edits ------------------------------------------------------------------------

/** Applies the edit only if the row still has `version`; false when someone else edited first. */
export async function updateClanVersioned(
  db: Executor,
  id: string,
  version: number,
  set: Partial<typeof clans.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(clans)
    .set({ ...set, version: version + 1 })
    .where(and(eq(clans.id, id), eq(clans.version, version)))
    .returning({ id: clans.id });
  return rows.length > 0;
}

export async function updateOrgUnitVersioned(
  db: Executor,
  id: string,
  version: number,
  set: Partial<typeof units.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(units)
    .set({ ...set, version: version + 1 })
    .where(and(eq(units.id, id), eq(units.version, version)))
    .returning({ id: units.id });
  return rows.length > 0;
}

export async function updatePersonVersioned(
  db: Executor,
  id: string,
  version: number,
  set: Partial<typeof persons.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(persons)
    .set({ ...set, version: version + 1 })
    .where(and(eq(persons.id, id), eq(persons.version, version)))
    .returning({ id: persons.id });
  return rows.length > 0;
}

// ---- person ↔ user --------------------------------------------------------------------------

/** Another user already linked to the person, if any. */
export async function userLinkedToPerson(db: Executor, personId: string, exceptUserId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.personId, personId), ne(users.id, exceptUserId)))
    .limit(1);
  return row;
}

export async function linkUserToPerson(
  db: Executor,
  userId: string,
  personId: string,
  householdId: string | null,
  at: Date,
) {
  await db
    .update(users)
    .set({ personId, ...(householdId ? { householdId } : {}), updatedAt: at })
    .where(eq(users.id, userId));
}

export async function personsByPhone(db: Executor, phone: string) {
  return db
    .select({ p: persons, settings: adminUnits.settings })
    .from(persons)
    .innerJoin(adminUnits, eq(adminUnits.id, persons.communeId))
    .where(eq(persons.phone, phone))
    .limit(20);
}
