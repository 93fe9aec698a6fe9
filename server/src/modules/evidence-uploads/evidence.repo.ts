import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { evidence } from '../../db/schema/index.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';

export type EvidenceRow = typeof evidence.$inferSelect;

export async function findEvidence(db: Executor, id: string): Promise<EvidenceRow | undefined> {
  const [row] = await db.select().from(evidence).where(and(eq(evidence.id, id), isNull(evidence.deletedAt)));
  return row;
}

/** Exact duplicate: the same original bytes already attached to this indicator. */
export async function findSameUpload(db: Executor, assessmentId: string, indicatorCode: string, sha256: string) {
  const [row] = await db
    .select()
    .from(evidence)
    .where(and(eq(evidence.assessmentId, assessmentId), eq(evidence.indicatorCode, indicatorCode), eq(evidence.sha256, sha256), isNull(evidence.deletedAt)))
    .orderBy(asc(evidence.createdAt))
    .limit(1);
  return row;
}

/**
 * Near-duplicates in the same commune: Hamming distance of the 64-bit pHash in SQL
 * (bit_count on the XOR, PostgreSQL ≥ 14), so the comparison never loads a commune's hashes.
 */
export async function nearDuplicates(db: Executor, communeId: string, phash: bigint, maxDistance: number, excludeSha: string) {
  const r = await db.execute(sql`
    select id, d from (
      select id, bit_count((phash # ${phash.toString()}::bigint)::bit(64))::int as d
      from evidence where commune_id = ${communeId}::uuid and deleted_at is null and sha256 <> ${excludeSha}
    ) x where d <= ${maxDistance} order by d, id limit 10`);
  return rowsOf<{ id: string; d: number }>(r).map((x) => ({ evidenceId: x.id, distance: Number(x.d) }));
}

export async function insertEvidence(tx: Executor, row: typeof evidence.$inferInsert): Promise<void> {
  await tx.insert(evidence).values(row);
}

export async function softDeleteEvidence(tx: Executor, id: string, at: Date): Promise<boolean> {
  const r = await tx.update(evidence).set({ deletedAt: at }).where(and(eq(evidence.id, id), isNull(evidence.deletedAt))).returning({ id: evidence.id });
  return r.length > 0;
}

/** For the sweeper: does any live evidence row point at this blob key? */
export async function blobKeyReferenced(db: Executor, key: string): Promise<boolean> {
  const r = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(and(or(eq(evidence.imageKey, key), eq(evidence.thumbKey, key)), isNull(evidence.deletedAt)))
    .limit(1);
  return r.length > 0;
}
