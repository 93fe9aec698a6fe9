import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, clans, households, imports } from '../../db/schema/index.ts';

export type ImportRow = typeof imports.$inferSelect;

/** Hamlets and tổ of a commune (one query). */
export async function communeUnits(db: Executor, communePath: string) {
  return db
    .select({
      id: adminUnits.id,
      level: adminUnits.level,
      name: adminUnits.name,
      parentId: adminUnits.parentId,
      path: adminUnits.path,
    })
    .from(adminUnits)
    .where(and(like(adminUnits.path, `${communePath}%`), inArray(adminUnits.level, ['hamlet', 'group'])));
}

export async function communeClans(db: Executor, communeId: string) {
  return db.select({ id: clans.id, name: clans.name }).from(clans).where(eq(clans.communeId, communeId));
}

export async function communeHouseholds(db: Executor, communeId: string) {
  return db
    .select({
      id: households.id,
      externalKey: households.externalKey,
      hamletId: households.hamletId,
      groupId: households.groupId,
      headName: households.headName,
      address: households.address,
      memberCount: households.memberCount,
      phone: households.phone,
      clanId: households.clanId,
    })
    .from(households)
    .where(eq(households.communeId, communeId));
}

export async function insertImport(db: Executor, row: typeof imports.$inferInsert) {
  await db.insert(imports).values(row);
}

export async function findImport(db: Executor, id: string) {
  const [row] = await db.select().from(imports).where(eq(imports.id, id)).limit(1);
  return row;
}

/** Marks the import committed exactly once; false when it already was. */
export async function markCommitted(db: Executor, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(imports)
    .set({ status: 'committed', committedAt: at })
    .where(and(eq(imports.id, id), eq(imports.status, 'previewed')))
    .returning({ id: imports.id });
  return rows.length > 0;
}

export async function insertUnitsBatch(db: Executor, rows: (typeof adminUnits.$inferInsert)[]) {
  if (rows.length) await db.insert(adminUnits).values(rows);
}

export async function insertClansBatch(db: Executor, rows: (typeof clans.$inferInsert)[]) {
  if (rows.length) await db.insert(clans).values(rows).onConflictDoNothing();
}

/** Creates and updates in one statement per chunk, keyed by (commune, external key). */
export async function upsertHouseholds(db: Executor, rows: (typeof households.$inferInsert)[], chunk = 1000) {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insert(households)
      .values(rows.slice(i, i + chunk))
      .onConflictDoUpdate({
        target: [households.communeId, households.externalKey],
        set: {
          hamletId: sql`excluded.hamlet_id`,
          groupId: sql`excluded.group_id`,
          headName: sql`excluded.head_name`,
          address: sql`excluded.address`,
          memberCount: sql`excluded.member_count`,
          phone: sql`excluded.phone`,
          clanId: sql`excluded.clan_id`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}
