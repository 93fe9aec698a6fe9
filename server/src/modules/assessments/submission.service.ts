import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ASSESSMENT_STATE_LABELS } from '@hoctap/shared';
import type { AssessmentSummaryDto, AssessmentWithVerdictDto, assessmentCreateSchema } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, notFound, unprocessable } from '../../lib/errors.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import {
  accessOf,
  countsOf,
  ensureCampaignOpen,
  ensurePhaseOpen,
  requireOwner,
  requireReader,
  stateOf,
} from './access.ts';
import {
  applyTransition,
  findAssessmentBySubject,
  findCampaignWithProvince,
  findClanSubject,
  findHamletSubject,
  findHouseholdSubject,
  findPersonSubject,
  findUnitSubject,
  countSlotOf,
  insertAssessment,
  layerWithPhotos,
  retakeIdempotencyKey,
  upsertAnswers,
} from './assessments.repo.ts';
import { loadAssessmentCtx } from './assessment-ctx.repo.ts';
import { claimAndLoadForSubmit, findIdempotencyKey } from './submission.repo.ts';
import { summaryDto } from './assessment-dto.ts';
import { submittedNotificationCtes } from '../../notify/enqueue.ts';
import { liveConsents } from '../identity/consents.repo.ts';
import { consentRequired } from '../identity/me.service.ts';
import { checkPoints, scoreOf, toEngineAnswers } from './scoring.ts';
import { EDITABLE_STATES, editPhase, transition } from './transitions.ts';
import { createWorkflow } from './workflow.ts';

type CreateBody = z.infer<typeof assessmentCreateSchema>;

function hashRequest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Registration and self-assessment: create, save an answer, submit (idempotent). */
export function createSubmissionService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService }) {
  const { db, clock, criteriaSets } = deps;
  const { loadCtx, step, lost, auditRow, nextRow } = createWorkflow(clock);

  /** Locates and names a subject, and checks the caller may register it. */
  async function resolveSubject(actor: Actor, body: CreateBody, actFor: string | null | undefined) {
    const notYours = () => notFound('Không tìm thấy đối tượng đánh giá trong phạm vi của bạn.');
    switch (body.subjectType) {
      case 'household': {
        const h = await findHouseholdSubject(db, body.subjectId);
        if (!h) throw notYours();
        const loc = { communeId: h.communeId, hamletId: h.hamletId, groupId: h.groupId };
        let onBehalfOf: string | null = null;
        if (actor.householdId !== h.id) {
          if (actFor === h.id && hasRoleOver(actor, ['leader'], loc)) onBehalfOf = h.id;
          else throw notYours();
        }
        return { name: `Hộ ${h.headName}`, ...loc, onBehalfOf };
      }
      case 'clan': {
        const c = await findClanSubject(db, body.subjectId);
        if (!c || c.headUserId !== actor.userId) throw notYours();
        return {
          name: `Dòng họ ${c.name}`,
          communeId: c.communeId,
          hamletId: c.hamletId,
          groupId: null,
          onBehalfOf: null,
        };
      }
      case 'community': {
        const u = await findHamletSubject(db, body.subjectId);
        if (!u || u.level !== 'hamlet' || !u.parentId) throw notYours();
        if (!actor.roles.some((g) => g.role === 'hamlet_head' && g.unitId === u.id)) throw notYours();
        return {
          name: `${u.kind.charAt(0).toUpperCase()}${u.kind.slice(1)} ${u.name}`,
          communeId: u.parentId,
          hamletId: u.id,
          groupId: null,
          onBehalfOf: null,
        };
      }
      case 'unit': {
        const u = await findUnitSubject(db, body.subjectId);
        if (!u || u.headUserId !== actor.userId) throw notYours();
        return { name: u.name, communeId: u.communeId, hamletId: u.hamletId, groupId: null, onBehalfOf: null };
      }
      case 'citizen': {
        const p = await findPersonSubject(db, body.subjectId);
        if (!p || actor.personId !== p.p.id) throw notYours();
        return {
          name: p.p.fullName,
          communeId: p.p.communeId,
          hamletId: p.hHamlet ?? p.uHamlet ?? null,
          groupId: p.hGroup ?? null,
          onBehalfOf: null,
          defaultGroup: p.p.cdhtGroup,
        };
      }
    }
  }

  return {
    async create(
      actor: Actor,
      body: CreateBody,
      actFor: string | null | undefined,
    ): Promise<{ created: boolean; assessment: AssessmentSummaryDto }> {
      const existingSame = await loadAssessmentCtx(db, body.id);
      if (existingSame) {
        // Idempotent retry of the same registration.
        const acc = accessOf(actor, existingSame, actFor);
        requireReader(acc);
        const a = existingSame.a;
        if (a.campaignId !== body.campaignId || a.subjectType !== body.subjectType || a.subjectId !== body.subjectId) {
          throw conflict('Mã hồ sơ đã được dùng cho một đối tượng khác.', 'ASSESSMENT_ID_TAKEN');
        }
        return { created: false, assessment: summaryDto(a) };
      }
      const camp = await findCampaignWithProvince(db, body.campaignId);
      if (!camp) throw notFound('Không tìm thấy đợt đánh giá.');
      const subject = await resolveSubject(actor, body, actFor);
      if (subject.communeId !== camp.c.communeId)
        throw notFound('Không tìm thấy đợt đánh giá của xã nơi đối tượng cư trú.');
      const fakeCtx = { c: camp.c };
      ensureCampaignOpen(fakeCtx);
      ensurePhaseOpen(fakeCtx, 'selfAssessment', clock);
      if (clock.now().getTime() < camp.c.registrationOpensAt.getTime()) {
        throw conflict('Đợt đánh giá chưa mở đăng ký.', 'REGISTRATION_NOT_OPEN');
      }
      const setId = camp.c.criteriaSetIds[body.subjectType];
      if (!setId) throw conflict('Đợt đánh giá chưa chọn bộ tiêu chí cho loại đối tượng này.', 'NO_CRITERIA_SET');
      const set = await criteriaSets.load(db, setId);
      let group = body.subjectGroup ?? ('defaultGroup' in subject ? subject.defaultGroup : null) ?? null;
      if (set.subjectGroups) {
        if (!group)
          throw badRequest(
            `Cần chọn nhóm đối tượng (subjectGroup): ${set.subjectGroups.map((g) => `${g.code} (${g.label})`).join(', ')}.`,
            'SUBJECT_GROUP_REQUIRED',
          );
        if (!set.subjectGroups.some((g) => g.code === group))
          throw badRequest(`Nhóm đối tượng "${group}" không có trong bộ tiêu chí.`, 'SUBJECT_GROUP_UNKNOWN');
      } else {
        group = null;
      }
      const now = clock.now();
      const row = {
        id: body.id,
        campaignId: body.campaignId,
        subjectType: body.subjectType,
        subjectId: body.subjectId,
        subjectName: subject.name,
        communeId: subject.communeId,
        hamletId: subject.hamletId,
        groupId: subject.groupId,
        criteriaSetId: setId,
        subjectGroup: group,
        state: 'draft',
        version: 1,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      };
      const counts = {
        campaignId: body.campaignId,
        subjectType: body.subjectType,
        unitIds: [subject.hamletId, subject.communeId, camp.provinceId].filter((x): x is string => !!x),
        slot: countSlotOf(row.id),
      };
      const inserted = await db.transaction((tx) =>
        insertAssessment(tx, row, counts, {
          at: now,
          actorId: actor.userId,
          onBehalfOf: subject.onBehalfOf,
          action: 'create',
          data: { from: null, to: 'draft' },
        }),
      );
      if (inserted) return { created: true, assessment: summaryDto((await loadAssessmentCtx(db, body.id))!.a) };
      const again = await loadAssessmentCtx(db, body.id);
      if (again && again.a.subjectId === body.subjectId && again.a.campaignId === body.campaignId)
        return { created: false, assessment: summaryDto(again.a) };
      const other = await findAssessmentBySubject(db, body.campaignId, body.subjectType, body.subjectId);
      throw conflict(
        `Đối tượng này đã được đăng ký trong đợt đánh giá (mã hồ sơ: ${other?.id ?? 'không rõ'}).`,
        'ASSESSMENT_EXISTS',
      );
    },

    /** Saves one self-assessed answer; the same value twice changes nothing. */
    async saveAnswer(
      actor: Actor,
      id: string,
      code: string,
      body: { points: number; note?: string | undefined },
      actFor: string | null | undefined,
    ) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        const a = ctx.a;
        if (!EDITABLE_STATES.includes(stateOf(a.state))) {
          throw conflict(
            `Không thể sửa điểm khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[stateOf(a.state)]}".`,
            'NOT_EDITABLE',
          );
        }
        ensureCampaignOpen(ctx);
        ensurePhaseOpen(ctx, editPhase(stateOf(a.state)), clock);
        const set = await criteriaSets.load(tx, a.criteriaSetId);
        const problem = checkPoints(set, a.subjectGroup, code, body.points);
        if (problem) throw badRequest(problem, 'ANSWER_INVALID');
        const rows = await layerWithPhotos(tx, id, 'self');
        const prev = rows.find((r) => r.indicatorCode === code);
        const note = body.note ?? null;
        const now = clock.now();
        const unchanged = prev && prev.points === body.points && (body.note === undefined || prev.note === note);
        const next = rows.filter((r) => r.indicatorCode !== code);
        next.push({
          indicatorCode: code,
          points: body.points,
          note: unchanged ? prev!.note : note,
          photos: prev?.photos ?? 0,
        });
        const result = scoreOf(set, a, toEngineAnswers(next));
        const answer = {
          indicatorCode: code,
          points: body.points,
          note: unchanged ? prev!.note : note,
          reason: null,
          updatedAt: now.toISOString(),
        };
        if (unchanged) {
          return { answer, version: a.version, verdict: result.verdict, selfTotal: result.total, changed: false };
        }
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to: a.state,
          set: {
            selfTotal: result.total,
            verdict: result.verdict,
            updatedAt: now,
          },
          counts: countsOf(ctx),
          audit: [
            auditRow(actor, acc, 'score', {
              layer: 'self',
              indicatorCode: code,
              from: prev?.points ?? null,
              to: body.points,
            }),
          ],
        });
        if (!ok) throw lost();
        await upsertAnswers(tx, [
          {
            assessmentId: id,
            layer: 'self',
            indicatorCode: code,
            points: body.points,
            note,
            reason: null,
            updatedBy: actor.userId,
            updatedAt: now,
          },
        ]);
        return { answer, version: a.version + 1, verdict: result.verdict, selfTotal: result.total, changed: true };
      });
    },

    /**
     * Submit (or resubmit after a return). Idempotent on the Idempotency-Key, which is taken in
     * the submit's own transaction (a crash leaves nothing, the retry runs) and marked done with
     * the stored answer in the same statement as the state change. A key is scoped to the version
     * it submitted: once the assessment was returned and may be submitted again, the same key is
     * a new submit, not a replay of the earlier one (a phone that derives its key from the
     * assessment and its state sends the same key on every return).
     */
    async submit(
      actor: Actor,
      id: string,
      key: string | undefined,
      actFor: string | null | undefined,
    ): Promise<AssessmentWithVerdictDto> {
      if (!key) throw badRequest('Thiếu tiêu đề Idempotency-Key.', 'IDEMPOTENCY_KEY_REQUIRED');
      const requestHash = hashRequest({ op: 'submit', id, actFor: actFor ?? null });
      const now = clock.now();
      return db.transaction(async (tx) => {
        // One read: the key is claimed (a concurrent request with the same key waits here for this
        // one to end) together with everything the submit reads.
        const claim = { userId: actor.userId, key, scope: `submit:${id}`, requestHash, now };
        const reused = () =>
          unprocessable('Idempotency-Key này đã được dùng cho một yêu cầu khác.', 'IDEMPOTENCY_KEY_REUSED');
        const read = await claimAndLoadForSubmit(tx, id, claim);
        if (!read) {
          // A key already used for another request says so before "not found" (as it always did).
          const held = await findIdempotencyKey(tx, actor.userId, key);
          if (held && held.requestHash !== requestHash) throw reused();
          throw notFound('Không tìm thấy hồ sơ đánh giá.');
        }
        let { ctx, prior } = read;
        if (!read.taken && !prior) {
          // The key was committed by a request that ran alongside (this statement's snapshot
          // predates it): read it, and the assessment it changed, afresh.
          prior = await findIdempotencyKey(tx, actor.userId, key);
          ctx = await loadCtx(tx, id);
        }
        if (!read.taken && prior && prior.requestHash !== requestHash) throw reused();
        const a = ctx.a;
        const scope = `submit:${id}@v${a.version}`;
        if (!read.taken) {
          const submittable = transition('submit', stateOf(a.state)).ok;
          if (prior?.status === 'done' && !submittable) return prior.responseBody as AssessmentWithVerdictDto;
          // Done for an earlier version (returned since), or a claim from before keys were transactional.
          await retakeIdempotencyKey(tx, { ...claim, scope });
        }
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        const to = step('submit', ctx);
        if (!liveConsents(read.consents).evaluation) throw consentRequired('evaluation');
        const set = await criteriaSets.load(tx, a.criteriaSetId);
        const result = scoreOf(set, a, toEngineAnswers(read.answers));
        const open = [...result.unanswered, ...result.invalid];
        if (
          open.length > 0 ||
          result.verdict.reasons.some((r) => r.code === 'group_required' || r.code === 'group_unknown')
        ) {
          // Missing photos are allowed (flagged in the verdict); unanswered indicators are not.
          throw unprocessable(`Chưa chấm xong, còn thiếu các chỉ số: ${open.join(', ')}.`, 'UNANSWERED_INDICATORS');
        }
        const set2 = {
          selfTotal: result.total,
          verdict: result.verdict,
          submittedAt: now,
          updatedAt: now,
        };
        const body = { ...summaryDto(nextRow(a, to, set2, now)), verdict: set2.verdict };
        // One write: the state change, counts, audit, the key marked done, and the verifiers told
        // (inbox, and Zalo where configured) in the same statement and commit.
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to,
          set: set2,
          counts: countsOf(ctx),
          audit: [
            auditRow(actor, acc, 'submit', {
              from: a.state,
              to,
              selfTotal: result.total,
              outcome: result.verdict.outcome,
            }),
          ],
          idempotency: { userId: actor.userId, key, scope, status: 200, body },
          ctes: submittedNotificationCtes(
            'upd',
            {
              kind: 'assessment_submitted',
              assessmentId: id,
              campaignId: a.campaignId,
              subjectName: a.subjectName,
              subjectType: a.subjectType,
              communeId: a.communeId,
              hamletId: a.hamletId,
              groupId: a.groupId,
              resubmitted: to === 'resubmitted',
              actorUserId: actor.userId,
            },
            `submitted:${id}:${body.version}`,
            now,
          ),
        });
        if (!ok) throw lost();
        return body;
      });
    },
  };
}
