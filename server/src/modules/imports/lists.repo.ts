import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, households, imports, persons, units } from '../../db/schema/index.ts';

/** SQL of the person-list and unit-list imports (the household list has imports.repo.ts). */

export type PersonRow = typeof persons.$inferSelect;

export async function findListImport(db: Executor, id: string, kind: 'persons' | 'units') {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.id, id), eq(imports.kind, kind)))
    .limit(1);
  return row;
}

export async function liveProvincesAndCommunes(db: Executor) {
  return db
    .select()
    .from(adminUnits)
    .where(and(inArray(adminUnits.level, ['province', 'commune']), isNull(adminUnits.effectiveTo)));
}

export async function insertAdminUnits(db: Executor, rows: (typeof adminUnits.$inferInsert)[], chunk = 500) {
  for (let i = 0; i < rows.length; i += chunk) await db.insert(adminUnits).values(rows.slice(i, i + chunk));
}

export async function renameAdminUnit(db: Executor, id: string, set: { name: string; kind: string; code: string }) {
  await db.update(adminUnits).set(set).where(eq(adminUnits.id, id));
}

/** Households of a commune with their place, for resolving a person row to its household. */
export async function communeHouseholdIndex(db: Executor, communeId: string) {
  return db
    .select({
      id: households.id,
      externalKey: households.externalKey,
      hamletId: households.hamletId,
      groupId: households.groupId,
      headName: households.headName,
    })
    .from(households)
    .where(eq(households.communeId, communeId));
}

export async function communeOrgUnits(db: Executor, communeId: string) {
  return db.select({ id: units.id, name: units.name }).from(units).where(eq(units.communeId, communeId));
}

export async function communePersons(db: Executor, communeId: string): Promise<PersonRow[]> {
  return db.select().from(persons).where(eq(persons.communeId, communeId));
}

export async function insertPersons(db: Executor, rows: (typeof persons.$inferInsert)[], chunk = 1000) {
  for (let i = 0; i < rows.length; i += chunk) await db.insert(persons).values(rows.slice(i, i + chunk));
}

export async function updatePersonFromImport(db: Executor, id: string, set: Partial<typeof persons.$inferInsert>) {
  await db
    .update(persons)
    .set({ ...set, version: sql`${persons.version} + 1` })
    .where(eq(persons.id, id));
}
