/**
 * An assessment's context: the assessment with everything an access decision needs (the
 * campaign, the province above the commune, a clan's or unit's head), read in ONE statement.
 * Submit's read (submission.repo.ts) selects the same fields over the same joins beside its own.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { preparedOnce } from '../../db/named-statement.ts';
import type { Executor } from '../../db/types.ts';
import { adminUnits, assessments, campaigns, clans, units } from '../../db/schema/index.ts';
import type { AssessmentRow, CampaignRow } from './assessments.repo.ts';

export interface AssessmentCtx {
  a: AssessmentRow;
  c: CampaignRow;
  provinceId: string | null;
  /** Head user of the subject when it is a clan or a unit. */
  headUserId: string | null;
}

export async function loadAssessmentCtx(db: Executor, id: string): Promise<AssessmentCtx | undefined> {
  const [row] = await preparedOnce(db, ctxStatements, prepareCtx).execute({ id });
  return row && ctxOf(row);
}

/** The fields a context is read from, over `withCtxJoins`. */
export const ctxFields = {
  a: assessments,
  c: campaigns,
  provinceId: adminUnits.parentId,
  clanHead: clans.headUserId,
  unitHead: units.headUserId,
};

/** The campaign, the commune (for its province) and a clan's or unit's head, joined to the assessment. */
export function withCtxJoins<T extends PgSelect>(query: T) {
  return query
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .leftJoin(adminUnits, eq(adminUnits.id, assessments.communeId))
    .leftJoin(clans, and(eq(assessments.subjectType, 'clan'), eq(clans.id, assessments.subjectId)))
    .leftJoin(units, and(eq(assessments.subjectType, 'unit'), eq(units.id, assessments.subjectId)));
}

export function ctxOf(row: {
  a: AssessmentRow;
  c: CampaignRow;
  provinceId: string | null;
  clanHead: string | null;
  unitHead: string | null;
}): AssessmentCtx {
  return { a: row.a, c: row.c, provinceId: row.provinceId, headUserId: row.clanHead ?? row.unitHead ?? null };
}

const prepareCtx = (db: Executor) =>
  withCtxJoins(db.select(ctxFields).from(assessments).$dynamic())
    .where(eq(assessments.id, sql.placeholder('id')))
    // Read by nearly every request about an assessment: planned once per connection.
    .prepare('assessment_ctx');
const ctxStatements = new WeakMap<object, ReturnType<typeof prepareCtx>>();
