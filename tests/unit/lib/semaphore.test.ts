import { describe, expect, it } from 'vitest';
import { createSemaphore } from '@hoctap/server/lib/semaphore.ts';

/** A promise the test settles by hand: no timers, no sleeps. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('createSemaphore', () => {
  it('runs at most n at once and lets the waiting ones in, in arrival order', async () => {
    const run = createSemaphore(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let active = 0;
    let most = 0;
    const done = gates.map((g, i) =>
      run(async () => {
        started.push(i);
        most = Math.max(most, ++active);
        await g.opened;
        active--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await done[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('frees the slot when the work throws', async () => {
    const run = createSemaphore(1);
    await expect(run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await run(async () => 'next')).toBe('next');
  });
});
