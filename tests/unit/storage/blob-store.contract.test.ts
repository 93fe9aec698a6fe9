// One contract for every BlobStore: the filesystem store and the S3 store (against an
// S3-compatible server started here on loopback) must behave the same, including for the sweeper
// and the evidence ZIP that use them.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  evidenceBlobKey,
  FsBlobStore,
  InvalidBlobKeyError,
  sweepUnreferenced,
  type BlobStore,
} from '@hoctap/server/storage/index.ts';
import { evidenceZip } from '@hoctap/server/modules/exports/zip.ts';
import { startS3, type TestS3 } from '../../helpers/s3-server.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let scratch: string;
let s3: TestS3;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hoctap-contract-'));
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
  await rm(scratch, { recursive: true, force: true });
});

let n = 0;
const backends: [string, () => BlobStore][] = [
  ['filesystem', () => new FsBlobStore(join(scratch, `fs-${n++}`))],
  ['S3 (s3rver on loopback)', () => s3.store(`suite-${n++}/`)],
];

describe.each(backends)('BlobStore contract: %s', (_name, make) => {
  let store: BlobStore;
  beforeAll(() => {
    store = make();
  });

  it('stores a Buffer and reads back the same bytes, with size and age', async () => {
    const data = randomBytes(10_000);
    const key = evidenceBlobKey(sha(data), 'image');
    const before = Date.now() - 60_000;
    expect(await store.put(key, data)).toEqual({ created: true, size: data.length });
    expect(await buffer(await store.get(key))).toEqual(data);
    const info = await store.stat(key);
    expect(info).toMatchObject({ key, size: data.length });
    expect(info!.lastModified.getTime()).toBeGreaterThan(before);
    expect(await store.exists(key)).toBe(true);
  });

  it('streams a local file in (3 MB) and out unchanged', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const path = join(scratch, `big-${n++}.bin`);
    await writeFile(path, data);
    const key = `originals/${sha(data).slice(0, 32)}`;
    expect(await store.put(key, path)).toEqual({ created: true, size: data.length });
    const back = await buffer(await store.get(key));
    expect(back.length).toBe(data.length);
    expect(sha(back)).toBe(sha(data));
  });

  it('adopts a local file: stored unchanged, the file itself is gone; an existing key keeps its bytes', async () => {
    const data = randomBytes(200_000);
    const path = join(scratch, `adopt-${n++}.bin`);
    await writeFile(path, data);
    const key = `originals/${sha(data).slice(0, 32)}`;
    expect(await store.adopt(key, path)).toEqual({ created: true, size: data.length });
    expect(existsSync(path)).toBe(false);
    expect(sha(await buffer(await store.get(key)))).toBe(sha(data));
    // Again under the same key: nothing new is written and the file is still taken away.
    const again = join(scratch, `adopt-${n++}.bin`);
    await writeFile(again, data);
    expect(await store.adopt(key, again)).toEqual({ created: false, size: data.length });
    expect(existsSync(again)).toBe(false);
  });

  it('a second put of an existing key writes nothing and keeps it (content-addressed)', async () => {
    const data = randomBytes(1000);
    const key = evidenceBlobKey(sha(data), 'thumb');
    await store.put(key, data);
    const first = await store.stat(key);
    expect(await store.put(key, data)).toEqual({ created: false, size: 1000 });
    const again = await store.stat(key);
    expect(again!.lastModified.getTime()).toBeGreaterThanOrEqual(first!.lastModified.getTime());
    expect(await buffer(await store.get(key))).toEqual(data);
  });

  it('a missing blob: get rejects BlobNotFoundError, stat null, delete false', async () => {
    const key = evidenceBlobKey(sha('absent'), 'image');
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat(key)).toBeNull();
    expect(await store.exists(key)).toBe(false);
    expect(await store.delete(key)).toBe(false);
  });

  it('deletes, and says whether something was deleted', async () => {
    const data = Buffer.from('to delete');
    const key = evidenceBlobKey(sha(data), 'image');
    await store.put(key, data);
    expect(await store.delete(key)).toBe(true);
    expect(await store.exists(key)).toBe(false);
    expect(await store.delete(key)).toBe(false);
  });

  it('lists by prefix only', async () => {
    const own = make();
    await own.put('originals/one', Buffer.from('1'));
    await own.put('originals/two', Buffer.from('22'));
    await own.put(evidenceBlobKey(sha('x'), 'image'), Buffer.from('x'));
    const listed: { key: string; size: number }[] = [];
    for await (const b of own.list('originals/')) listed.push({ key: b.key, size: b.size });
    expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'originals/one', size: 1 },
      { key: 'originals/two', size: 2 },
    ]);
    let all = 0;
    for await (const _ of own.list()) all++;
    expect(all).toBe(3);
  });

  it('refuses keys that could escape or hide (path traversal, hidden names)', async () => {
    for (const bad of ['../etc/passwd', '.hidden', 'a//b', '', 'a/../b']) {
      await expect(store.put(bad, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
  });

  it('the sweeper deletes old unreferenced blobs only', async () => {
    const own = make();
    const keep = evidenceBlobKey(sha('keep'), 'image');
    const orphan = evidenceBlobKey(sha('orphan'), 'image');
    await own.put(keep, Buffer.from('keep'));
    await own.put(orphan, Buffer.from('orphan'));
    const young = await sweepUnreferenced(own, async (k) => k === keep, { prefix: 'sha256/' });
    expect(young.deleted).toEqual([]);
    const r = await sweepUnreferenced(own, async (k) => k === keep, { prefix: 'sha256/', olderThanMs: -1 });
    expect(r.deleted).toEqual([orphan]);
    expect(await own.exists(keep)).toBe(true);
    expect(await own.exists(orphan)).toBe(false);
  });

  it('the evidence ZIP streams photos from it, with a manifest of their hashes', async () => {
    const own = make();
    const photos = [randomBytes(50_000), randomBytes(70_000)];
    const keys = photos.map((p) => evidenceBlobKey(sha(p), 'image'));
    for (const [i, p] of photos.entries()) await own.put(keys[i]!, p);
    const zip = await buffer(
      evidenceZip(
        own,
        keys.map((imageKey, i) => ({
          path: `anh-${i}.jpg`,
          imageKey,
          evidenceId: `00000000-0000-4000-8000-00000000000${i}`,
          subjectId: 's',
          subjectLabel: 'Hộ',
          subjectName: 'Nguyễn Văn A',
          groupName: 'Tổ 1',
          indicatorCode: '1.1',
          capturedAt: null,
          uploadedAt: new Date('2025-11-01T00:00:00Z'),
        })),
        (err) => {
          throw err;
        },
      ),
    );
    const files = unzipSync(new Uint8Array(zip));
    expect(Buffer.from(files['anh-0.jpg']!)).toEqual(photos[0]);
    expect(Buffer.from(files['anh-1.jpg']!)).toEqual(photos[1]);
    const manifest = strFromU8(files['manifest.csv']!);
    for (const p of photos) expect(manifest).toContain(sha(p));
  });
});
