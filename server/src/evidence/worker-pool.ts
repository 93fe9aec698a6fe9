/**
 * A fixed-size pool of photo worker threads (node:worker_threads).
 *
 * The caller (the processing loop) claims at most `idle` photos from the database and hands each
 * to `run()`, so the pool never queues: the durable queue is the database, and a photo is only
 * "taken" when a thread is free to start it. A thread that dies (a native crash in a decoder, an
 * out-of-memory) rejects its job with WorkerCrashedError and is replaced on the next run.
 */
import { Worker } from 'node:worker_threads';
import { EvidenceError, type EvidenceErrorCode } from './errors.ts';
import type { ProcessedPhoto } from './process-photo.ts';
import type { AcceptedMime } from './sniff.ts';

export interface PhotoJobMessage {
  jobId: number;
  original: Uint8Array;
  mime: AcceptedMime;
  nowMs: number;
}

export type PhotoReplyMessage =
  | {
      jobId: number;
      ok: true;
      /** Wall time spent in the worker (one libvips thread: close to its CPU time). */
      cpuMs: number;
      result: Omit<ProcessedPhoto, 'capturedAt'> & { capturedAtMs: number | null };
    }
  | { jobId: number; ok: false; code: string; message: string; userFacing: boolean };

export interface PhotoJobResult extends ProcessedPhoto {
  cpuMs: number;
}

export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}

export class PoolFullError extends Error {
  override readonly name = 'PoolFullError';
}

interface Slot {
  worker: Worker | null;
  job: { id: number; resolve: (r: PhotoJobResult) => void; reject: (e: Error) => void } | null;
}

const ENTRY = new URL('./photo-worker.entry.mjs', import.meta.url);

export class PhotoWorkerPool {
  private readonly slots: Slot[];
  private nextJobId = 1;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be ≥ 1, got ${size}`);
    this.slots = Array.from({ length: size }, () => ({ worker: null, job: null }));
  }

  /** Threads free to start a job now. */
  get idle(): number {
    return this.slots.filter((s) => s.job === null).length;
  }

  /**
   * `original` is handed over to the thread, not copied (at 320 KB a photo, copies and their
   * garbage collection were a visible share of the processor's CPU): the caller must not use it
   * afterwards.
   */
  run(original: Buffer, mime: AcceptedMime, now: Date): Promise<PhotoJobResult> {
    if (this.closed) return Promise.reject(new Error('photo pool closed'));
    const slot = this.slots.find((s) => s.job === null);
    if (!slot) return Promise.reject(new PoolFullError('no idle photo worker'));
    const worker = slot.worker ?? this.spawn(slot);
    const id = this.nextJobId++;
    return new Promise<PhotoJobResult>((resolve, reject) => {
      slot.job = { id, resolve, reject };
      const bytes = transferable(original);
      const msg: PhotoJobMessage = { jobId: id, original: bytes, mime, nowMs: now.getTime() };
      worker.postMessage(msg, [bytes.buffer]);
    });
  }

  /** Stops every thread now; jobs in flight reject. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const w = slot.worker;
        slot.worker = null;
        this.failJob(slot, new WorkerCrashedError('photo pool closed'));
        if (w) await w.terminate();
      }),
    );
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(ENTRY);
    slot.worker = worker;
    worker.on('message', (reply: PhotoReplyMessage) => {
      const job = slot.job;
      if (!job || job.id !== reply.jobId) return;
      slot.job = null;
      if (reply.ok) {
        const { capturedAtMs, ...rest } = reply.result;
        job.resolve({
          ...rest,
          image: asBuffer(rest.image),
          thumbnail: asBuffer(rest.thumbnail),
          ...(capturedAtMs !== null && { capturedAt: new Date(capturedAtMs) }),
          cpuMs: reply.cpuMs,
        });
      } else if (reply.userFacing) {
        job.reject(new EvidenceError(reply.code as EvidenceErrorCode, reply.message));
      } else {
        job.reject(new Error(`photo worker: ${reply.message}`));
      }
    });
    const lost = (why: string) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      this.failJob(slot, new WorkerCrashedError(why));
    };
    worker.on('error', (err) => lost(`photo worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`photo worker exited (${code})`));
    return worker;
  }

  private failJob(slot: Slot, err: Error): void {
    const job = slot.job;
    slot.job = null;
    job?.reject(err);
  }
}

/**
 * The bytes as a Uint8Array that owns its whole ArrayBuffer, so it can be transferred; a Buffer
 * that is a view into a larger (pooled) ArrayBuffer is copied instead. Not for sharp's output
 * buffers: they are external memory, which Node 26 refuses to transfer.
 */
function transferable(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  const owns = buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return owns ? new Uint8Array(buffer, 0, bytes.byteLength) : new Uint8Array(bytes);
}

/** A Buffer over the same memory (the message's copy is ours already). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
