import { and, eq, sql } from 'drizzle-orm';
import { preparedOnce } from '../../db/named-statement.ts';
import type { Executor } from '../../db/types.ts';
import { assessments, idempotencyKeys } from '../../db/schema/index.ts';
import type { ConsentEntry } from '../identity/consents.repo.ts';
import { ctxFields, ctxOf, withCtxJoins, type AssessmentCtx } from './assessment-ctx.repo.ts';

export interface SubmitClaim {
  userId: string;
  key: string;
  scope: string;
  requestHash: string;
  now: Date;
}

/** What an earlier request with the same key left (status, hash, stored answer). */
export interface PriorKey {
  status: 'in_progress' | 'done';
  requestHash: string;
  responseBody: unknown;
}

export interface SubmitRead {
  ctx: AssessmentCtx;
  /** True when this request took the key; otherwise `prior` is the row that held it (if visible). */
  taken: boolean;
  prior: PriorKey | null;
  /** The caller's latest consent entry per purpose. */
  consents: ConsentEntry[];
  /** The self layer with the photo count per indicator (the engine's evidenceCount). */
  answers: { indicatorCode: string; points: number | null; note: string | null; photos: number }[];
}

/**
 * Everything a submit reads, in ONE statement inside its transaction (issue 15: ≤ 5 statements per
 * submit): the idempotency key is claimed by a data-modifying CTE (the row commits with the submit
 * or not at all), and the same statement returns the assessment's context, the key's earlier row,
 * the caller's consents and the answers with their photo counts.
 *
 * All parts share one snapshot: the earlier row of a key committed by a request that ran
 * concurrently (the claim waited on it) is not visible here, so `taken: false, prior: null` means
 * "look again" — see `findIdempotencyKey`.
 */
export async function claimAndLoadForSubmit(
  tx: Executor,
  id: string,
  claim: SubmitClaim,
): Promise<SubmitRead | undefined> {
  const [row] = await preparedOnce(tx, claimStatements, prepareClaim).execute({
    id,
    userId: claim.userId,
    key: claim.key,
    scope: claim.scope,
    requestHash: claim.requestHash,
    now: claim.now,
  });
  if (!row) return undefined;
  return {
    ctx: ctxOf(row),
    taken: Number(row.taken) === 1,
    prior: row.prior,
    consents: row.consents,
    answers: row.answers.map((x) => ({
      indicatorCode: x.indicatorCode,
      points: x.points === null ? null : Number(x.points),
      note: x.note,
      photos: Number(x.photos),
    })),
  };
}

// Built once per connection, values as placeholders: building this select of ~50 columns with
// drizzle cost ~0,4 ms of the API's CPU, on every submit (tests/load/RESULTS.md).
const prepareClaim = (tx: Executor) => {
  const userId = sql.placeholder('userId');
  const key = sql.placeholder('key');
  const claimed = tx.$with('claimed').as(
    tx
      .insert(idempotencyKeys)
      .values({
        userId,
        key,
        scope: sql.placeholder('scope'),
        requestHash: sql.placeholder('requestHash'),
        status: 'in_progress',
        createdAt: sql.placeholder('now'),
      })
      .onConflictDoNothing({ target: [idempotencyKeys.userId, idempotencyKeys.key] })
      .returning({ key: idempotencyKeys.key }),
  );
  const read = tx
    .with(claimed)
    .select({
      ...ctxFields,
      taken: sql<number>`(select count(*) from ${claimed})::int`,
      prior: sql<PriorKey | null>`(select json_build_object('status', k.status, 'requestHash', k.request_hash, 'responseBody', k.response_body)
        from idempotency_keys k where k.user_id = ${userId}::uuid and k.key = ${key}::text)`,
      consents: sql<
        ConsentEntry[]
      >`coalesce((select json_agg(json_build_object('purpose', l.purpose, 'action', l.action, 'textVersion', l.text_version))
        from (select distinct on (purpose) purpose, action, text_version from consents
              where user_id = ${userId}::uuid order by purpose, seq desc) l), '[]'::json)`,
      answers: sql<
        SubmitRead['answers']
      >`coalesce((select json_agg(json_build_object('indicatorCode', x.indicator_code, 'points', x.points, 'note', x.note,
          'photos', (select count(*) from evidence e where e.assessment_id = x.assessment_id and e.indicator_code = x.indicator_code
                     and e.deleted_at is null and e.state <> 'failed')))
        from answers x where x.assessment_id = ${assessments.id} and x.layer = 'self'), '[]'::json)`,
    })
    .from(assessments)
    .$dynamic();
  return (
    withCtxJoins(read)
      .where(eq(assessments.id, sql.placeholder('id')))
      // The same text every time (values are parameters): planned once per connection.
      .prepare('submit_claim_and_read')
  );
};
const claimStatements = new WeakMap<object, ReturnType<typeof prepareClaim>>();

/** The key's row as committed now (a fresh statement: sees a concurrent request's commit). */
export async function findIdempotencyKey(tx: Executor, userId: string, key: string): Promise<PriorKey | null> {
  const [row] = await tx
    .select({
      status: idempotencyKeys.status,
      requestHash: idempotencyKeys.requestHash,
      responseBody: idempotencyKeys.responseBody,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  return row ?? null;
}
