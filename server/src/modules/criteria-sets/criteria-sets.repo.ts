import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { criteriaSets } from '../../db/schema/index.ts';

export type CriteriaSetRow = typeof criteriaSets.$inferSelect;

/** Referenced by a campaign (any subject type) or by an assessment: immutable from then on. */
// Qualified by hand: drizzle renders the column unqualified in a select list, where "id" would
// resolve to the inner tables' uuid ids.
const inUseSql = sql<boolean>`(exists (select 1 from campaigns c, jsonb_each_text(c.criteria_set_ids) e where e.value = "criteria_sets"."id")
  or exists (select 1 from assessments a where a.criteria_set_id = "criteria_sets"."id"))`;

export async function upsertCatalogSets(db: Executor, rows: (typeof criteriaSets.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  // The shipped catalog is the source of truth for 'catalog' rows: a new release may fix a
  // provisional value. Sets are versioned by id, so a changed set that campaigns use gets a new id.
  await db
    .insert(criteriaSets)
    .values(rows)
    .onConflictDoUpdate({
      target: criteriaSets.id,
      set: {
        body: sql`excluded.body`,
        title: sql`excluded.title`,
        version: sql`excluded.version`,
        subjectType: sql`excluded.subject_type`,
      },
      where: sql`${criteriaSets.source} = 'catalog' and ${criteriaSets.body} is distinct from excluded.body`,
    });
}

export async function listCriteriaSets(db: Executor, subjectType?: string) {
  return db
    .select({
      id: criteriaSets.id,
      subjectType: criteriaSets.subjectType,
      version: criteriaSets.version,
      title: criteriaSets.title,
      source: criteriaSets.source,
      ownerUnitId: criteriaSets.ownerUnitId,
      createdAt: criteriaSets.createdAt,
      inUse: inUseSql,
    })
    .from(criteriaSets)
    .where(subjectType ? eq(criteriaSets.subjectType, subjectType) : undefined)
    .orderBy(asc(criteriaSets.subjectType), asc(criteriaSets.id));
}

export async function findCriteriaSet(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: criteriaSets.id,
      subjectType: criteriaSets.subjectType,
      version: criteriaSets.version,
      title: criteriaSets.title,
      source: criteriaSets.source,
      ownerUnitId: criteriaSets.ownerUnitId,
      createdAt: criteriaSets.createdAt,
      body: criteriaSets.body,
      inUse: inUseSql,
    })
    .from(criteriaSets)
    .where(eq(criteriaSets.id, id));
  return row;
}

export async function findCriteriaSetBodies(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: criteriaSets.id, subjectType: criteriaSets.subjectType, body: criteriaSets.body })
    .from(criteriaSets)
    .where(sql`${criteriaSets.id} in ${ids}`);
}

export async function insertCriteriaSet(db: Executor, row: typeof criteriaSets.$inferInsert): Promise<boolean> {
  const r = await db.insert(criteriaSets).values(row).onConflictDoNothing().returning({ id: criteriaSets.id });
  return r.length > 0;
}

/** Replaces the body only while nothing references the set (checked in the same statement). */
export async function replaceUnusedCriteriaSet(
  db: Executor,
  id: string,
  patch: Pick<typeof criteriaSets.$inferInsert, 'body' | 'title' | 'version' | 'subjectType'>,
): Promise<boolean> {
  const r = await db
    .update(criteriaSets)
    .set(patch)
    .where(and(eq(criteriaSets.id, id), sql`not ${inUseSql}`))
    .returning({ id: criteriaSets.id });
  return r.length > 0;
}
