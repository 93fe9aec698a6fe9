/**
 * Export rendering on worker threads: `threads` workers (config EXPORT_RENDER_THREADS), started on
 * first use, each one job at a time, the rest wait in a FIFO. With 0 threads the job renders on
 * the main thread (the embedded demo on a small laptop, or a test that wants it). A thread that
 * dies rejects its job and is replaced by the next one.
 */
import { Worker } from 'node:worker_threads';
import { renderJob, type Render, type RenderJob } from './render.ts';
import type { RenderReply, RenderRequest } from './render-worker.ts';

const ENTRY = new URL('./render-worker.entry.mjs', import.meta.url);

/**
 * A render thread's heap. A small young generation makes V8 collect often instead of growing the
 * thread's heap towards ~100 MB: a commune's XLSX lives in ~30 MB. The old generation's bound is
 * generous (the largest export, a province's certificates, stays far below it); past it the
 * thread dies, its job fails with an error and the next job gets a new thread.
 */
const RENDER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 384 };

interface Pending {
  job: RenderJob;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: Worker | null;
  current: (Pending & { id: number }) | null;
}

export interface RenderPool {
  render: Render;
  close(): Promise<void>;
}

export function createRenderPool(threads: number): RenderPool {
  if (threads <= 0) return { render: renderJob, close: async () => {} };
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: null, current: null }));
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(slot: Slot): Worker {
    const worker = new Worker(ENTRY, { resourceLimits: RENDER_THREAD_LIMITS });
    slot.worker = worker;
    worker.on('message', (reply: RenderReply) => {
      const cur = slot.current;
      if (!cur || cur.id !== reply.jobId) return;
      slot.current = null;
      if (reply.ok) cur.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
      else cur.reject(new Error(`export render failed: ${reply.message}`));
      pump();
    });
    const lost = (why: string) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const cur = slot.current;
      slot.current = null;
      cur?.reject(new Error(why));
      pump();
    };
    worker.on('error', (err) => lost(`export render thread failed: ${err.message}`));
    worker.on('exit', (code) => lost(`export render thread exited (${code})`));
    return worker;
  }

  function pump(): void {
    if (closed) return;
    for (const slot of slots) {
      if (slot.current || queue.length === 0) continue;
      const next = queue.shift()!;
      const id = nextId++;
      slot.current = { ...next, id };
      const msg: RenderRequest = { jobId: id, job: next.job };
      (slot.worker ?? spawn(slot)).postMessage(msg);
    }
  }

  return {
    render(job) {
      if (closed) return Promise.reject(new Error('export render pool closed'));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('export render pool closed'));
      await Promise.all(
        slots.map(async (slot) => {
          const w = slot.worker;
          slot.worker = null;
          slot.current?.reject(new Error('export render pool closed'));
          slot.current = null;
          if (w) await w.terminate();
        }),
      );
    },
  };
}
