import { randomUUID } from 'node:crypto';
import { ASSESSMENT_STATE_LABELS, compile } from '@hoctap/shared';
import type { CarryOverDto, CarryOverResultDto } from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict } from '../../lib/errors.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { latestConsents, liveConsents } from '../identity/consents.repo.ts';
import { consentRequired } from '../identity/me.service.ts';
import {
  accessOf,
  countsOf,
  ensureCampaignOpen,
  ensurePhaseOpen,
  requireOwner,
  requireReader,
  stateOf,
} from './access.ts';
import type { AssessmentCtx } from './assessment-ctx.repo.ts';
import { applyTransition, layerWithPhotos, upsertAnswers } from './assessments.repo.ts';
import {
  findPreviousAssessment,
  insertLinkedPhotos,
  linkedSources,
  readyPhotos,
  selfAnswers,
} from './carry-over.repo.ts';
import { checkPoints, scoreOf, toEngineAnswers } from './scoring.ts';
import { EDITABLE_STATES, editPhase } from './transitions.ts';
import { createWorkflow } from './workflow.ts';

type Photo = Awaited<ReturnType<typeof readyPhotos>>[number];

interface PlanItem {
  indicatorCode: string;
  text: string;
  points: number;
  note: string | null;
  photos: Photo[];
  photoReusable: boolean;
}

/**
 * Carry-over (docs/transparency.md §6): a new draft starts from the subject's answers of the
 * latest earlier campaign, indicator by indicator, only for the indicators the household confirms
 * are still true. Photos are linked, not copied: a new evidence row points at the same processed,
 * content-addressed image and thumbnail, so the sweeper keeps the blobs while any row uses them.
 */
export function createCarryOverService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService }) {
  const { db, clock, criteriaSets } = deps;
  const { loadCtx, lost, auditRow } = createWorkflow(clock);

  /** What last year's assessment can give this one: answers valid in this year's set. */
  async function plan(ex: Executor, ctx: AssessmentCtx) {
    const a = ctx.a;
    const prev = await findPreviousAssessment(ex, {
      subjectType: a.subjectType,
      subjectId: a.subjectId,
      beforeYear: ctx.c.year,
    });
    const set = await criteriaSets.load(ex, a.criteriaSetId);
    if (!prev) return { prev: null, set, items: [] as PlanItem[] };
    const view = compile(set).views.get(a.subjectGroup ?? '') ?? compile(set).views.get('')!;
    const answers = await selfAnswers(ex, prev.id);
    const photos = await readyPhotos(ex, prev.id);
    const items: PlanItem[] = [];
    for (const ci of view.indicators) {
      const ans = answers.find((x) => x.indicatorCode === ci.code);
      // Matching by code across set versions: an answer the new rules reject is not offered.
      if (!ans || checkPoints(set, a.subjectGroup, ci.code, ans.points) !== null) continue;
      items.push({
        indicatorCode: ci.code,
        text: ci.indicator.text,
        points: ans.points,
        note: ans.note,
        photos: photos.filter((p) => p.indicatorCode === ci.code),
        photoReusable: ci.indicator.evidence?.carryOver !== false,
      });
    }
    return { prev, set, items };
  }

  function ensureEditable(ctx: AssessmentCtx) {
    const state = stateOf(ctx.a.state);
    if (!EDITABLE_STATES.includes(state)) {
      throw conflict(
        `Không thể dùng lại câu trả lời năm trước khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[state]}".`,
        'NOT_EDITABLE',
      );
    }
    ensureCampaignOpen(ctx);
    ensurePhaseOpen(ctx, editPhase(state), clock);
  }

  return {
    /** Readable by whoever may read the draft (the tổ leader helping the household sees it too). */
    async carryOver(actor: Actor, id: string, actFor: string | null | undefined): Promise<CarryOverDto> {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      const { prev, items } = await plan(db, ctx);
      const current = await layerWithPhotos(db, id, 'self');
      const linked = await linkedSources(db, id);
      return {
        available: items.length > 0,
        fromAssessmentId: prev?.id ?? null,
        fromYear: prev?.year ?? null,
        draftEmpty: current.every((r) => r.points === null),
        indicators: items.map((it) => ({
          indicatorCode: it.indicatorCode,
          text: it.text,
          points: it.points,
          note: it.note,
          photos: it.photos.map((p) => ({ id: p.id, width: p.width, height: p.height })),
          photoReusable: it.photoReusable,
          carried:
            current.some((r) => r.indicatorCode === it.indicatorCode && r.points === it.points) &&
            (!it.photoReusable || it.photos.every((p) => linked.has(p.id))),
        })),
      };
    },

    /** Copies the confirmed indicators; posting the same confirmation again changes nothing. */
    async applyCarryOver(
      actor: Actor,
      id: string,
      body: { indicators: string[] },
      actFor: string | null | undefined,
    ): Promise<CarryOverResultDto> {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        ensureEditable(ctx);
        const { prev, set, items } = await plan(tx, ctx);
        const codes = [...new Set(body.indicators)];
        const unknown = codes.filter((c) => !items.some((it) => it.indicatorCode === c));
        if (!prev || unknown.length > 0)
          throw badRequest(
            `Không có câu trả lời năm trước để dùng lại cho chỉ số: ${unknown.join(', ')}.`,
            'CARRY_OVER_UNKNOWN',
          );
        const chosen = items.filter((it) => codes.includes(it.indicatorCode));
        const current = await layerWithPhotos(tx, id, 'self');
        const linked = await linkedSources(tx, id);
        const now = clock.now();
        const answerRows = chosen
          .filter((it) => !current.some((r) => r.indicatorCode === it.indicatorCode && r.points === it.points))
          .map((it) => ({
            assessmentId: id,
            layer: 'self' as const,
            indicatorCode: it.indicatorCode,
            points: it.points,
            note: it.note,
            reason: null,
            updatedBy: actor.userId,
            updatedAt: now,
          }));
        const photoRows = chosen
          .filter((it) => it.photoReusable)
          .flatMap((it) => it.photos.filter((p) => !linked.has(p.id)))
          .map((p) => linkRow(p, { assessmentId: id, communeId: ctx.a.communeId, year: prev.year, actor, now }));
        if (photoRows.length > 0 && !liveConsents(await latestConsents(tx, actor.userId)).photos)
          throw consentRequired('photos');

        const next = current.map((r) => ({ ...r }));
        for (const w of answerRows) {
          const r = next.find((x) => x.indicatorCode === w.indicatorCode);
          if (r) r.points = w.points;
          else next.push({ indicatorCode: w.indicatorCode, points: w.points, note: w.note, photos: 0 });
        }
        for (const p of photoRows) {
          const r = next.find((x) => x.indicatorCode === p.indicatorCode);
          if (r) r.photos += 1;
        }
        const result = scoreOf(set, ctx.a, toEngineAnswers(next));
        const out = {
          carried: chosen.map((it) => it.indicatorCode),
          answersCopied: answerRows.length,
          photosLinked: photoRows.length,
          version: ctx.a.version,
          verdict: result.verdict,
          selfTotal: result.total,
        };
        if (answerRows.length === 0 && photoRows.length === 0) return out;

        const ok = await applyTransition(tx, {
          id,
          version: ctx.a.version,
          from: ctx.a.state,
          to: ctx.a.state,
          set: { selfTotal: result.total, verdict: result.verdict, updatedAt: now },
          counts: countsOf(ctx),
          audit: [
            auditRow(actor, acc, 'carry_over', {
              fromAssessmentId: prev.id,
              fromYear: prev.year,
              indicators: out.carried,
              photos: photoRows.length,
            }),
          ],
        });
        if (!ok) throw lost();
        await upsertAnswers(tx, answerRows);
        out.photosLinked = await insertLinkedPhotos(tx, photoRows);
        return { ...out, version: ctx.a.version + 1 };
      });
    },
  };
}

/** A new evidence row on the same processed blobs as last year's photo (no bytes are copied). */
function linkRow(
  p: Photo,
  to: { assessmentId: string; communeId: string; year: number; actor: Actor; now: Date },
): Photo {
  return {
    ...p,
    id: randomUUID(),
    assessmentId: to.assessmentId,
    communeId: to.communeId,
    state: 'ready',
    originalKey: null,
    attempts: 0,
    leaseUntil: null,
    leaseToken: null,
    reusedFromEvidenceId: p.id,
    // A photo carried twice keeps the year it was taken for.
    reusedFromYear: p.reusedFromYear ?? to.year,
    uploadedBy: to.actor.userId,
    createdAt: to.now,
    deletedAt: null,
  };
}
