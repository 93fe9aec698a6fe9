/**
 * A job this process runs every `everyMs` (the orphan-blob sweeper, the photo retention purge),
 * started and stopped with the app (app.ts). A run still going when the next is due is not
 * doubled; a failure is logged and the schedule goes on. `everyMs` 0 means never scheduled.
 */
export function createPeriodicJob(opts: {
  everyMs: number;
  run: () => Promise<unknown>;
  onError: (err: unknown) => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  return {
    start(): void {
      if (opts.everyMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        opts
          .run()
          .catch(opts.onError)
          .finally(() => {
            running = false;
          });
      }, opts.everyMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

export type PeriodicJob = ReturnType<typeof createPeriodicJob>;
