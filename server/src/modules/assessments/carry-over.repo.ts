import { and, desc, eq, isNotNull, isNull, lt, notInArray } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { answers, assessments, campaigns, evidence } from '../../db/schema/index.ts';
import type { AssessmentRow } from './assessments.repo.ts';

/** The subject's assessment of the latest earlier campaign that was at least submitted. */
export async function findPreviousAssessment(
  db: Executor,
  q: { subjectType: AssessmentRow['subjectType']; subjectId: string; beforeYear: number },
) {
  const [row] = await db
    .select({
      id: assessments.id,
      year: campaigns.year,
      criteriaSetId: assessments.criteriaSetId,
      subjectGroup: assessments.subjectGroup,
    })
    .from(assessments)
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .where(
      and(
        eq(assessments.subjectType, q.subjectType),
        eq(assessments.subjectId, q.subjectId),
        lt(campaigns.year, q.beforeYear),
        // A draft never sent, or one taken back, is not an answer the household stood by.
        notInArray(assessments.state, ['draft', 'withdrawn']),
      ),
    )
    .orderBy(desc(campaigns.year))
    .limit(1);
  return row;
}

/** The self layer of an assessment (answered indicators only). */
export async function selfAnswers(db: Executor, assessmentId: string) {
  const rows = await db
    .select({ indicatorCode: answers.indicatorCode, points: answers.points, note: answers.note })
    .from(answers)
    .where(and(eq(answers.assessmentId, assessmentId), eq(answers.layer, 'self'), isNotNull(answers.points)));
  return rows.map((r) => ({ indicatorCode: r.indicatorCode, points: Number(r.points), note: r.note }));
}

/** Processed, live photos of an assessment: the only ones that can be linked (never originals). */
export async function readyPhotos(db: Executor, assessmentId: string) {
  return db
    .select()
    .from(evidence)
    .where(and(eq(evidence.assessmentId, assessmentId), eq(evidence.state, 'ready'), isNull(evidence.deletedAt)))
    .orderBy(evidence.createdAt, evidence.id);
}

/** Source photo ids already linked (live) into an assessment. */
export async function linkedSources(db: Executor, assessmentId: string): Promise<Set<string>> {
  const rows = await db
    .select({ src: evidence.reusedFromEvidenceId })
    .from(evidence)
    .where(
      and(
        eq(evidence.assessmentId, assessmentId),
        isNotNull(evidence.reusedFromEvidenceId),
        isNull(evidence.deletedAt),
      ),
    );
  return new Set(rows.map((r) => r.src!));
}

/** Inserts linked photos; a photo already linked (unique index) is skipped. Returns how many went in. */
export async function insertLinkedPhotos(tx: Executor, rows: (typeof evidence.$inferInsert)[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await tx.insert(evidence).values(rows).onConflictDoNothing().returning({ id: evidence.id });
  return r.length;
}
