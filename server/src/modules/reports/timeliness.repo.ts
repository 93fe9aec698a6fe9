import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { assessments, roleAssignments, users } from '../../db/schema/index.ts';

/*
 * SQL of the timeliness report (reports.service.ts `timeliness`): submission times, turnaround,
 * verification queues and score differences of ONE campaign, read through
 * `assessments_hamlet_idx` / `assessments_subject_uq`.
 */

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
