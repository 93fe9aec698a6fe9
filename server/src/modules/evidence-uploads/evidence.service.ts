import { createSemaphore } from '../../lib/semaphore.ts';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, statfs } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { EvidenceDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ErrorCode } from '@hoctap/shared/api';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { evidenceErrors, inspectUpload, isEvidenceError, streamToTempFile } from '../../evidence/index.ts';
import {
  evidenceBlobKey,
  FsBlobStore,
  sweepUnreferenced,
  cleanTempDir,
  type BlobStore,
  type SweepResult,
} from '../../storage/index.ts';
import type { MeService } from '../identity/me.service.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { compile, ASSESSMENT_STATE_LABELS } from '@hoctap/shared';
import {
  accessOf,
  countsOf,
  ensureCampaignOpen,
  ensurePhaseOpen,
  requireOwner,
  stateOf,
} from '../assessments/access.ts';
import { loadAssessmentCtx, type AssessmentCtx } from '../assessments/assessment-ctx.repo.ts';
import { applyEdit, applyTransition } from '../assessments/assessments.repo.ts';
import { EDITABLE_STATES, editPhase } from '../assessments/transitions.ts';
import { evidenceDto } from './evidence.dto.ts';
import {
  backlogSize,
  blobKeyReferenced,
  findEvidence,
  findSameUpload,
  insertEvidenceCte,
  softDeleteEvidence,
} from './evidence.repo.ts';

/** An EvidenceError as the typed AppError the error handler sends (503 keeps its Retry-After). */
export class EvidenceHttpError extends AppError {
  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(statusCode, code, message);
  }
}

function asHttp(err: unknown): unknown {
  if (isEvidenceError(err)) return new EvidenceHttpError(err.statusCode, err.code, err.message, err.retryAfterSeconds);
  return err;
}

/** Upload admission: what bounds the backlog and the disk (config EVIDENCE_*). */
export interface AdmissionLimits {
  /** Photos waiting for processing before new uploads are refused (503 + Retry-After). */
  queueMax: number;
  /** Free bytes the upload disk must keep (503 + Retry-After below it). */
  minFreeBytes: number;
  /**
   * Upload bodies read at once; the others wait with their connection paused. Fifty bodies
   * streaming together filled every turn of the event loop with their chunks, and a cheap read
   * waited behind them (p99 114–133 ms at 50 uploads).
   */
  bodiesAtOnce: number;
}

/**
 * Photo evidence per indicator. An upload is accepted fast: checked (size, magic bytes, image
 * header), its original durably stored, its row inserted as `processing`, answered 201; the
 * worker pool (photo-processing.ts) does the expensive part. Nothing is served before `ready`.
 *
 * Order of writes (docs/architecture.md §7.5): the original blob is stored BEFORE the row commits, so no
 * row can point at a missing file; a crash in between leaves an unreferenced blob that
 * `sweepOrphans` removes after the grace period.
 */
export function createEvidenceService(deps: {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  /** Local directory for uploads in flight (on the blob store's disk for the filesystem store). */
  tempDir: string;
  maxBytes: number;
  limits: AdmissionLimits;
  me: MeService;
  criteriaSets: CriteriaSetService;
  /** Tells the processing loop of this process that a photo is waiting. */
  onAccepted: () => void;
}) {
  const { db, clock, blobs, tempDir, maxBytes, limits, me, criteriaSets, onAccepted } = deps;
  const bodySlot = createSemaphore(limits.bodiesAtOnce);

  async function loadCtx(id: string): Promise<AssessmentCtx> {
    const ctx = await loadAssessmentCtx(db, id);
    if (!ctx) throw notFound('Không tìm thấy hồ sơ đánh giá.');
    return ctx;
  }

  function ensureEditable(ctx: AssessmentCtx) {
    const state = stateOf(ctx.a.state);
    if (!EDITABLE_STATES.includes(state)) {
      throw conflict(
        `Không thể thay đổi ảnh khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[state]}".`,
        'NOT_EDITABLE',
      );
    }
    ensureCampaignOpen(ctx);
    ensurePhaseOpen(ctx, editPhase(state), clock);
  }

  /** Access to one photo: the same rule as reading its assessment. */
  async function readable(actor: Actor, evidenceId: string, actFor: string | null | undefined) {
    const e = await findEvidence(db, evidenceId);
    if (!e) throw notFound('Không tìm thấy ảnh minh chứng.');
    const ctx = await loadAssessmentCtx(db, e.assessmentId);
    if (!ctx) throw notFound('Không tìm thấy ảnh minh chứng.');
    const acc = accessOf(actor, ctx, actFor);
    if (!acc.reader) throw notFound('Không tìm thấy ảnh minh chứng.');
    return { e, ctx, acc };
  }

  // Made once per process, not on every upload; made again when found missing.
  let tempDirReady: Promise<unknown> | null = null;
  const tempDirMade = () =>
    (tempDirReady ??= mkdir(tempDir, { recursive: true }).catch((err: unknown) => {
      tempDirReady = null;
      throw err;
    }));

  /** Refuse early (before reading the body) when the backlog or the disk is full. */
  async function admit(): Promise<void> {
    if ((await backlogSize(db, limits.queueMax)) >= limits.queueMax) throw evidenceErrors.busy(30);
    await tempDirMade();
    const fs = await statfs(tempDir).catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      tempDirReady = null;
      await tempDirMade();
      return statfs(tempDir);
    });
    if (fs.bavail * fs.bsize < limits.minFreeBytes) throw evidenceErrors.storageFull();
  }

  return {
    /** Checks that run before a single byte is written to disk. */
    async precheck(actor: Actor, assessmentId: string, indicatorCode: string, actFor: string | null | undefined) {
      const ctx = await loadCtx(assessmentId);
      const acc = accessOf(actor, ctx, actFor);
      requireOwner(acc);
      ensureEditable(ctx);
      const set = await criteriaSets.load(db, ctx.a.criteriaSetId);
      const compiled = compile(set);
      const view = compiled.views.get(ctx.a.subjectGroup ?? '') ?? compiled.views.get('')!;
      if (!view.codes.has(indicatorCode))
        throw badRequest(`Chỉ số ${indicatorCode} không có trong bộ tiêu chí của hồ sơ này.`, 'INDICATOR_UNKNOWN');
      await me.requireConsent(db, actor.userId, 'photos');
      return { ctx, acc };
    },

    async upload(
      actor: Actor,
      assessmentId: string,
      indicatorCode: string,
      file: Readable,
      actFor: string | null | undefined,
      signal?: AbortSignal,
    ): Promise<{ created: boolean; evidence: EvidenceDto }> {
      const { ctx, acc } = await this.precheck(actor, assessmentId, indicatorCode, actFor);
      const id = randomUUID();
      const originalKey = `originals/${id}`;
      const stored = await bodySlot(async () => {
        try {
          await admit();
          const tmp = await streamToTempFile(file, { dir: tempDir, maxBytes, ...(signal ? { signal } : {}) });
          // multipart's `truncated` is only meaningful after the pipeline; streamToTempFile checks it.
          if (tmp.truncated) throw evidenceErrors.tooLarge(maxBytes);
          let adopted = false;
          try {
            const { mime } = await inspectUpload(tmp.path, { maxBytes, known: tmp });
            const same = await findSameUpload(db, assessmentId, indicatorCode, tmp.sha256);
            // The original first, durably (the temp file is already fsynced: moved, not copied); the row after.
            if (!same) {
              await blobs.adopt(originalKey, tmp.path);
              adopted = true; // the store took the file over
            }
            return { same, sha256: tmp.sha256, mime };
          } finally {
            if (!adopted) await rm(tmp.path, { force: true });
          }
        } catch (err) {
          throw asHttp(err);
        }
      });
      if (stored.same) return { created: false, evidence: { ...evidenceDto(stored.same), deduplicated: true } };
      const { sha256, mime } = stored;

      const now = clock.now();
      const row = {
        id,
        assessmentId,
        indicatorCode,
        communeId: ctx.a.communeId,
        sha256,
        state: 'processing' as const,
        failureReason: null,
        originalKey,
        mime,
        // Content-addressed, so known now; written by the worker before the row turns ready.
        imageKey: evidenceBlobKey(sha256, 'image'),
        thumbKey: evidenceBlobKey(sha256, 'thumb'),
        bytes: null,
        width: null,
        height: null,
        capturedAt: null,
        hasLocation: false,
        nearDuplicates: [],
        uploadedBy: actor.userId,
        createdAt: now,
      };
      // One statement: the version bump (it serialises with a concurrent submit, so a photo never
      // lands on a submitted assessment behind the household's back), the audit row and the row.
      const ok = await applyEdit(db, {
        id: assessmentId,
        states: EDITABLE_STATES,
        set: { updatedAt: now },
        audit: [
          {
            at: now,
            actorId: actor.userId,
            onBehalfOf: acc.onBehalfOf,
            action: 'evidence_added',
            data: { evidenceId: id, indicatorCode },
          },
        ],
        ctes: insertEvidenceCte(row),
        // One shape for every photo, at a burst's rate: planned once per connection.
        prepared: true,
      });
      if (!ok) {
        // The original stays for the sweeper (no row references it).
        const fresh = await loadCtx(assessmentId);
        ensureEditable(fresh);
        throw conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng thử lại.', 'VERSION_CONFLICT');
      }
      onAccepted();
      return { created: true, evidence: evidenceDto(row) };
    },

    /** The photo's record (state, hints, flags) within the reader's scope. */
    async get(actor: Actor, evidenceId: string, actFor: string | null | undefined): Promise<EvidenceDto> {
      const { e } = await readable(actor, evidenceId, actFor);
      return evidenceDto(e);
    },

    async remove(actor: Actor, evidenceId: string, actFor: string | null | undefined): Promise<void> {
      const { e, ctx, acc } = await readable(actor, evidenceId, actFor);
      requireOwner(acc);
      ensureEditable(ctx);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const fresh = await loadAssessmentCtx(tx, ctx.a.id);
        if (!fresh) throw notFound();
        ensureEditable(fresh);
        const ok = await applyTransition(tx, {
          id: fresh.a.id,
          version: fresh.a.version,
          from: fresh.a.state,
          to: fresh.a.state,
          set: { updatedAt: now },
          counts: countsOf(fresh),
          audit: [
            {
              at: now,
              actorId: actor.userId,
              onBehalfOf: acc.onBehalfOf,
              action: 'evidence_deleted',
              data: { evidenceId, indicatorCode: e.indicatorCode },
            },
          ],
        });
        if (!ok) throw conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng thử lại.', 'VERSION_CONFLICT');
        // Rows first; the blob goes with the sweeper once nothing references it (a blob can be
        // shared by two households that sent the same photo).
        await softDeleteEvidence(tx, evidenceId, now);
      });
    },

    /**
     * Opens the stored JPEG (or its thumbnail) after the same scope check as the assessment.
     * Only a processed photo has one: the original bytes are never served.
     */
    async open(actor: Actor, evidenceId: string, variant: 'image' | 'thumb', actFor: string | null | undefined) {
      const { e } = await readable(actor, evidenceId, actFor);
      if (e.state === 'processing') throw photoProcessing();
      if (e.state === 'failed') throw photoFailed(e.failureReason);
      const key = variant === 'image' ? e.imageKey : e.thumbKey;
      const info = await blobs.stat(key);
      if (!info) throw notFound('Không tìm thấy tệp ảnh.');
      return { stream: await blobs.get(key), size: info.size, id: e.id };
    },

    /** Removes blobs no live row references, older than the grace period (and stale temp files). */
    async sweepOrphans(options: { olderThanMs?: number } = {}): Promise<SweepResult> {
      const olderThanMs = options.olderThanMs;
      // File ages are wall-clock mtimes, so the sweeper uses real time, not the business clock.
      const grace = olderThanMs ?? 24 * 3600_000;
      await cleanTempDir(tempDir, { olderThanMs: grace });
      if (blobs instanceof FsBlobStore) await blobs.cleanTemp({ olderThanMs: grace });
      const total: SweepResult = { scanned: 0, deleted: [], keptReferenced: 0, keptYoung: 0 };
      for (const prefix of ['sha256/', 'originals/']) {
        const r = await sweepUnreferenced(blobs, (key) => blobKeyReferenced(db, key), {
          prefix,
          ...(olderThanMs !== undefined ? { olderThanMs } : {}),
        });
        total.scanned += r.scanned;
        total.deleted.push(...r.deleted);
        total.keptReferenced += r.keptReferenced;
        total.keptYoung += r.keptYoung;
      }
      return total;
    },
  };
}

/** Answered instead of the bytes of a photo that is not processed yet. */
export function photoProcessing(): EvidenceHttpError {
  return new EvidenceHttpError(409, 'EVIDENCE_PROCESSING', 'Ảnh đang được xử lý, vui lòng xem lại sau ít giây.', 2);
}

function photoFailed(reason: string | null): EvidenceHttpError {
  return new EvidenceHttpError(
    409,
    'EVIDENCE_FAILED',
    reason ?? 'Ảnh này bị lỗi và không hiển thị được. Vui lòng gửi lại ảnh khác.',
  );
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
