import { and, asc, eq, getTableColumns, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { executeNamed } from '../../db/named-statement.ts';
import type { Executor } from '../../db/types.ts';
import { evidence, type NearDuplicateRef } from '../../db/schema/index.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';

export type EvidenceRow = typeof evidence.$inferSelect;

/** A live row in any state (the status route shows processing and failed photos too). */
export async function findEvidence(db: Executor, id: string): Promise<EvidenceRow | undefined> {
  const [row] = await db
    .select()
    .from(evidence)
    .where(and(eq(evidence.id, id), isNull(evidence.deletedAt)));
  return row;
}

/** Exact duplicate: the same original bytes already attached to this indicator (not a failed try). */
export async function findSameUpload(db: Executor, assessmentId: string, indicatorCode: string, sha256: string) {
  const [row] = await db
    .select()
    .from(evidence)
    .where(
      and(
        eq(evidence.assessmentId, assessmentId),
        eq(evidence.indicatorCode, indicatorCode),
        eq(evidence.sha256, sha256),
        ne(evidence.state, 'failed'),
        isNull(evidence.deletedAt),
      ),
    )
    .orderBy(asc(evidence.createdAt))
    .limit(1)
    .prepare('evidence_same_upload')
    .execute();
  return row;
}

/**
 * The evidence row as a CTE of an assessment edit (`applyEdit`): `insert … select … from upd`,
 * so it is written only when the edit was (a data-modifying CTE runs even if nothing reads it).
 */
export function insertEvidenceCte(row: typeof evidence.$inferInsert): SQL {
  const cols = getTableColumns(evidence);
  const entries = Object.entries(row).filter(([, v]) => v !== undefined) as [keyof typeof cols, unknown][];
  const names = sql.join(
    entries.map(([k]) => sql.identifier(cols[k].name)),
    sql`, `,
  );
  const values = sql.join(
    entries.map(([k, v]) => sql`${sql.param(v, cols[k])}::${sql.raw(cols[k].getSQLType())}`),
    sql`, `,
  );
  return sql`ev as (insert into ${evidence} (${names}) select ${values} from upd)`;
}

export async function softDeleteEvidence(tx: Executor, id: string, at: Date): Promise<boolean> {
  const r = await tx
    .update(evidence)
    .set({ deletedAt: at })
    .where(and(eq(evidence.id, id), isNull(evidence.deletedAt)))
    .returning({ id: evidence.id });
  return r.length > 0;
}

/** For the sweeper: does any live evidence row point at this blob key (derivative or original)? */
export async function blobKeyReferenced(db: Executor, key: string): Promise<boolean> {
  const r = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(
      and(
        or(eq(evidence.imageKey, key), eq(evidence.thumbKey, key), eq(evidence.originalKey, key)),
        isNull(evidence.deletedAt),
      ),
    )
    .limit(1);
  return r.length > 0;
}

// ---- the processing queue -------------------------------------------------------------------

/** Photos waiting for processing, counted up to `max` only (an index-only walk of the queue). */
export async function backlogSize(db: Executor, max: number): Promise<number> {
  const r = await executeNamed(
    db,
    sql`
    select count(*)::int as n from (
      select 1 from evidence where state = 'processing' and deleted_at is null limit ${max}
    ) q`,
  );
  return Number(rowsOf<{ n: number }>(r)[0]?.n ?? 0);
}

export interface ClaimedPhoto {
  id: string;
  leaseToken: string;
  attempts: number;
  originalKey: string | null;
  mime: string | null;
  sha256: string;
  communeId: string;
  imageKey: string;
  thumbKey: string;
}

/**
 * Takes up to `limit` photos for processing, oldest first. FOR UPDATE SKIP LOCKED makes two
 * processes that claim at the same instant take different rows; the lease (database clock, so
 * every process agrees) hands a photo to another process only if its claimer died. Each claim
 * gets a fresh token: only the holder of the current token can complete the photo.
 */
export async function claimPhotos(
  db: Executor,
  options: { limit: number; leaseMs: number; exclude: string[] },
): Promise<ClaimedPhoto[]> {
  const exclude = `{${options.exclude.join(',')}}`;
  const r = await executeNamed(
    db,
    sql`
    update evidence e
    set lease_until = now() + ${options.leaseMs} * interval '1 millisecond',
        lease_token = gen_random_uuid(),
        attempts = e.attempts + 1
    where e.id in (
      select id from evidence
      where state = 'processing' and deleted_at is null
        and (lease_until is null or lease_until < now())
        and not (id = any(${exclude}::uuid[]))
      order by created_at
      limit ${options.limit}
      for update skip locked)
    returning e.id, e.lease_token, e.attempts, e.original_key, e.mime, e.sha256, e.commune_id, e.image_key, e.thumb_key`,
  );
  return rowsOf<Record<string, unknown>>(r).map((x) => ({
    id: String(x['id']),
    leaseToken: String(x['lease_token']),
    attempts: Number(x['attempts']),
    originalKey: (x['original_key'] as string | null) ?? null,
    mime: (x['mime'] as string | null) ?? null,
    sha256: String(x['sha256']),
    communeId: String(x['commune_id']),
    imageKey: String(x['image_key']),
    thumbKey: String(x['thumb_key']),
  }));
}

/** Only one process can run at all on PGlite: a lease left by its previous life is void. */
export async function releaseAllLeases(db: Executor): Promise<void> {
  await db.execute(sql`
    update evidence set lease_until = null, lease_token = null
    where state = 'processing' and lease_until is not null`);
}

const whileClaimed = (id: string, token: string) =>
  and(
    eq(evidence.id, id),
    eq(evidence.leaseToken, token),
    eq(evidence.state, 'processing'),
    isNull(evidence.deletedAt),
  );

/** processing → ready, only for the current claim; false if the claim was lost or the row deleted. */
export async function completePhoto(
  tx: Executor,
  claim: { id: string; leaseToken: string },
  set: {
    bytes: number;
    width: number;
    height: number;
    capturedAt: Date | null;
    hasLocation: boolean;
    phash: bigint;
    bands: [number, number, number, number];
    nearDuplicates: NearDuplicateRef[];
    processedAt: Date;
  },
): Promise<boolean> {
  const r = await tx
    .update(evidence)
    .set({
      state: 'ready',
      bytes: set.bytes,
      width: set.width,
      height: set.height,
      capturedAt: set.capturedAt,
      hasLocation: set.hasLocation,
      phash: set.phash,
      phashB0: set.bands[0],
      phashB1: set.bands[1],
      phashB2: set.bands[2],
      phashB3: set.bands[3],
      nearDuplicates: set.nearDuplicates,
      processedAt: set.processedAt,
      originalKey: null,
      leaseUntil: null,
      leaseToken: null,
    })
    .where(whileClaimed(claim.id, claim.leaseToken))
    .returning({ id: evidence.id })
    .prepare('evidence_complete')
    .execute();
  return r.length > 0;
}

/** processing → failed with the reason the household reads; the original goes with the sweeper. */
export async function failPhoto(
  db: Executor,
  claim: { id: string; leaseToken: string },
  reason: string,
  at: Date,
): Promise<boolean> {
  const r = await db
    .update(evidence)
    .set({
      state: 'failed',
      failureReason: reason,
      originalKey: null,
      leaseUntil: null,
      leaseToken: null,
      processedAt: at,
    })
    .where(whileClaimed(claim.id, claim.leaseToken))
    .returning({ id: evidence.id });
  return r.length > 0;
}

/** Our own trouble (storage or database hiccup, crashed thread): try again after `delayMs`. */
export async function retryPhotoLater(
  db: Executor,
  claim: { id: string; leaseToken: string },
  delayMs: number,
): Promise<void> {
  await db.execute(sql`
    update evidence set lease_until = now() + ${delayMs} * interval '1 millisecond', lease_token = null
    where id = ${claim.id} and lease_token = ${claim.leaseToken} and state = 'processing'`);
}

// ---- duplicates -----------------------------------------------------------------------------

/**
 * Near-duplicates in the same commune without scanning it: candidates share at least one 16-bit
 * band value within BAND_SEARCH_RADIUS of ours (four index lookups, see perceptual-hash.ts), then
 * the exact Hamming distance (bit_count of the XOR, PostgreSQL ≥ 14) filters them.
 *
 * Deliberately not a prepared statement, nor `exactCopies`: their best plan depends on the
 * values (a hash shared by thousands of rows, a flood of look-alike photos), and PostgreSQL's
 * generic plan for them scanned the commune (~11 ms of its CPU a photo in the bench).
 */
export async function nearDuplicatesByBands(
  db: Executor,
  q: { communeId: string; selfId: string; phash: bigint; bandValues: number[][]; maxDistance: number },
): Promise<NearDuplicateRef[]> {
  const arr = (i: number) => `{${(q.bandValues[i] ?? []).join(',')}}`;
  const r = await db.execute(
    sql`
    select id, d from (
      select id, bit_count((phash # ${q.phash.toString()}::bigint)::bit(64))::int as d
      from evidence
      where commune_id = ${q.communeId}::uuid and deleted_at is null and state = 'ready' and id <> ${q.selfId}::uuid
        and (phash_b0 = any(${arr(0)}::int[]) or phash_b1 = any(${arr(1)}::int[])
          or phash_b2 = any(${arr(2)}::int[]) or phash_b3 = any(${arr(3)}::int[]))
    ) x where d <= ${q.maxDistance} order by d, id limit 10`,
  );
  return rowsOf<{ id: string; d: number }>(r).map((x) => ({ evidenceId: x.id, distance: Number(x.d) }));
}

/**
 * Exact copies: the same original bytes anywhere in the commune, whatever household sent them and
 * whether or not they are processed yet — the most blatant reuse is caught first.
 */
export async function exactCopies(
  db: Executor,
  q: { communeId: string; selfId: string; sha256: string },
): Promise<NearDuplicateRef[]> {
  const rows = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(
      and(
        eq(evidence.communeId, q.communeId),
        eq(evidence.sha256, q.sha256),
        ne(evidence.id, q.selfId),
        ne(evidence.state, 'failed'),
        isNull(evidence.deletedAt),
      ),
    )
    .orderBy(asc(evidence.createdAt), asc(evidence.id))
    .limit(10);
  return rows.map((x) => ({ evidenceId: x.id, distance: 0, exact: true }));
}
