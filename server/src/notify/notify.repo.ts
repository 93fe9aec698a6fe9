import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import {
  adminUnits,
  assessmentCounts,
  assessments,
  campaigns,
  households,
  roleAssignments,
  users,
  type SubjectType,
} from '../db/schema/index.ts';

/**
 * SQL the notification expansion and the reminder job need. Counts come from the maintained
 * `assessment_counts` and registry totals (one grouped count per commune), never from a scan of
 * every assessment (province scale).
 */

export interface PlaceRow {
  id: string;
  level: 'province' | 'commune' | 'hamlet' | 'group';
  kind: string;
  name: string;
  parentId: string | null;
  path: string;
}

export async function findPlace(db: Executor, id: string): Promise<PlaceRow | null> {
  const [row] = await db
    .select({
      id: adminUnits.id,
      level: adminUnits.level,
      kind: adminUnits.kind,
      name: adminUnits.name,
      parentId: adminUnits.parentId,
      path: adminUnits.path,
    })
    .from(adminUnits)
    .where(eq(adminUnits.id, id))
    .limit(1);
  return row ?? null;
}

/** Current (not end-dated) hamlets of a commune, in name order so staggering is stable. */
export async function hamletsOf(db: Executor, communeId: string): Promise<PlaceRow[]> {
  return db
    .select({
      id: adminUnits.id,
      level: adminUnits.level,
      kind: adminUnits.kind,
      name: adminUnits.name,
      parentId: adminUnits.parentId,
      path: adminUnits.path,
    })
    .from(adminUnits)
    .where(and(eq(adminUnits.parentId, communeId), eq(adminUnits.level, 'hamlet'), isNull(adminUnits.effectiveTo)))
    .orderBy(adminUnits.name, adminUnits.id);
}

/** Live role holders whose grant sits on one of `unitIds`. */
export async function roleHolders(
  db: Executor,
  unitIds: string[],
  roles: string[],
): Promise<{ userId: string; unitId: string; role: string }[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectDistinct({ userId: roleAssignments.userId, unitId: roleAssignments.unitId, role: roleAssignments.role })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        inArray(roleAssignments.unitId, unitIds),
        inArray(roleAssignments.role, roles as ('leader' | 'hamlet_head' | 'officer')[]),
        isNull(roleAssignments.revokedAt),
        eq(users.status, 'active'),
      ),
    );
}

/** Tổ (group-level units) under the given hamlets. */
export async function groupsUnder(db: Executor, hamletIds: string[]): Promise<PlaceRow[]> {
  if (hamletIds.length === 0) return [];
  return db
    .select({
      id: adminUnits.id,
      level: adminUnits.level,
      kind: adminUnits.kind,
      name: adminUnits.name,
      parentId: adminUnits.parentId,
      path: adminUnits.path,
    })
    .from(adminUnits)
    .where(and(inArray(adminUnits.parentId, hamletIds), eq(adminUnits.level, 'group'), isNull(adminUnits.effectiveTo)));
}

export async function userLabels(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findCampaign(db: Executor, id: string) {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row ?? null;
}

export async function openCampaigns(db: Executor) {
  return db.select().from(campaigns).where(eq(campaigns.status, 'open'));
}

/** n per (unit, state) from the maintained aggregate, for one campaign and subject type. */
export async function countsByUnit(
  db: Executor,
  campaignId: string,
  subjectType: SubjectType,
  unitIds: string[],
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (unitIds.length === 0) return out;
  const rows = await db
    .select({ unitId: assessmentCounts.unitId, state: assessmentCounts.state, n: assessmentCounts.n })
    .from(assessmentCounts)
    .where(
      and(
        eq(assessmentCounts.campaignId, campaignId),
        eq(assessmentCounts.subjectType, subjectType),
        inArray(assessmentCounts.unitId, unitIds),
      ),
    );
  for (const r of rows) {
    const m = out.get(r.unitId) ?? new Map<string, number>();
    m.set(r.state, (m.get(r.state) ?? 0) + r.n);
    out.set(r.unitId, m);
  }
  return out;
}

/** Hamlets whose subjects a decision decided on. */
export async function hamletsOfDecision(db: Executor, decisionId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ hamletId: assessments.hamletId })
    .from(assessments)
    .where(eq(assessments.decisionId, decisionId));
  return rows.map((r) => r.hamletId).filter((id): id is string => id !== null);
}

/** Registry totals (the denominator of every share: docs/domain.md §8). */
export async function householdTotalsByHamlet(db: Executor, communeId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ hamletId: households.hamletId, n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(households)
    .where(eq(households.communeId, communeId))
    .groupBy(households.hamletId);
  return new Map(rows.map((r) => [r.hamletId, r.n]));
}

/** States in which a household has handed in its self-assessment (returned ones must resubmit). */
export const SUBMITTED_STATES = [
  'submitted',
  'resubmitted',
  'verified',
  'reviewed',
  'recognised',
  'not_recognised',
  'appealed',
];
/** States that a later decision (or a decision on an appeal) can still turn into a result. */
export const AWAITING_DECISION = ['submitted', 'resubmitted', 'returned', 'verified', 'reviewed', 'appealed'];
/** States waiting for the tổ leader's verification. */
export const AWAITING_VERIFICATION = ['submitted', 'resubmitted'];

/**
 * Household users of a commune whose household has not handed in its self-assessment for the
 * campaign. One indexed anti-join per commune (assessments_subject_uq), needed to know WHO to
 * remind; the counts in group messages come from assessment_counts.
 */
export async function householdUsersNotSubmitted(db: Executor, campaignId: string, communeId: string) {
  return db
    .select({ userId: users.id, hamletId: households.hamletId, displayName: users.displayName })
    .from(users)
    .innerJoin(households, eq(households.id, users.householdId))
    .leftJoin(
      assessments,
      and(
        eq(assessments.campaignId, campaignId),
        eq(assessments.subjectType, 'household'),
        eq(assessments.subjectId, households.id),
      ),
    )
    .where(
      and(
        eq(households.communeId, communeId),
        eq(users.status, 'active'),
        sql`(${assessments.id} is null or ${assessments.state} not in ('submitted','resubmitted','verified','reviewed','recognised','not_recognised','appealed','withdrawn'))`,
      ),
    );
}

/** Assessments waiting for verification per tổ (indexed by assessments_group_state_idx). */
export async function awaitingByGroup(
  db: Executor,
  campaignId: string,
  groupIds: string[],
): Promise<Map<string, number>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .select({ groupId: assessments.groupId, n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        inArray(assessments.groupId, groupIds),
        inArray(assessments.state, AWAITING_VERIFICATION),
      ),
    )
    .groupBy(assessments.groupId);
  return new Map(rows.filter((r) => r.groupId !== null).map((r) => [r.groupId as string, r.n]));
}

export function sumStates(m: Map<string, number> | undefined, states: string[]): number {
  if (!m) return 0;
  let n = 0;
  for (const s of states) n += m.get(s) ?? 0;
  return n;
}
