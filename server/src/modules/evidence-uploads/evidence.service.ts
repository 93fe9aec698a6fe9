import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { EvidenceDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import {
  coarsenGps,
  evidenceErrors,
  isEvidenceError,
  NEAR_DUPLICATE_MAX_DISTANCE,
  phashToBigInt,
  processEvidence,
  streamToTempFile,
  type Limiter,
} from '../../evidence/index.ts';
import { evidenceBlobKey, sweepUnreferenced, type FsBlobStore, type SweepResult } from '../../storage/index.ts';
import type { MeService } from '../identity/me.service.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { compile, ASSESSMENT_STATE_LABELS } from '@hoctap/shared';
import { accessOf, countsOf, ensureCampaignOpen, ensurePhaseOpen, requireOwner, stateOf } from '../assessments/access.ts';
import { applyTransition, loadAssessmentCtx, type AssessmentCtx } from '../assessments/assessments.repo.ts';
import { evidenceDto } from '../assessments/assessments.service.ts';
import { EDITABLE_STATES, editPhase } from '../assessments/transitions.ts';
import { blobKeyReferenced, findEvidence, findSameUpload, insertEvidence, nearDuplicates, softDeleteEvidence } from './evidence.repo.ts';

/** An EvidenceError as the typed AppError the error handler sends (503 keeps its Retry-After). */
export class EvidenceHttpError extends AppError {
  constructor(
    statusCode: number,
    code: string,
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

/**
 * Photo evidence per indicator. Order of writes (security.md §4.3): blobs are durably stored
 * BEFORE the evidence row commits, so no row can point at a missing file; a crash in between
 * leaves an unreferenced blob that `sweepOrphans` removes after the grace period.
 */
export function createEvidenceService(deps: {
  db: Db;
  clock: Clock;
  blobs: FsBlobStore;
  limiter: Limiter;
  maxBytes: number;
  me: MeService;
  criteriaSets: CriteriaSetService;
}) {
  const { db, clock, blobs, limiter, maxBytes, me, criteriaSets } = deps;

  async function loadCtx(id: string): Promise<AssessmentCtx> {
    const ctx = await loadAssessmentCtx(db, id);
    if (!ctx) throw notFound('Không tìm thấy hồ sơ đánh giá.');
    return ctx;
  }

  function ensureEditable(ctx: AssessmentCtx) {
    const state = stateOf(ctx.a.state);
    if (!EDITABLE_STATES.includes(state)) {
      throw conflict(`Không thể thay đổi ảnh khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[state]}".`, 'NOT_EDITABLE');
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
      if (!view.codes.has(indicatorCode)) throw badRequest(`Chỉ số ${indicatorCode} không có trong bộ tiêu chí của hồ sơ này.`, 'INDICATOR_UNKNOWN');
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
      const { acc } = await this.precheck(actor, assessmentId, indicatorCode, actFor);
      const now = clock.now();
      let processed;
      try {
        // Same filesystem as the blobs, so one cleanTemp() also removes uploads orphaned by a crash.
        await mkdir(blobs.tempDir, { recursive: true });
        const tmp = await streamToTempFile(file, { dir: blobs.tempDir, maxBytes, ...(signal ? { signal } : {}) });
        // multipart's `truncated` is only meaningful after the pipeline; streamToTempFile checks it.
        if (tmp.truncated) throw evidenceErrors.tooLarge(maxBytes);
        try {
          processed = await processEvidence(tmp.path, { limiter, maxBytes, now, ...(signal ? { signal } : {}) });
        } finally {
          await rm(tmp.path, { force: true });
        }
      } catch (err) {
        throw asHttp(err);
      }

      const same = await findSameUpload(db, assessmentId, indicatorCode, processed.sha256);
      if (same) return { created: false, evidence: { ...evidenceDto(same), deduplicated: true } };

      const imageKey = evidenceBlobKey(processed.sha256, 'image');
      const thumbKey = evidenceBlobKey(processed.sha256, 'thumb');
      // Blobs first (temp → fsync → rename → fsync dir), the row after.
      await blobs.put(imageKey, processed.image);
      await blobs.put(thumbKey, processed.thumbnail);

      const phash = BigInt.asIntN(64, phashToBigInt(processed.phash));
      const gps = processed.gps ? coarsenGps(processed.gps, 2) : null;
      const id = randomUUID();
      const row = await db.transaction(async (tx) => {
        const ctx = await loadAssessmentCtx(tx, assessmentId);
        if (!ctx) throw notFound('Không tìm thấy hồ sơ đánh giá.');
        ensureEditable(ctx);
        const dups = await nearDuplicates(tx, ctx.a.communeId, phash, NEAR_DUPLICATE_MAX_DISTANCE, processed.sha256);
        const r = {
          id,
          assessmentId,
          indicatorCode,
          communeId: ctx.a.communeId,
          sha256: processed.sha256,
          imageKey,
          thumbKey,
          bytes: processed.image.length,
          width: processed.width,
          height: processed.height,
          capturedAt: processed.capturedAt ?? null,
          gpsLat: gps?.latitude ?? null,
          gpsLon: gps?.longitude ?? null,
          phash,
          nearDuplicates: dups,
          uploadedBy: actor.userId,
          createdAt: now,
        };
        // The version bump serialises with a concurrent submit: a photo never lands on a
        // submitted assessment behind the household's back.
        const ok = await applyTransition(tx, {
          id: assessmentId,
          version: ctx.a.version,
          from: ctx.a.state,
          to: ctx.a.state,
          set: { updatedAt: now },
          counts: countsOf(ctx),
          audit: [{ at: now, actorId: actor.userId, onBehalfOf: acc.onBehalfOf, action: 'evidence_added', data: { evidenceId: id, indicatorCode, nearDuplicates: dups.length } }],
        });
        if (!ok) throw conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng thử lại.', 'VERSION_CONFLICT');
        await insertEvidence(tx, r);
        return r;
      });
      return { created: true, evidence: evidenceDto(row) };
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
          audit: [{ at: now, actorId: actor.userId, onBehalfOf: acc.onBehalfOf, action: 'evidence_deleted', data: { evidenceId, indicatorCode: e.indicatorCode } }],
        });
        if (!ok) throw conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng thử lại.', 'VERSION_CONFLICT');
        // Rows first; the blob goes with the sweeper once nothing references it (a blob can be
        // shared by two households that sent the same photo).
        await softDeleteEvidence(tx, evidenceId, now);
      });
    },

    /** Opens the stored JPEG (or its thumbnail) after the same scope check as the assessment. */
    async open(actor: Actor, evidenceId: string, variant: 'image' | 'thumb', actFor: string | null | undefined) {
      const { e } = await readable(actor, evidenceId, actFor);
      const key = variant === 'image' ? e.imageKey : e.thumbKey;
      const info = await blobs.stat(key);
      if (!info) throw notFound('Không tìm thấy tệp ảnh.');
      return { stream: await blobs.get(key), size: info.size, id: e.id };
    },

    /** Removes blobs no live row references, older than the grace period (and stale temp files). */
    async sweepOrphans(options: { olderThanMs?: number } = {}): Promise<SweepResult> {
      const olderThanMs = options.olderThanMs;
      // File ages are wall-clock mtimes, so the sweeper uses real time, not the business clock.
      await blobs.cleanTemp({ olderThanMs: olderThanMs ?? 24 * 3600_000 });
      return sweepUnreferenced(blobs, (key) => blobKeyReferenced(db, key), {
        prefix: 'sha256/',
        ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      });
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
