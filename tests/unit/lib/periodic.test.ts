import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPeriodicJob } from '@hoctap/server/lib/periodic.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createPeriodicJob', () => {
  it('runs every period once started, never doubles a run still going, and stops', async () => {
    let release: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const job = createPeriodicJob({ everyMs: 1000, run, onError: () => undefined });
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).not.toHaveBeenCalled();
    job.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000); // the first run is still going
    expect(run).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
    job.stop();
    release();
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('reports a failed run and keeps the schedule', async () => {
    const onError = vi.fn();
    const run = vi.fn(async () => {
      throw new Error('disk gone');
    });
    const job = createPeriodicJob({ everyMs: 1000, run, onError });
    job.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledTimes(2);
    job.stop();
  });

  it('is never scheduled with a period of 0', async () => {
    const run = vi.fn(async () => undefined);
    const job = createPeriodicJob({ everyMs: 0, run, onError: () => undefined });
    job.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).not.toHaveBeenCalled();
  });
});
