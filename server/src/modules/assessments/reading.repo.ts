import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import type { NearDuplicateRef, ScoreLayer } from '../../db/schema/index.ts';
import type { EvidenceRow } from '../evidence-uploads/evidence.repo.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export interface DetailParts {
  answers: {
    layer: ScoreLayer;
    indicatorCode: string;
    points: number | null;
    note: string | null;
    reason: string | null;
    updatedAt: Date;
  }[];
  evidence: Pick<
    EvidenceRow,
    | 'id'
    | 'assessmentId'
    | 'indicatorCode'
    | 'state'
    | 'failureReason'
    | 'width'
    | 'height'
    | 'bytes'
    | 'capturedAt'
    | 'hasLocation'
    | 'nearDuplicates'
    | 'createdAt'
    | 'reusedFromYear'
  >[];
  comments: { id: string; indicatorCode: string | null; authorId: string; body: string; createdAt: Date }[];
  decision: { id: string; number: string; decidedOn: string } | null;
}

/**
 * What an assessment's detail shows besides the row itself, in ONE statement (issue 15: an
 * authenticated read is ≤ 3 statements): every layer's answers, the live photos (only the columns
 * the DTO shows), the comments and the decision, each as a JSON array in the order the page lists
 * them.
 */
export async function detailParts(db: Executor, assessmentId: string, decisionId: string | null): Promise<DetailParts> {
  const r = await db.execute(sql`select
    coalesce((select json_agg(json_build_object('layer', x.layer, 'indicatorCode', x.indicator_code, 'points', x.points,
        'note', x.note, 'reason', x.reason, 'updatedAt', x.updated_at) order by x.indicator_code)
      from answers x where x.assessment_id = ${assessmentId}::uuid), '[]'::json) as answers,
    coalesce((select json_agg(json_build_object('id', e.id, 'assessmentId', e.assessment_id, 'indicatorCode', e.indicator_code,
        'state', e.state, 'failureReason', e.failure_reason, 'width', e.width, 'height', e.height, 'bytes', e.bytes,
        'capturedAt', e.captured_at, 'hasLocation', e.has_location, 'nearDuplicates', e.near_duplicates,
        'createdAt', e.created_at, 'reusedFromYear', e.reused_from_year) order by e.created_at, e.id)
      from evidence e where e.assessment_id = ${assessmentId}::uuid and e.deleted_at is null), '[]'::json) as evidence,
    coalesce((select json_agg(json_build_object('id', c.id, 'indicatorCode', c.indicator_code, 'authorId', c.author_id,
        'body', c.body, 'createdAt', c.created_at) order by c.created_at, c.id)
      from comments c where c.assessment_id = ${assessmentId}::uuid), '[]'::json) as comments,
    (select json_build_object('id', d.id, 'number', d.number, 'decidedOn', d.decided_on)
      from decisions d where d.id = ${decisionId}::uuid) as decision`);
  const [row] = rowsOf<{
    answers: Json<DetailParts['answers'][number]>[];
    evidence: (Json<Omit<DetailParts['evidence'][number], 'nearDuplicates'>> & {
      nearDuplicates: NearDuplicateRef[];
    })[];
    comments: Json<DetailParts['comments'][number]>[];
    decision: DetailParts['decision'];
  }>(r);
  return {
    answers: (row?.answers ?? []).map((x) => ({ ...x, updatedAt: new Date(x.updatedAt) })),
    evidence: (row?.evidence ?? []).map((e) => ({
      ...e,
      capturedAt: e.capturedAt === null ? null : new Date(e.capturedAt),
      createdAt: new Date(e.createdAt),
    })),
    comments: (row?.comments ?? []).map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
    decision: row?.decision ?? null,
  };
}
