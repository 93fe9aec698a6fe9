import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, assessments, campaigns, decisions, type SubjectType } from '../../db/schema/index.ts';

/** SQL of the multi-year views (docs/transparency.md §3–§5). */

/** Every assessment of one subject, with its campaign and decision, whatever the commune. */
export async function assessmentsOfSubject(db: Executor, subjectType: SubjectType, subjectId: string) {
  return db
    .select({
      campaignId: assessments.campaignId,
      state: assessments.state,
      year: campaigns.year,
      communeId: campaigns.communeId,
      campaignStatus: campaigns.status,
      decisionNumber: decisions.number,
      decidedOn: decisions.decidedOn,
    })
    .from(assessments)
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .leftJoin(decisions, eq(decisions.id, assessments.decisionId))
    .where(and(eq(assessments.subjectType, subjectType), eq(assessments.subjectId, subjectId)));
}

/** Campaigns run by the given communes (the subject's commune and its predecessors), oldest first. */
export async function campaignsOfCommunes(db: Executor, communeIds: string[]) {
  if (communeIds.length === 0) return [];
  return db
    .select({ id: campaigns.id, year: campaigns.year, communeId: campaigns.communeId, status: campaigns.status })
    .from(campaigns)
    .where(inArray(campaigns.communeId, communeIds))
    .orderBy(asc(campaigns.year), asc(campaigns.createdAt));
}

/** This year's candidates for a commendation: recognised, or reviewed and awaiting the decision. */
export async function commendationCandidates(db: Executor, campaignId: string) {
  return db
    .select({
      id: assessments.id,
      subjectType: assessments.subjectType,
      subjectId: assessments.subjectId,
      subjectName: assessments.subjectName,
      hamletId: assessments.hamletId,
      state: assessments.state,
      decisionId: assessments.decisionId,
      criteriaSetId: assessments.criteriaSetId,
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        or(
          eq(assessments.state, 'recognised'),
          // Reviewed and not failed by the scoring: what the posted list proposes (postings.repo.ts).
          and(
            eq(assessments.state, 'reviewed'),
            or(sql`${assessments.verdict} is null`, ne(sql`coalesce(${assessments.verdict}->>'outcome', '')`, 'fail')),
          ),
        ),
      ),
    )
    .orderBy(asc(assessments.subjectType), asc(assessments.subjectName), asc(assessments.id));
}

export async function unitNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: adminUnits.id, name: adminUnits.name })
    .from(adminUnits)
    .where(inArray(adminUnits.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
