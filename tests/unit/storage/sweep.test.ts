import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evidenceBlobKey, parseEvidenceBlobKey } from '@hoctap/server/storage/blob-store.ts';
import { FsBlobStore } from '@hoctap/server/storage/fs-blob-store.ts';
import { DEFAULT_SWEEP_GRACE_MS, sweepUnreferenced } from '@hoctap/server/storage/sweep.ts';

const DAY = 24 * 3600_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('sweepUnreferenced', () => {
  let root: string;
  let store: FsBlobStore;
  const now = new Date('2025-11-20T00:00:00Z');

  /** Puts a blob and back-dates it by `ageMs`. */
  async function blob(name: string, ageMs: number, variant: 'image' | 'thumb' = 'image'): Promise<string> {
    const key = evidenceBlobKey(sha(name), variant);
    await store.put(key, Buffer.from(name));
    const t = new Date(now.getTime() - ageMs);
    await utimes(join(root, ...key.split('/')), t, t);
    return key;
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoctap-sweep-'));
    store = new FsBlobStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('removes only blobs that are both unreferenced and older than the grace period', async () => {
    const referencedOld = await blob('referenced-old', 10 * DAY);
    const orphanOld = await blob('orphan-old', 2 * DAY);
    const orphanYoung = await blob('orphan-young', 3600_000); // an upload whose row is being inserted
    const referencedYoung = await blob('referenced-young', 60_000);
    const referenced = new Set([referencedOld, referencedYoung]);

    const result = await sweepUnreferenced(store, async (k) => referenced.has(k), {
      olderThanMs: DAY,
      now: () => now,
    });

    expect(result.deleted).toEqual([orphanOld]);
    expect(result).toMatchObject({ scanned: 4, keptReferenced: 1, keptYoung: 2 });
    expect(await store.exists(orphanOld)).toBe(false);
    for (const k of [referencedOld, orphanYoung, referencedYoung]) expect(await store.exists(k)).toBe(true);
  });

  it('keeps a blob shared by two households while either still references it', async () => {
    const shared = await blob('same photo sent by two households', 30 * DAY);
    // Household 1 deleted its photo row; household 2 still has one → still referenced.
    const rows = new Map([[parseEvidenceBlobKey(shared)?.sha256, 1]]);
    const result = await sweepUnreferenced(store, async (k) => (rows.get(parseEvidenceBlobKey(k)?.sha256) ?? 0) > 0, {
      olderThanMs: DAY,
      now: () => now,
    });
    expect(result.deleted).toEqual([]);
    expect(await store.exists(shared)).toBe(true);
  });

  it('dryRun reports without deleting', async () => {
    const orphan = await blob('orphan', 2 * DAY);
    const result = await sweepUnreferenced(store, async () => false, {
      olderThanMs: DAY,
      now: () => now,
      dryRun: true,
    });
    expect(result.deleted).toEqual([orphan]);
    expect(await store.exists(orphan)).toBe(true);
  });

  it('does not delete an old orphan that is re-uploaded (re-put refreshes its age)', async () => {
    const orphan = await blob('old orphan', 5 * DAY);
    // The same photo arrives again: put() is idempotent and touches the file; its row is next.
    expect((await store.put(orphan, Buffer.from('old orphan'))).created).toBe(false);
    const result = await sweepUnreferenced(store, async () => false, { olderThanMs: DAY });
    expect(result.deleted).toEqual([]);
    expect(await store.exists(orphan)).toBe(true);
  });

  it('re-checks the age right before deleting (re-upload racing with the sweep)', async () => {
    const orphan = await blob('racing', 5 * DAY);
    const result = await sweepUnreferenced(
      store,
      async (k) => {
        // While the sweeper asks the DB, the household re-uploads the same photo.
        await store.put(k, Buffer.from('racing'));
        return false; // its row is not committed yet
      },
      { olderThanMs: DAY },
    );
    expect(result.deleted).toEqual([]);
    expect(result.keptYoung).toBe(1);
    expect(await store.exists(orphan)).toBe(true);
  });

  it('honours a prefix and the default 24 h grace period', async () => {
    expect(DEFAULT_SWEEP_GRACE_MS).toBe(DAY);
    const a = await blob('a', 2 * DAY);
    const b = await blob('b', 2 * DAY);
    const prefix = `sha256/${sha('a').slice(0, 2)}/`;
    const result = await sweepUnreferenced(store, async () => false, { prefix, now: () => now });
    expect(result.deleted).toEqual([a]);
    expect(sha('b').startsWith(sha('a').slice(0, 2))).toBe(false); // 'b' is outside the prefix
    expect(await store.exists(b)).toBe(true);
  });

  it('stops when aborted', async () => {
    await blob('x', 2 * DAY);
    await expect(
      sweepUnreferenced(store, async () => false, { olderThanMs: DAY, signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });
});
