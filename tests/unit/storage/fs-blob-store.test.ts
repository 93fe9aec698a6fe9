import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  evidenceBlobKey,
  InvalidBlobKeyError,
  parseEvidenceBlobKey,
  type BlobInfo,
} from '@hoctap/server/storage/blob-store.ts';
import { FsBlobStore } from '@hoctap/server/storage/fs-blob-store.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function collect(it: AsyncIterable<BlobInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const b of it) keys.push(b.key);
  return keys.sort();
}

/** Every file under dir, relative paths. */
async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('evidenceBlobKey / parseEvidenceBlobKey', () => {
  it('builds sha256/ab/cd/<sha>-<variant>.jpg from the hash only', () => {
    const h = sha('photo');
    expect(evidenceBlobKey(h, 'image')).toBe(`sha256/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}-image.jpg`);
    expect(evidenceBlobKey(h, 'thumb')).toMatch(/-thumb\.jpg$/);
    expect(parseEvidenceBlobKey(evidenceBlobKey(h, 'thumb'))).toEqual({ sha256: h, variant: 'thumb' });
  });

  it('refuses anything that is not a lowercase sha256', () => {
    for (const bad of ['../../etc/passwd', 'ABC', sha('x').toUpperCase(), `${sha('x')}0`]) {
      expect(() => evidenceBlobKey(bad, 'image')).toThrow(InvalidBlobKeyError);
    }
  });

  it('parse rejects keys whose directories do not match the hash', () => {
    const h = sha('x');
    expect(parseEvidenceBlobKey(`sha256/00/00/${h}-image.jpg`)).toBeNull();
    expect(parseEvidenceBlobKey('other/thing.jpg')).toBeNull();
  });
});

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoctap-blobs-'));
    store = new FsBlobStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('puts a Buffer and streams it back', async () => {
    const data = randomBytes(100_000);
    const key = evidenceBlobKey(sha('a'), 'image');
    expect(await store.put(key, data)).toEqual({ created: true, size: data.length });
    expect(await buffer(await store.get(key))).toEqual(data);
    expect(await store.exists(key)).toBe(true);
    expect(await store.stat(key)).toMatchObject({ key, size: data.length });
    expect(await readFile(join(root, ...key.split('/')))).toEqual(data); // the documented layout
  });

  it('puts the contents of a local file (e.g. the upload temp file), leaving the source alone', async () => {
    const src = join(root, '..', `${Date.now()}-src.bin`);
    await writeFile(src, 'hello');
    try {
      const key = evidenceBlobKey(sha('b'), 'thumb');
      expect(await store.put(key, src)).toEqual({ created: true, size: 5 });
      expect((await buffer(await store.get(key))).toString()).toBe('hello');
      expect(await readFile(src, 'utf8')).toBe('hello');
    } finally {
      await rm(src, { force: true });
    }
  });

  it('creates blobs readable by the service user only (0600)', async () => {
    const key = evidenceBlobKey(sha('m'), 'image');
    await store.put(key, Buffer.from('x'));
    expect((await stat(join(root, ...key.split('/')))).mode & 0o777).toBe(0o600);
  });

  it('put of an existing key is idempotent: nothing rewritten, age refreshed', async () => {
    const key = evidenceBlobKey(sha('c'), 'image');
    await store.put(key, Buffer.from('first'));
    const path = join(root, ...key.split('/'));
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path, old, old);
    // Content-addressed: the same key means the same bytes, so the second body is not written.
    expect(await store.put(key, Buffer.from('first'))).toEqual({ created: false, size: 5 });
    expect(await readFile(path, 'utf8')).toBe('first');
    const info = await store.stat(key);
    expect(info?.lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('atomic writes leave no temp files behind (many puts, concurrent, same and different keys)', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => evidenceBlobKey(sha(`k${i % 10}`), 'image'));
    const results = await Promise.all(keys.map((k, i) => store.put(k, Buffer.from(`data-${i % 10}`))));
    expect(results.every((r) => r.size === 6)).toBe(true);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    const files = await allFiles(root);
    expect(files).toHaveLength(10);
    expect(files.every((f) => f.startsWith('sha256/'))).toBe(true);
    for (let i = 0; i < 10; i++) {
      const k = evidenceBlobKey(sha(`k${i}`), 'image');
      expect((await buffer(await store.get(k))).toString()).toBe(`data-${i}`);
    }
  });

  it('a failed put leaves neither a temp file nor a partial blob', async () => {
    const key = evidenceBlobKey(sha('d'), 'image');
    await expect(store.put(key, join(root, 'does-not-exist.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.exists(key)).toBe(false);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('get of a missing key rejects with BlobNotFoundError (→ 404)', async () => {
    const key = evidenceBlobKey(sha('missing'), 'image');
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat(key)).toBeNull();
    expect(await store.exists(key)).toBe(false);
  });

  it('delete is idempotent', async () => {
    const key = evidenceBlobKey(sha('e'), 'image');
    await store.put(key, Buffer.from('x'));
    expect(await store.delete(key)).toBe(true);
    expect(await store.delete(key)).toBe(false);
    expect(await store.exists(key)).toBe(false);
  });

  it.each([
    '../outside.jpg',
    'sha256/../../outside.jpg',
    '/etc/passwd',
    '.tmp/x.tmp',
    'a//b',
    'a/./b',
    'a\\..\\b',
    'a.php%00.jpg',
    '',
    'ảnh.jpg',
  ])('refuses the key %j (path traversal, hidden, odd characters)', async (key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });

  it('lists every blob (not temp files), with a prefix filter', async () => {
    const a = evidenceBlobKey(sha('a'), 'image');
    const aThumb = evidenceBlobKey(sha('a'), 'thumb');
    const b = evidenceBlobKey(sha('b'), 'image');
    for (const k of [a, aThumb, b]) await store.put(k, Buffer.from(k));
    await writeFile(join(root, '.tmp', 'stray.tmp'), 'partial');
    expect(await collect(store.list())).toEqual([a, aThumb, b].sort());
    expect(await collect(store.list(`sha256/${sha('a').slice(0, 2)}/`))).toEqual([a, aThumb].sort());
    expect(await collect(store.list(a.replace('-image.jpg', '')))).toEqual([a, aThumb].sort());
    expect(await collect(store.list('nothing/here/'))).toEqual([]);
  });

  it('lists nothing (and does not throw) for a fresh root', async () => {
    const fresh = new FsBlobStore(join(root, 'not-created-yet'));
    expect(await collect(fresh.list())).toEqual([]);
    expect(await fresh.cleanTemp({ olderThanMs: 0 })).toBe(0);
  });

  it('cleanTemp removes only stale temp files of crashed writes', async () => {
    await store.put(evidenceBlobKey(sha('z'), 'image'), Buffer.from('z')); // creates .tmp
    const stale = join(root, '.tmp', 'crashed.tmp');
    const fresh = join(root, '.tmp', 'in-progress.tmp');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'y');
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, old, old);
    expect(await store.cleanTemp({ olderThanMs: 3600_000 })).toBe(1);
    expect(await readdir(join(root, '.tmp'))).toEqual(['in-progress.tmp']);
  });
});
