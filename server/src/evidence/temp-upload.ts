/**
 * Stream an upload to a private temp file, hashing and counting on the fly.
 *
 * Why a temp file and not a Buffer: multipart bodies are not bounded by Fastify's `bodyLimit`,
 * and a province-wide burst is ~45 MB/s of photos (docs/architecture.md §7.1); memory stays flat.
 *
 * Size limit — the pitfall this module exists for (docs/architecture.md §7.1): when @fastify/multipart's
 * `limits.fileSize` is exceeded while *streaming*, nothing throws: the file stream just ends at
 * exactly `fileSize` bytes and sets `file.truncated = true`. That flag is only meaningful AFTER the
 * stream has been consumed. We check it here, after the pipeline, so no route can forget; we also
 * count bytes ourselves so a source without that flag is bounded too. Pass `maxBytes` equal to the
 * multipart `fileSize`.
 *
 * A truncated upload is never returned as a file: the temp file is removed and the result says
 * `truncated: true` (→ 413). A failed/aborted stream removes the temp file and throws
 * EvidenceError UPLOAD_INCOMPLETE.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { evidenceErrors } from './errors.ts';

export interface StreamToTempFileOptions {
  /** Directory for the temp file. Use one on the same filesystem as the blob store root. */
  dir: string;
  /** Largest accepted size in bytes (inclusive). */
  maxBytes: number;
  /** Aborts the copy (e.g. the request was closed). */
  signal?: AbortSignal;
}

/**
 * How much of the upload's beginning is kept in memory: enough for the magic bytes and, for a
 * usual photo, the whole image header (markers, EXIF), so the upload is inspected without
 * reading the file back (inspect-upload.ts).
 */
export const HEAD_BYTES = 64 * 1024;

export type TempUpload =
  | { truncated: false; path: string; bytes: number; sha256: string; head: Buffer }
  /** Over the limit: nothing is left on disk; `bytes` is how many were seen before stopping. */
  | { truncated: true; path: null; bytes: number; sha256: null };

export async function streamToTempFile(source: Readable, options: StreamToTempFileOptions): Promise<TempUpload> {
  const { dir, maxBytes, signal } = options;
  const path = join(dir, `upload-${randomUUID()}.tmp`);
  const hash = createHash('sha256');
  let bytes = 0;
  let overLimit = false;
  const head: Buffer[] = [];
  let headBytes = 0;

  // Count + hash + enforce the limit in one pass. Past the limit we keep reading but drop the
  // data: the multipart parser needs the part consumed to move on, and the source is bounded by
  // multipart's own fileSize anyway. Nothing past maxBytes reaches the disk.
  const tap = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      bytes += chunk.length;
      if (overLimit) return done();
      if (bytes > maxBytes) {
        overLimit = true;
        return done();
      }
      hash.update(chunk);
      if (headBytes < HEAD_BYTES) {
        // A copy: the chunk may be a view of a buffer its producer reuses.
        const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - headBytes));
        head.push(part);
        headBytes += part.length;
      }
      done(null, chunk);
    },
  });

  // 'wx': never follow or overwrite an existing path; 0o600: other local users cannot read photos.
  // `flush: true` fsyncs before close, so a crash after we return cannot leave a short file.
  const sink = createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });

  try {
    await pipeline(source, tap, sink, signal ? { signal } : {});
  } catch (err) {
    await rm(path, { force: true });
    throw evidenceErrors.uploadIncomplete(err);
  }

  // Only now is multipart's flag reliable.
  const sourceTruncated = (source as Readable & { truncated?: unknown }).truncated === true;
  if (overLimit || sourceTruncated) {
    await rm(path, { force: true });
    return { truncated: true, path: null, bytes, sha256: null };
  }
  return { truncated: false, path, bytes, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}
