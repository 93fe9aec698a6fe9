/**
 * BlobStore: where photo bytes live, behind one small interface so the filesystem default
 * (fs-blob-store.ts) can be swapped for S3-compatible storage at province scale without touching
 * services (docs/architecture.md §7.5, §11; modelled on supabase/storage's backend adapter).
 *
 * ── Crash consistency: "blob first, then DB row" (docs/architecture.md §7.5) ────────────────────
 *
 *   1. put() the blob: temp file → fsync → rename → fsync dir. When put() resolves, the bytes
 *      are durable under their final key.
 *   2. Only then insert the rows (photo, blob key) in a DB transaction.
 *
 * Whatever instant the process dies at, a row can only exist if step 1 completed before it, so
 * NO ROW EVER POINTS AT A MISSING FILE. The opposite failure — the process dies between 1 and 2 —
 * leaves a blob no row references: harmless garbage that `sweepUnreferenced()` (sweep.ts) removes
 * after a grace period longer than any in-flight upload. The reverse order (row first) would,
 * on a crash, leave a row whose photo 404s forever, which no sweeper can repair.
 *
 * Deletion runs the same way round: delete rows first (transaction), let the sweeper delete the
 * blobs that nothing references any more — so a blob shared by two households (same sha256)
 * survives while one of them still points at it.
 *
 * Re-uploading the same photo is idempotent: keys are content-addressed, a second put() of an
 * existing key writes nothing (and refreshes the blob's age, see fs-blob-store.ts).
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string;
  size: number;
  /** Last write (or idempotent re-put). The sweeper's grace period is measured from it. */
  lastModified: Date;
}

export interface PutResult {
  /** false when the key already existed (content-addressed: same key ⇒ same bytes). */
  created: boolean;
  size: number;
}

export interface BlobStore {
  /** Durably stores the bytes (a Buffer, or the contents of a local file) under `key`. */
  put(key: string, source: string | Buffer): Promise<PutResult>;
  /**
   * Stores a local file that is already durable on disk (written and fsynced) and takes it over:
   * the file is gone afterwards. The filesystem store moves it (one rename on the same
   * filesystem) instead of copying the bytes and syncing them a second time.
   */
  adopt(key: string, path: string): Promise<PutResult>;
  /** A stream of the bytes. Rejects with BlobNotFoundError if absent. */
  get(key: string): Promise<Readable>;
  /** Metadata, or null if absent (for Content-Length and the sweeper). */
  stat(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; true if something was deleted, false if it was already gone. */
  delete(key: string): Promise<boolean>;
  /** Every blob under `prefix` (default: all), in no particular order. */
  list(prefix?: string): AsyncIterable<BlobInfo>;
}

export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  readonly code = 'BLOB_NOT_FOUND';
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}

export class InvalidBlobKeyError extends Error {
  override readonly name = 'InvalidBlobKeyError';
  readonly code = 'INVALID_BLOB_KEY';
  constructor(readonly key: string) {
    super(`invalid blob key: ${JSON.stringify(key)}`);
  }
}

/** Derivatives stored per original photo. */
export type EvidenceVariant = 'image' | 'thumb';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * `sha256/ab/cd/<sha>-<variant>.jpg` — built only from the server-computed hash, never from a
 * user-supplied filename (ASVS 5.3.2, path traversal). Two directory levels keep each directory
 * small (≤ 65 536 leaf dirs) on any filesystem.
 */
export function evidenceBlobKey(sha256: string, variant: EvidenceVariant): string {
  if (!SHA256_HEX.test(sha256)) throw new InvalidBlobKeyError(sha256);
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}-${variant}.jpg`;
}

/** Segment rule shared by every backend: no '..', no hidden names, no empty segments. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function assertValidBlobKey(key: string): void {
  if (key.length === 0 || key.length > 512) throw new InvalidBlobKeyError(key);
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment) || segment.includes('..')) throw new InvalidBlobKeyError(key);
  }
}

const EVIDENCE_KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})-(image|thumb)\.jpg$/;

/** Inverse of evidenceBlobKey (for the sweeper's reference check); null for any other key. */
export function parseEvidenceBlobKey(key: string): { sha256: string; variant: EvidenceVariant } | null {
  const m = EVIDENCE_KEY.exec(key);
  if (!m || !m[3] || m[1] !== m[3].slice(0, 2) || m[2] !== m[3].slice(2, 4)) return null;
  return { sha256: m[3], variant: m[4] as EvidenceVariant };
}
