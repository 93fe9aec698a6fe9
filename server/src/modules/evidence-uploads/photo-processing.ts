/**
 * The photo processing loop: claims photos from the durable queue (the evidence rows in state
 * `processing`), runs them on the worker-thread pool, stores the derivatives and marks each row
 * `ready` (or `failed` with a Vietnamese reason).
 *
 * Durability: an accepted photo is a committed row + a stored original, so a crash or a restart
 * loses nothing; the next process claims it again once the lease of the dead claimer runs out
 * (on PGlite, where only one process can exist, leases are void at start). Exactly-once effect:
 * a photo moves to `ready` only under its current claim token, so a slow claimer whose lease was
 * taken over cannot complete it a second time.
 *
 * Order of writes (storage/blob-store.ts): derivatives are stored BEFORE the row turns `ready`,
 * and the original is deleted only after; a crash in between leaves blobs the sweeper removes.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import {
  bandNeighbours,
  evidenceErrors,
  isEvidenceError,
  NEAR_DUPLICATE_MAX_DISTANCE,
  phashBands,
  phashToSigned,
  PhotoWorkerPool,
  type AcceptedMime,
} from '../../evidence/index.ts';
import { BlobNotFoundError, type BlobStore } from '../../storage/index.ts';
import {
  claimPhotos,
  completePhoto,
  exactCopies,
  failPhoto,
  nearDuplicatesByBands,
  releaseAllLeases,
  retryPhotoLater,
  type ClaimedPhoto,
} from './evidence.repo.ts';

export interface PhotoProcessingOptions {
  /** Worker threads (the CPU given to photos). */
  workers: number;
  /** How long a claim lasts before another process may take the photo over. */
  leaseMs: number;
  /** How often to look for work queued by other processes (or whose lease ran out). */
  pollMs: number;
  /** Claims before a photo is failed (one that keeps crashing its worker). */
  maxAttempts: number;
  /** Delay before retrying after our own trouble (storage, database, crashed thread). */
  retryDelayMs: number;
  /** PGlite: one process only, so leases left by a previous life can be released at start. */
  singleProcess: boolean;
}

/** The processing options of a configuration (one place for the API's threads and the child). */
export function processingOptions(
  evidence: { workers: number; leaseMs: number; pollMs: number },
  databaseKind: 'pg' | 'pglite',
): PhotoProcessingOptions {
  return {
    workers: evidence.workers,
    leaseMs: evidence.leaseMs,
    pollMs: evidence.pollMs,
    maxAttempts: 5,
    retryDelayMs: 10_000,
    singleProcess: databaseKind === 'pglite',
  };
}

export interface ProcessingLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ProcessingStats {
  processed: number;
  failed: number;
  retried: number;
  /** Sum of the workers' time per photo (decode + re-encode + thumbnail + hash + EXIF). */
  workerMs: number;
}

export function createPhotoProcessing(deps: {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  options: PhotoProcessingOptions;
  log: ProcessingLog;
}) {
  const { db, clock, blobs, options, log } = deps;
  let pool: PhotoWorkerPool | null = null;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;
  /** Set by abandon(): a simulated crash writes nothing more. */
  let abandoned = false;
  const inflight = new Map<string, Promise<void>>();
  const stats: ProcessingStats = { processed: 0, failed: 0, retried: 0, workerMs: 0 };

  const poolOf = (): PhotoWorkerPool => (pool ??= new PhotoWorkerPool(options.workers));

  // Claims are serialised within the process so the loop and drain() never race each other.
  let claiming: Promise<unknown> = Promise.resolve();
  function claimAndDispatch(): Promise<number> {
    const run = claiming.then(async () => {
      if (stopping) return 0;
      const free = options.workers - inflight.size;
      if (free <= 0) return 0;
      const jobs = await claimPhotos(db, { limit: free, leaseMs: options.leaseMs, exclude: [...inflight.keys()] });
      for (const job of jobs) {
        const done = handle(job)
          .catch((err: unknown) => log.error({ err, evidenceId: job.id }, 'photo processing failed'))
          .finally(() => {
            inflight.delete(job.id);
            if (started) wake();
          });
        inflight.set(job.id, done);
      }
      return jobs.length;
    });
    claiming = run.catch(() => undefined);
    return run;
  }

  function wake(): void {
    if (!started || stopping) return;
    claimAndDispatch().catch((err: unknown) => log.warn({ err }, 'photo queue: claim failed, will retry'));
  }

  async function handle(job: ClaimedPhoto): Promise<void> {
    const now = clock.now();
    if (job.attempts > options.maxAttempts) {
      if (await failPhoto(db, job, evidenceErrors.processingFailed().message, now)) stats.failed++;
      return;
    }
    let original: Buffer;
    try {
      if (!job.originalKey || !job.mime) throw new BlobNotFoundError(job.originalKey ?? '(none)');
      original = await readAll(await blobs.get(job.originalKey));
    } catch (err) {
      if (err instanceof BlobNotFoundError) {
        if (await failPhoto(db, job, evidenceErrors.originalMissing().message, now)) stats.failed++;
        return;
      }
      return retryLater(job, err);
    }
    let out;
    try {
      out = await poolOf().run(original, job.mime as AcceptedMime, now);
    } catch (err) {
      if (isEvidenceError(err)) {
        if (await failPhoto(db, job, err.message, now)) {
          stats.failed++;
          await blobs.delete(job.originalKey).catch(() => false); // the sweeper catches a failure here
        }
        return;
      }
      return retryLater(job, err);
    }
    if (abandoned) return;
    stats.workerMs += out.cpuMs;
    try {
      // Content-addressed: a copy of a photo already stored writes nothing new.
      await blobs.put(job.imageKey, out.image);
      await blobs.put(job.thumbKey, out.thumbnail);
      if (abandoned) return;
      const phash = phashToSigned(out.phash);
      const bands = phashBands(out.phash);
      // No transaction: the two reads see committed rows either way, and the one write is
      // guarded by our claim token (a BEGIN and a COMMIT fewer per photo).
      const exact = await exactCopies(db, { communeId: job.communeId, selfId: job.id, sha256: job.sha256 });
      const near = await nearDuplicatesByBands(db, {
        communeId: job.communeId,
        selfId: job.id,
        phash,
        bandValues: bands.map((b) => bandNeighbours(b)),
        maxDistance: NEAR_DUPLICATE_MAX_DISTANCE,
      });
      const seen = new Set(exact.map((d) => d.evidenceId));
      const completed = await completePhoto(db, job, {
        bytes: out.image.length,
        width: out.width,
        height: out.height,
        capturedAt: out.capturedAt ?? null,
        hasLocation: out.hasLocation,
        phash,
        bands,
        nearDuplicates: [...exact, ...near.filter((d) => !seen.has(d.evidenceId))].slice(0, 10),
        processedAt: clock.now(),
      });
      if (!completed) return; // deleted meanwhile, or our claim was taken over
      stats.processed++;
      // The original (with its EXIF and GPS) has no use any more; the sweeper catches a failure here.
      if (job.originalKey) await blobs.delete(job.originalKey).catch(() => false);
    } catch (err) {
      return retryLater(job, err);
    }
  }

  async function retryLater(job: ClaimedPhoto, err: unknown): Promise<void> {
    if (abandoned) return;
    stats.retried++;
    log.warn({ err, evidenceId: job.id, attempts: job.attempts }, 'photo processing: will retry');
    await retryPhotoLater(db, job, options.retryDelayMs).catch(() => undefined); // else the lease expires
  }

  return {
    /** Begin processing (onReady): picks up the backlog left by earlier runs, then polls. */
    async start(): Promise<void> {
      if (started) return;
      if (options.singleProcess) await releaseAllLeases(db);
      started = true;
      stopping = false;
      timer = setInterval(wake, options.pollMs);
      timer.unref();
      wake();
    },

    /** Stop claiming, let the photos in flight finish, stop the threads (preClose). */
    async stop(): Promise<void> {
      started = false;
      stopping = true;
      clearInterval(timer);
      await claiming;
      await Promise.allSettled([...inflight.values()]);
      await pool?.close();
      pool = null;
      stopping = false;
    },

    /** A photo was just accepted by this process: no need to wait for the next poll. */
    wake,

    /**
     * Processes until nothing is claimable (tests, benchmarks, scripts). Work whose lease is held
     * by another live process is not waited for.
     */
    async drain(): Promise<void> {
      for (;;) {
        const claimed = await claimAndDispatch();
        if (claimed === 0 && inflight.size === 0) return;
        if (inflight.size > 0) await Promise.race(inflight.values());
      }
    },

    /**
     * Drops everything at once, as a crash would: threads terminated, nothing more written.
     * Only for tests of crash recovery.
     */
    async abandon(): Promise<void> {
      abandoned = true;
      started = false;
      stopping = true;
      clearInterval(timer);
      const p = pool;
      pool = null;
      await p?.close();
      // Not waiting for the photos in flight: a crash does not either.
    },

    stats(): ProcessingStats & { inflight: number } {
      return { ...stats, inflight: inflight.size };
    },
  };
}

export type PhotoProcessing = ReturnType<typeof createPhotoProcessing>;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
