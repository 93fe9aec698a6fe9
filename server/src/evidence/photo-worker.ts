/**
 * Body of a photo worker thread: decode, re-encode, thumbnail, pHash and EXIF hints, off the
 * main thread so a burst of uploads never stalls the event loop that answers requests.
 *
 * One job at a time per thread (the pool never sends a second before the answer), and libvips
 * limited to one thread here: the pool size IS the CPU budget for photos.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { isEvidenceError } from './errors.ts';
import { processPhoto } from './process-photo.ts';
import type { PhotoJobMessage, PhotoReplyMessage } from './worker-pool.ts';

sharp.cache(false);
sharp.concurrency(1);

const port = parentPort;
if (!port) throw new Error('photo-worker.ts must run in a worker thread');

port.on('message', (msg: PhotoJobMessage) => {
  void handle(msg).then((reply) => port.postMessage(reply));
});

async function handle(msg: PhotoJobMessage): Promise<PhotoReplyMessage> {
  try {
    const started = performance.now();
    const out = await processPhoto(
      Buffer.from(msg.original.buffer, msg.original.byteOffset, msg.original.byteLength),
      msg.mime,
      {
        now: new Date(msg.nowMs),
      },
    );
    return {
      jobId: msg.jobId,
      ok: true,
      cpuMs: performance.now() - started,
      result: { ...out, capturedAtMs: out.capturedAt?.getTime() ?? null },
    };
  } catch (err) {
    // The household's fault (corrupt, pixel flood…): a Vietnamese reason to show. Anything else
    // is ours and will be retried, so only its code travels.
    if (isEvidenceError(err))
      return { jobId: msg.jobId, ok: false, code: err.code, message: err.message, userFacing: true };
    return {
      jobId: msg.jobId,
      ok: false,
      code: 'INTERNAL',
      message: err instanceof Error ? err.message : String(err),
      userFacing: false,
    };
  }
}
