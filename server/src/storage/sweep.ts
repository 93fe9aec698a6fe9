/**
 * Garbage collection of blobs no DB row references (the orphans that "blob first, then DB row"
 * leaves behind when a request dies between the two steps, plus blobs of deleted photos).
 *
 * Safety rests on the grace period: a blob is only considered once it is older than
 * `olderThanMs` (default 24 h, far longer than any upload takes to go from put() to its row
 * insert), and a re-upload of an existing blob refreshes its age (FsBlobStore.put). The age is
 * checked again right before deleting, which shrinks the remaining race — an orphan re-uploaded
 * in the microseconds between that re-check and the unlink — to something we accept for a
 * nightly job; closing it fully would need the sweeper and uploads to share a DB lock.
 *
 * Run it from one place at a time (a nightly job, or under a pg advisory lock with several API
 * instances); running it twice concurrently is safe but wasteful.
 */
import type { BlobStore } from './blob-store.ts';

export const DEFAULT_SWEEP_GRACE_MS = 24 * 3600 * 1000;

export interface SweepOptions {
  /** Only blobs last written longer ago than this are candidates. */
  olderThanMs?: number;
  /** Restrict the sweep (e.g. 'sha256/'). */
  prefix?: string;
  /** Report what would be deleted without deleting. */
  dryRun?: boolean;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface SweepResult {
  scanned: number;
  deleted: string[];
  keptReferenced: number;
  keptYoung: number;
}

/**
 * Deletes every blob that is older than the grace period AND not referenced.
 * `isReferenced(key)` must answer from the DB (e.g. via parseEvidenceBlobKey → photo rows).
 */
export async function sweepUnreferenced(
  store: BlobStore,
  isReferenced: (key: string) => Promise<boolean>,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const graceMs = options.olderThanMs ?? DEFAULT_SWEEP_GRACE_MS;
  const now = options.now ?? (() => new Date());
  const result: SweepResult = { scanned: 0, deleted: [], keptReferenced: 0, keptYoung: 0 };
  const isOld = (d: Date): boolean => now().getTime() - d.getTime() > graceMs;

  for await (const blob of store.list(options.prefix)) {
    options.signal?.throwIfAborted();
    result.scanned++;
    if (!isOld(blob.lastModified)) {
      result.keptYoung++;
      continue;
    }
    if (await isReferenced(blob.key)) {
      result.keptReferenced++;
      continue;
    }
    // Re-check the age: it may have been re-put (and so be about to get a row) meanwhile.
    const fresh = await store.stat(blob.key);
    if (!fresh) continue;
    if (!isOld(fresh.lastModified)) {
      result.keptYoung++;
      continue;
    }
    if (!options.dryRun) await store.delete(blob.key);
    result.deleted.push(blob.key);
  }
  return result;
}
