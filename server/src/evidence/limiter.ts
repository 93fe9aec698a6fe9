/**
 * A tiny concurrency limiter (semaphore + bounded FIFO queue).
 *
 * Why: decoding and re-encoding a phone photo costs ~100 ms of CPU and tens of MB of memory, and
 * libvips runs on the libuv threadpool (4 threads by default) that fs and crypto also use. A burst
 * of uploads after a Zalo group reminder must not starve every other request, so photo work runs
 * at most `concurrency` at a time, a few more may wait, and the rest are refused at once
 * (`LimiterBusyError` → the route answers 503 + Retry-After and the Mini App retries with backoff)
 * instead of letting latency grow without bound.
 *
 * This is an in-request throttle, not a work queue: nothing queued here outlives the HTTP request
 * that is waiting for it, so a restart loses no accepted work (ARCHITECTURE §6), and each API
 * instance bounds its own CPU.
 */

export class LimiterBusyError extends Error {
  override readonly name = 'LimiterBusyError';
  constructor(readonly queued: number) {
    super(`limiter queue full (${queued} waiting)`);
  }
}

export interface Limiter {
  /** Runs `task` when a slot is free. Rejects with LimiterBusyError if the queue is full, or with
   * `signal.reason` if the signal aborts while still waiting (the task is then never started). */
  run<T>(task: () => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly queued: number;
  readonly concurrency: number;
  readonly maxQueue: number;
}

export interface LimiterOptions {
  /** Waiting tasks allowed before refusing. Default: 4 × concurrency. */
  maxQueue?: number;
}

export function createLimiter(concurrency: number, options: LimiterOptions = {}): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const maxQueue = options.maxQueue ?? concurrency * 4;
  if (!(maxQueue >= 0)) throw new RangeError(`maxQueue must be >= 0, got ${maxQueue}`);

  let active = 0;
  // Each waiter is a "start now" callback; FIFO keeps waiting time fair.
  const waiting: Array<() => void> = [];

  function release(): void {
    active--;
    const next = waiting.shift();
    if (next) next();
  }

  async function acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (active < concurrency) {
      active++;
      return;
    }
    if (waiting.length >= maxQueue) throw new LimiterBusyError(waiting.length);
    await new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        active++; // the releasing task hands its slot straight to us
        resolve();
      };
      const onAbort = (): void => {
        const i = waiting.indexOf(start);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    async run<T>(task: () => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<T> {
      await acquire(opts.signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    concurrency,
    maxQueue,
  };
}
