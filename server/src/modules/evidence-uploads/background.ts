/**
 * The evidence module's background work, started and stopped with the app (app.ts):
 * the photo processing loop, and the periodic sweep of orphan blobs (a crash between a blob write
 * and its row commit; the 24 h grace period is far longer than any upload), every
 * EVIDENCE_SWEEP_INTERVAL_MS.
 */
import { createPeriodicJob } from '../../lib/periodic.ts';
import type { PhotoProcessing } from './photo-processing.ts';

export function createEvidenceBackground(deps: {
  processing: Pick<PhotoProcessing, 'start' | 'stop'>;
  sweepOrphans: () => Promise<unknown>;
  sweepIntervalMs: number;
  log: { error(obj: object, msg: string): void };
}) {
  const sweeper = createPeriodicJob({
    everyMs: deps.sweepIntervalMs,
    run: deps.sweepOrphans,
    onError: (err) => deps.log.error({ err }, 'evidence sweep failed'),
  });
  return {
    async start(): Promise<void> {
      await deps.processing.start();
      sweeper.start();
    },
    /** Safe to call when never started (it also stops threads a test's drain() spawned). */
    async stop(): Promise<void> {
      sweeper.stop();
      await deps.processing.stop();
    },
  };
}
