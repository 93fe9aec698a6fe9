import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { assessments, decisions, evidence, type SubjectType } from '../../db/schema/index.ts';

/**
 * SQL of the file outputs. Lists read assessments of ONE campaign through
 * `assessments_hamlet_idx` (campaign, hamlet, subject type) or the subject unique index.
 */

export type ListRow = {
  /** The consecutive-years honour the decision awarded (verdict.honour.label), if any. */
  honour: string | null;
  /** Years in a row the title is held, this one included, when known. */
  consecutiveYears: number | null;
} & Pick<
  typeof assessments.$inferSelect,
  | 'id'
  | 'subjectType'
  | 'subjectId'
  | 'subjectName'
  | 'hamletId'
  | 'groupId'
  | 'state'
  | 'selfTotal'
  | 'verifiedTotal'
  | 'communeTotal'
  | 'submittedAt'
  | 'verifiedAt'
  | 'decisionId'
  | 'certificateNo'
>;

const listColumns = {
  id: assessments.id,
  subjectType: assessments.subjectType,
  subjectId: assessments.subjectId,
  subjectName: assessments.subjectName,
  hamletId: assessments.hamletId,
  groupId: assessments.groupId,
  state: assessments.state,
  selfTotal: assessments.selfTotal,
  verifiedTotal: assessments.verifiedTotal,
  communeTotal: assessments.communeTotal,
  submittedAt: assessments.submittedAt,
  verifiedAt: assessments.verifiedAt,
  decisionId: assessments.decisionId,
  certificateNo: assessments.certificateNo,
  honour: sql<string | null>`${assessments.verdict}->'honour'->>'label'`,
  consecutiveYears: sql<number | null>`(${assessments.verdict}->>'consecutiveYears')::int`.mapWith((v) =>
    v === null ? null : Number(v),
  ),
};

export async function listAssessments(
  db: Executor,
  q: { campaignId: string; hamletId?: string; subjectType?: SubjectType; state?: string },
): Promise<ListRow[]> {
  const where: (SQL | undefined)[] = [
    eq(assessments.campaignId, q.campaignId),
    q.hamletId ? eq(assessments.hamletId, q.hamletId) : undefined,
    q.subjectType ? eq(assessments.subjectType, q.subjectType) : undefined,
    q.state ? eq(assessments.state, q.state) : undefined,
  ];
  return db
    .select(listColumns)
    .from(assessments)
    .where(and(...where))
    .orderBy(
      asc(assessments.subjectType),
      asc(assessments.hamletId),
      asc(assessments.subjectName),
      asc(assessments.id),
    );
}

export async function findDecision(db: Executor, id: string) {
  const [row] = await db.select().from(decisions).where(eq(decisions.id, id)).limit(1);
  return row;
}

export async function decisionsOf(db: Executor, campaignId: string) {
  return db.select().from(decisions).where(eq(decisions.campaignId, campaignId));
}

/** Subjects recognised by one decision, in the order the list is printed. */
export async function recognisedBy(db: Executor, decisionId: string): Promise<ListRow[]> {
  return db
    .select(listColumns)
    .from(assessments)
    .where(and(eq(assessments.decisionId, decisionId), eq(assessments.state, 'recognised')))
    .orderBy(
      asc(assessments.hamletId),
      asc(assessments.certificateNo),
      asc(assessments.subjectName),
      asc(assessments.id),
    );
}

/** Live photos of one campaign's subjects in one hamlet, ordered for a stable archive layout. */
export async function evidenceOfHamlet(db: Executor, campaignId: string, hamletId: string) {
  return (
    db
      .select({
        id: evidence.id,
        indicatorCode: evidence.indicatorCode,
        sha256: evidence.sha256,
        imageKey: evidence.imageKey,
        capturedAt: evidence.capturedAt,
        createdAt: evidence.createdAt,
        assessmentId: assessments.id,
        subjectType: assessments.subjectType,
        subjectId: assessments.subjectId,
        subjectName: assessments.subjectName,
        groupId: assessments.groupId,
      })
      .from(evidence)
      .innerJoin(assessments, eq(assessments.id, evidence.assessmentId))
      // Only processed photos have an image to put in the archive.
      .where(
        and(
          eq(assessments.campaignId, campaignId),
          eq(assessments.hamletId, hamletId),
          isNull(evidence.deletedAt),
          eq(evidence.state, 'ready'),
        ),
      )
      .orderBy(
        asc(assessments.subjectName),
        asc(assessments.id),
        asc(evidence.indicatorCode),
        asc(evidence.createdAt),
        asc(evidence.id),
      )
  );
}
