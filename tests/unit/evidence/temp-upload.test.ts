import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceError } from '@hoctap/server/evidence/errors.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@hoctap/server/evidence/inspect-upload.ts';
import { streamToTempFile } from '@hoctap/server/evidence/temp-upload.ts';

/** Yields `total` bytes in chunks, like a socket would. */
function chunked(data: Buffer, chunkSize = 16 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
    })(),
  );
}

/** `size` zero bytes without allocating them all (for the 8 MiB + 1 case). */
function zeros(size: number, chunkSize = 64 * 1024): Readable {
  const chunk = Buffer.alloc(chunkSize);
  return Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= chunkSize) yield left >= chunkSize ? chunk : chunk.subarray(0, left);
    })(),
  );
}

/**
 * Waits until the upload's temp file exists in `dir`: a bounded number of turns of the event loop
 * on the condition, not a sleep whose length a loaded machine could outrun.
 */
async function tempFileAppears(dir: string, tries = 100_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if ((await readdir(dir)).length === 1) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the temp file never appeared');
}

describe('streamToTempFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoctap-upload-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the bytes to a private temp file and hashes them on the fly', async () => {
    const data = randomBytes(200_000);
    const r = await streamToTempFile(chunked(data), { dir, maxBytes: 1_000_000 });
    expect(r.truncated).toBe(false);
    if (r.truncated) return;
    expect(r.bytes).toBe(data.length);
    expect(r.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await readFile(r.path)).toEqual(data);
    expect(r.path.startsWith(dir)).toBe(true);
    expect((await stat(r.path)).mode & 0o777).toBe(0o600);
  });

  it('accepts exactly maxBytes', async () => {
    const r = await streamToTempFile(chunked(randomBytes(4096)), { dir, maxBytes: 4096 });
    expect(r).toMatchObject({ truncated: false, bytes: 4096 });
  });

  it('reports a file one byte over the limit as truncated and leaves nothing on disk (→ 413)', async () => {
    const r = await streamToTempFile(chunked(randomBytes(4097), 1000), { dir, maxBytes: 4096 });
    expect(r).toEqual({ truncated: true, path: null, bytes: 4097, sha256: null });
    expect(await readdir(dir)).toEqual([]);
  });

  it('handles the real default limit: 8 MiB + 1 byte is truncated, 8 MiB is not', async () => {
    const over = await streamToTempFile(zeros(DEFAULT_MAX_UPLOAD_BYTES + 1), {
      dir,
      maxBytes: DEFAULT_MAX_UPLOAD_BYTES,
    });
    expect(over.truncated).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    const exact = await streamToTempFile(zeros(DEFAULT_MAX_UPLOAD_BYTES), { dir, maxBytes: DEFAULT_MAX_UPLOAD_BYTES });
    expect(exact).toMatchObject({ truncated: false, bytes: DEFAULT_MAX_UPLOAD_BYTES });
  });

  it("honours @fastify/multipart's `truncated` flag, which is only set once the stream has ended", async () => {
    // What busboy does when limits.fileSize is hit while streaming: the stream simply ENDS at the
    // limit (no error) and `truncated` becomes true. Checking it before consuming sees `false`.
    const part = new PassThrough() as PassThrough & { truncated: boolean };
    part.truncated = false;
    const pending = streamToTempFile(part, { dir, maxBytes: 10_000 });
    expect(part.truncated).toBe(false); // the fastify/demo pitfall: too early to know
    part.write(randomBytes(5000));
    part.truncated = true;
    part.end();
    const r = await pending;
    expect(r.truncated).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('throws UPLOAD_INCOMPLETE and removes the temp file when the stream aborts midway', async () => {
    const source = new Readable({ read() {} });
    const pending = streamToTempFile(source, { dir, maxBytes: 1_000_000 });
    source.push(randomBytes(50_000));
    await tempFileAppears(dir); // the partial temp file exists meanwhile
    source.destroy(new Error('ECONNRESET'));
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvidenceError);
    expect(err).toMatchObject({ code: 'UPLOAD_INCOMPLETE', statusCode: 400 });
    expect((err as Error).cause).toMatchObject({ message: 'ECONNRESET' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops and cleans up when the request signal aborts', async () => {
    const source = new Readable({ read() {} });
    const ac = new AbortController();
    const pending = streamToTempFile(source, { dir, maxBytes: 1_000_000, signal: ac.signal });
    source.push(randomBytes(1000));
    await tempFileAppears(dir);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('never overwrites: each upload gets its own path', async () => {
    const [a, b] = await Promise.all([
      streamToTempFile(chunked(Buffer.from('a')), { dir, maxBytes: 10 }),
      streamToTempFile(chunked(Buffer.from('b')), { dir, maxBytes: 10 }),
    ]);
    expect(a?.path).not.toBe(b?.path);
    expect((await readdir(dir)).length).toBe(2);
  });
});
