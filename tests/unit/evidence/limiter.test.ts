import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLimiter, LimiterBusyError } from '@hoctap/server/evidence/limiter.ts';

/** A task that records concurrency and finishes when told to. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => {
    release = r;
  });
  return { done, release };
}

describe('createLimiter', () => {
  it('never runs more than n tasks at once, and reaches n under load', async () => {
    const n = 3;
    const limiter = createLimiter(n, { maxQueue: 100 });
    let running = 0;
    let maxObserved = 0;
    const tasks = Array.from({ length: 25 }, (_, i) =>
      limiter.run(async () => {
        running++;
        maxObserved = Math.max(maxObserved, running);
        await sleep(2 + (i % 4));
        running--;
        return i;
      }),
    );
    expect(limiter.active).toBe(n);
    expect(limiter.queued).toBe(25 - n);
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(maxObserved).toBe(n);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('starts waiting tasks in FIFO order', async () => {
    const limiter = createLimiter(1, { maxQueue: 10 });
    const order: number[] = [];
    const first = gate();
    const p0 = limiter.run(() => first.done);
    const rest = [1, 2, 3].map((i) => limiter.run(async () => void order.push(i)));
    first.release();
    await Promise.all([p0, ...rest]);
    expect(order).toEqual([1, 2, 3]);
  });

  it('refuses at once with LimiterBusyError when the queue is full (→ 503 + Retry-After)', async () => {
    const limiter = createLimiter(2, { maxQueue: 1 });
    const g = gate();
    const running = [limiter.run(() => g.done), limiter.run(() => g.done)];
    const waiting = limiter.run(async () => 'queued');
    await expect(limiter.run(async () => 'refused')).rejects.toBeInstanceOf(LimiterBusyError);
    g.release();
    await Promise.all(running);
    expect(await waiting).toBe('queued');
  });

  it('maxQueue 0 means "run now or refuse"', async () => {
    const limiter = createLimiter(1, { maxQueue: 0 });
    const g = gate();
    const p = limiter.run(() => g.done);
    await expect(limiter.run(async () => 1)).rejects.toBeInstanceOf(LimiterBusyError);
    g.release();
    await p;
    expect(await limiter.run(async () => 2)).toBe(2);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = createLimiter(1, { maxQueue: 1 });
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.active).toBe(0);
    expect(await limiter.run(async () => 'ok')).toBe('ok');
  });

  it('drops a waiting task whose request was aborted, without running it', async () => {
    const limiter = createLimiter(1, { maxQueue: 5 });
    const g = gate();
    const p0 = limiter.run(() => g.done);
    const ac = new AbortController();
    let ran = false;
    const aborted = limiter.run(
      async () => {
        ran = true;
      },
      { signal: ac.signal },
    );
    expect(limiter.queued).toBe(1);
    ac.abort(new Error('client went away'));
    await expect(aborted).rejects.toThrow('client went away');
    expect(limiter.queued).toBe(0);
    g.release();
    await p0;
    expect(ran).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it('rejects an already-aborted signal without taking a slot', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => 1, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(limiter.active).toBe(0);
  });

  it('validates its arguments', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
    expect(() => createLimiter(1, { maxQueue: -1 })).toThrow(RangeError);
    expect(createLimiter(2).maxQueue).toBe(8);
  });
});
