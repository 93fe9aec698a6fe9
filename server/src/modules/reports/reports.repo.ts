import { and, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import {
  adminUnits,
  assessmentCounts,
  assessments,
  campaignDenominators,
  campaigns,
  decisions,
  NO_HAMLET,
  registryCounts,
  roleAssignments,
  targets,
  users,
  type DenominatorRow,
  type SubjectType,
  type TargetIndicator,
} from '../../db/schema/index.ts';

/**
 * SQL of reports. Figures come from two cheap sources only:
 *  - `assessment_counts` (maintained by the workflow in the same transaction as each state change),
 *    read through `readCounts` and nothing else;
 *  - registry totals, counted per hamlet over indexed columns (households_hamlet_idx, the
 *    commune-leading unique indexes of clans and units).
 * The per-campaign queries at the bottom (timeliness, CDHT shares, lists) read assessments of ONE
 * campaign through `assessments_hamlet_idx` / `assessments_subject_uq`.
 */

export type AdminUnitRow = typeof adminUnits.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;

export const pathIds = (path: string) => path.split('/').filter(Boolean);

export async function findUnits(db: Executor, ids: string[]): Promise<AdminUnitRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(inArray(adminUnits.id, [...new Set(ids)]));
}

/** A unit and every unit above it (its path), in one statement. */
export async function unitWithAncestors(db: Executor, id: string): Promise<AdminUnitRow[]> {
  return db
    .select()
    .from(adminUnits)
    .where(
      sql`${adminUnits.id} in (select unnest(string_to_array(trim(both '/' from u.path), '/'))::uuid
        from ${adminUnits} u where u.id = ${id}::uuid)`,
    );
}

const effectiveOn = (day: string) =>
  and(
    sql`${adminUnits.effectiveFrom} <= ${day}`,
    or(isNull(adminUnits.effectiveTo), sql`${adminUnits.effectiveTo} >= ${day}`),
  );

/** Children of units that are in force on `day` (hamlets of a commune, communes of a province). */
export async function childUnits(db: Executor, parentIds: string[], day: string): Promise<AdminUnitRow[]> {
  if (parentIds.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(and(inArray(adminUnits.parentId, parentIds), effectiveOn(day)))
    .orderBy(adminUnits.name);
}

/**
 * What merged into `ids`: units whose current children name them as legacy parent, and units
 * that point at them with merged_into_id (a merger through the API records both; a commune that
 * had no hamlets left is reachable only by the latter).
 */
export async function legacyParentsOf(db: Executor, ids: string[]): Promise<AdminUnitRow[]> {
  if (ids.length === 0) return [];
  const kids = await db
    .selectDistinct({ legacyParentId: adminUnits.legacyParentId })
    .from(adminUnits)
    .where(and(inArray(adminUnits.parentId, ids), isNotNull(adminUnits.legacyParentId)));
  const merged = await db.select({ id: adminUnits.id }).from(adminUnits).where(inArray(adminUnits.mergedIntoId, ids));
  const legacy = [...new Set([...kids.map((k) => k.legacyParentId!), ...merged.map((m) => m.id)])].filter(
    (id) => !ids.includes(id),
  );
  return findUnits(db, legacy);
}

export async function findCampaign(db: Executor, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row;
}

export async function campaignsOf(db: Executor, communeIds: string[], years: number[]): Promise<CampaignRow[]> {
  if (communeIds.length === 0 || years.length === 0) return [];
  return db
    .select()
    .from(campaigns)
    .where(and(inArray(campaigns.communeId, communeIds), inArray(campaigns.year, years)));
}

export interface CountRow {
  campaignId: string;
  unitId: string;
  subjectType: SubjectType;
  state: string;
  n: number;
}

/** THE one reader of the maintained aggregate: counts per campaign × unit × subject type × state. */
export async function readCounts(db: Executor, campaignIds: string[], unitIds: string[]): Promise<CountRow[]> {
  if (campaignIds.length === 0 || unitIds.length === 0) return [];
  return db
    .select({
      campaignId: assessmentCounts.campaignId,
      unitId: assessmentCounts.unitId,
      subjectType: assessmentCounts.subjectType,
      state: assessmentCounts.state,
      // Summed over the count's slots (see assessment_counts).
      n: sql<number>`sum(${assessmentCounts.n})::int`.mapWith(Number),
    })
    .from(assessmentCounts)
    .where(
      and(inArray(assessmentCounts.campaignId, campaignIds), inArray(assessmentCounts.unitId, [...new Set(unitIds)])),
    )
    .groupBy(
      assessmentCounts.campaignId,
      assessmentCounts.unitId,
      assessmentCounts.subjectType,
      assessmentCounts.state,
    );
}

export type RegistryRow = DenominatorRow;

/**
 * Registry totals per commune × hamlet × subject type: the denominators. Households, clans, units
 * and citizens come from `registry_counts` (maintained by triggers, so never a scan of the
 * registry); hamlets (community) are counted from the administrative tree in force on `day`.
 */
export async function registryTotals(
  db: Executor,
  communeIds: string[],
  day: string,
  opts: { perCommune?: boolean } = {},
): Promise<RegistryRow[]> {
  if (communeIds.length === 0) return [];
  // perCommune (a province's view): one row per commune and title, summed by the database, not
  // ~100 rows per commune for the API to add up.
  const hamletKey = opts.perCommune ? sql<string>`${NO_HAMLET}::uuid` : registryCounts.hamletKey;
  const hamletId = opts.perCommune ? sql<string | null>`null::uuid` : adminUnits.id;
  const [counted, hm] = await Promise.all([
    db
      .select({
        communeId: registryCounts.communeId,
        hamletKey,
        subjectType: registryCounts.subjectType,
        n: sql<number>`sum(${registryCounts.n})::int`.mapWith(Number),
      })
      .from(registryCounts)
      .where(and(inArray(registryCounts.communeId, communeIds), sql`${registryCounts.n} <> 0`))
      .groupBy(registryCounts.communeId, hamletKey, registryCounts.subjectType),
    db
      .select({
        communeId: sql<string>`${adminUnits.parentId}`,
        hamletId,
        n: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(adminUnits)
      .where(and(inArray(adminUnits.parentId, communeIds), eq(adminUnits.level, 'hamlet'), effectiveOn(day)))
      .groupBy(adminUnits.parentId, hamletId),
  ]);
  return [
    ...counted.map((r) => ({
      communeId: r.communeId,
      hamletId: r.hamletKey === NO_HAMLET ? null : r.hamletKey,
      subjectType: r.subjectType as SubjectType,
      n: r.n,
    })),
    ...hm.map((r) => ({ ...r, subjectType: 'community' as const })),
  ];
}

export async function targetRows(db: Executor, unitIds: string[], year: number) {
  if (unitIds.length === 0) return [];
  return db
    .select()
    .from(targets)
    .where(and(inArray(targets.unitId, unitIds), eq(targets.year, year)));
}

export async function upsertTarget(
  db: Executor,
  row: {
    unitId: string;
    year: number;
    indicator: TargetIndicator;
    share: number;
    source: string;
    updatedBy: string;
    updatedAt: Date;
  },
) {
  await db
    .insert(targets)
    .values(row)
    .onConflictDoUpdate({
      target: [targets.unitId, targets.year, targets.indicator],
      set: { share: row.share, source: row.source, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
    });
}

export async function deleteTarget(db: Executor, unitId: string, year: number, indicator: TargetIndicator) {
  await db
    .delete(targets)
    .where(and(eq(targets.unitId, unitId), eq(targets.year, year), eq(targets.indicator, indicator)));
}

/** Group ids of the caller's tổ grants that lie inside `hamletId` (tổ leaders read their ấp). */
export async function groupsInHamlet(db: Executor, groupIds: string[], hamletId: string): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .select({ id: adminUnits.id })
    .from(adminUnits)
    .where(and(inArray(adminUnits.id, groupIds), eq(adminUnits.parentId, hamletId)));
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- one campaign at a time

const inPlace = (place: { communeId?: string; hamletId?: string }) =>
  place.hamletId
    ? eq(assessments.hamletId, place.hamletId)
    : place.communeId
      ? eq(assessments.communeId, place.communeId)
      : undefined;

/** Submitted on time vs late, per subject type (submittedAt vs the self-assessment due date). */
export async function submissionTimes(
  db: Executor,
  campaignId: string,
  place: { communeId?: string; hamletId?: string },
  dueAt: Date,
) {
  return db
    .select({
      subjectType: assessments.subjectType,
      submitted: sql<number>`count(*)::int`.mapWith(Number),
      onTime:
        sql<number>`count(*) filter (where ${assessments.submittedAt} <= ${dueAt.toISOString()}::timestamptz)::int`.mapWith(
          Number,
        ),
    })
    .from(assessments)
    .where(and(eq(assessments.campaignId, campaignId), inPlace(place), isNotNull(assessments.submittedAt)))
    .groupBy(assessments.subjectType);
}

const hours = sql`extract(epoch from (${assessments.verifiedAt} - ${assessments.submittedAt})) / 3600.0`;

/** Verifier turnaround per hamlet (null hamlet = the whole place): count, median, p90 in hours. */
export async function turnaround(
  db: Executor,
  campaignId: string,
  place: { communeId?: string; hamletId?: string },
  byHamlet: boolean,
) {
  const cols = {
    count: sql<number>`count(*)::int`.mapWith(Number),
    median: sql<number | null>`percentile_cont(0.5) within group (order by ${hours})`.mapWith((v) =>
      v === null ? null : Number(v),
    ),
    p90: sql<number | null>`percentile_cont(0.9) within group (order by ${hours})`.mapWith((v) =>
      v === null ? null : Number(v),
    ),
  };
  const where = and(
    eq(assessments.campaignId, campaignId),
    inPlace(place),
    isNotNull(assessments.verifiedAt),
    isNotNull(assessments.submittedAt),
  );
  if (!byHamlet) {
    const rows = await db.select(cols).from(assessments).where(where);
    return rows.map((r) => ({ hamletId: null as string | null, ...r }));
  }
  return db
    .select({ hamletId: assessments.hamletId, ...cols })
    .from(assessments)
    .where(where)
    .groupBy(assessments.hamletId);
}

/** Waiting for verification, per tổ: count, overdue (past `dueAt`), oldest submission. */
export async function verificationQueues(
  db: Executor,
  campaignId: string,
  place: { communeId?: string; hamletId?: string },
  now: Date,
  dueAt: Date,
) {
  const overdue = now.getTime() > dueAt.getTime();
  return db
    .select({
      groupId: assessments.groupId,
      hamletId: assessments.hamletId,
      waiting: sql<number>`count(*)::int`.mapWith(Number),
      overdue: overdue ? sql<number>`count(*)::int`.mapWith(Number) : sql<number>`0`.mapWith(Number),
      oldest: sql<string | null>`min(${assessments.submittedAt})`.mapWith((v) => (v === null ? null : String(v))),
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        inPlace(place),
        inArray(assessments.state, ['submitted', 'resubmitted']),
      ),
    )
    .groupBy(assessments.groupId, assessments.hamletId);
}

export async function leadersOf(db: Executor, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .select({ unitId: roleAssignments.unitId, name: users.displayName })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        inArray(roleAssignments.unitId, groupIds),
        eq(roleAssignments.role, 'leader'),
        isNull(roleAssignments.revokedAt),
      ),
    )
    .orderBy(users.displayName);
}

/** Self total vs verified total per hamlet, over assessments that have both. */
export async function scoreDifferences(
  db: Executor,
  campaignId: string,
  place: { communeId?: string; hamletId?: string },
) {
  const num = (v: unknown) => (v === null ? null : Number(v));
  return db
    .select({
      hamletId: assessments.hamletId,
      count: sql<number>`count(*)::int`.mapWith(Number),
      adjusted:
        sql<number>`count(*) filter (where ${assessments.verifiedTotal} <> ${assessments.selfTotal})::int`.mapWith(
          Number,
        ),
      meanSelf: sql<number | null>`avg(${assessments.selfTotal})`.mapWith(num),
      meanVerified: sql<number | null>`avg(${assessments.verifiedTotal})`.mapWith(num),
      meanDifference: sql<number | null>`avg(${assessments.verifiedTotal} - ${assessments.selfTotal})`.mapWith(num),
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        inPlace(place),
        isNotNull(assessments.selfTotal),
        isNotNull(assessments.verifiedTotal),
      ),
    )
    .groupBy(assessments.hamletId);
}

/** Recognition decisions per campaign: how many, and the latest date (the province's "reported"). */
export async function decisionTotals(db: Executor, campaignIds: string[]) {
  if (campaignIds.length === 0) return [];
  return db
    .select({
      campaignId: decisions.campaignId,
      n: sql<number>`count(*)::int`.mapWith(Number),
      lastDecidedOn: sql<string>`max(${decisions.decidedOn})::text`,
    })
    .from(decisions)
    .where(inArray(decisions.campaignId, campaignIds))
    .groupBy(decisions.campaignId);
}

/** Denominator snapshots of the given campaigns (taken when each closed). */
export async function snapshotsOf(db: Executor, campaignIds: string[]) {
  if (campaignIds.length === 0) return [];
  return db.select().from(campaignDenominators).where(inArray(campaignDenominators.campaignId, campaignIds));
}

/** Written once: a campaign closed again after a reopen keeps its first snapshot. */
export async function insertSnapshot(db: Executor, row: typeof campaignDenominators.$inferInsert) {
  await db.insert(campaignDenominators).values(row).onConflictDoNothing();
}

/** Every child of the given units, whatever its dates, including those that name them as legacy parent. */
export async function childrenEver(db: Executor, parentIds: string[]): Promise<AdminUnitRow[]> {
  if (parentIds.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(or(inArray(adminUnits.parentId, parentIds), inArray(adminUnits.legacyParentId, parentIds)));
}

/**
 * Years (before `beforeYear`) in which each subject held the title, from every campaign whatever
 * its commune: a subject keeps its id through the 2025 merger, so the campaigns of the communes
 * that merged (the same ones `history` rolls up) count like the commune's own.
 */
export async function recognisedYears(
  db: Executor,
  subjectType: SubjectType,
  subjectIds: string[],
  beforeYear: number,
): Promise<{ subjectId: string; year: number }[]> {
  if (subjectIds.length === 0) return [];
  return db
    .selectDistinct({ subjectId: assessments.subjectId, year: sql<number>`${campaigns.year}::int`.mapWith(Number) })
    .from(assessments)
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .where(
      and(
        eq(assessments.subjectType, subjectType),
        inArray(assessments.subjectId, [...new Set(subjectIds)]),
        eq(assessments.state, 'recognised'),
        sql`${campaigns.year} < ${beforeYear}`,
      ),
    );
}
