import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  ASSESSMENT_STATE_LABELS,
  compile,
  evaluate,
  isAllowedPoints,
  score,
  type Answers,
  type CriteriaSet,
  type EvaluationFacts,
  type MemberShareKey,
  type ScoreResult,
} from '@hoctap/shared';
import type {
  AssessmentDetailDto,
  AssessmentSummaryDto,
  CommentDto,
  DecisionDto,
  EvidenceDto,
  appealResolveSchema,
  assessmentCreateSchema,
  decisionCreateSchema,
  returnBodySchema,
  verifyBodySchema,
} from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import type { ScoreLayer } from '../../db/schema/index.ts';
import { hasRoleOver, OFFICER_ROLES, READ_ROLES, communesOf, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { appendAudit, auditTrail } from '../audit/audit.repo.ts';
import { enqueueNotification } from '../../notify/enqueue.ts';
import type { MeService } from '../identity/me.service.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { encodeCursor, decodeCursor } from '../../lib/cursor.ts';
import {
  accessOf,
  countsOf,
  ensureCampaignOpen,
  ensurePhaseOpen,
  requireOfficer,
  requireOwner,
  requireReader,
  stateOf,
  type Access,
} from './access.ts';
import {
  answersOf,
  applyTransition,
  assessmentsForDecision,
  claimIdempotencyKey,
  findAssessmentBySubject,
  findCampaignWithProvince,
  findClanSubject,
  findDecision,
  findHamletSubject,
  findHouseholdSubject,
  findPersonSubject,
  findUnitSubject,
  hasDecisionFor,
  householdClans,
  insertAssessment,
  insertComments,
  insertDecision,
  layerWithPhotos,
  listAssessments,
  listComments,
  listDecisions,
  listEvidence,
  loadAssessmentCtx,
  memberShareCounts,
  ownerUserIds,
  releaseIdempotencyKey,
  scopeSql,
  seedCommuneLayer,
  setDecisionCounts,
  upsertAnswers,
  verifiedInPlace,
  type AssessmentCtx,
  type AssessmentRow,
  type AuditRow,
} from './assessments.repo.ts';
import { EDITABLE_STATES, editPhase, transition, type Action } from './transitions.ts';

type CreateBody = z.infer<typeof assessmentCreateSchema>;
type VerifyBody = z.infer<typeof verifyBodySchema>;
type ReturnBody = z.infer<typeof returnBodySchema>;
type DecisionBody = z.infer<typeof decisionCreateSchema>;
type ResolveBody = z.infer<typeof appealResolveSchema>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isAdmin = (actor: Actor) => actor.roles.some((g) => g.role === 'admin');

export function summaryDto(a: AssessmentRow): AssessmentSummaryDto {
  const verdict = a.verdict as { outcome?: unknown } | null;
  return {
    id: a.id,
    campaignId: a.campaignId,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    subjectName: a.subjectName,
    communeId: a.communeId,
    hamletId: a.hamletId,
    groupId: a.groupId,
    criteriaSetId: a.criteriaSetId,
    subjectGroup: a.subjectGroup,
    state: stateOf(a.state),
    stateLabel: ASSESSMENT_STATE_LABELS[stateOf(a.state)] ?? a.state,
    version: a.version,
    selfTotal: a.selfTotal,
    verifiedTotal: a.verifiedTotal,
    communeTotal: a.communeTotal,
    outcome: typeof verdict?.outcome === 'string' ? verdict.outcome : null,
    submittedAt: iso(a.submittedAt),
    verifiedAt: iso(a.verifiedAt),
    decidedAt: iso(a.decidedAt),
    certificateNo: a.certificateNo,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function evidenceDto(e: {
  id: string; assessmentId: string; indicatorCode: string; width: number; height: number; bytes: number;
  capturedAt: Date | null; gpsLat: number | null; gpsLon: number | null; nearDuplicates: { evidenceId: string; distance: number }[]; createdAt: Date;
}): EvidenceDto {
  return {
    id: e.id,
    assessmentId: e.assessmentId,
    indicatorCode: e.indicatorCode,
    width: e.width,
    height: e.height,
    bytes: e.bytes,
    capturedAt: iso(e.capturedAt),
    gpsLat: e.gpsLat,
    gpsLon: e.gpsLon,
    nearDuplicates: e.nearDuplicates,
    createdAt: e.createdAt.toISOString(),
  };
}

function commentDto(c: { id: string; indicatorCode: string | null; authorId: string; body: string; createdAt: Date }): CommentDto {
  return { id: c.id, indicatorCode: c.indicatorCode, authorId: c.authorId, body: c.body, createdAt: c.createdAt.toISOString() };
}

/** Answers in the engine's shape; `photos` feeds the evidence rules. */
function toEngineAnswers(rows: { indicatorCode: string; points: number | null; photos?: number }[]): Record<string, { points: number | null; evidenceCount?: number }> {
  const out: Record<string, { points: number | null; evidenceCount?: number }> = {};
  for (const r of rows) out[r.indicatorCode] = r.photos === undefined ? { points: r.points } : { points: r.points, evidenceCount: r.photos };
  return out;
}

function scoreOf(set: CriteriaSet, a: AssessmentRow, answers: Answers, checkEvidence = true): ScoreResult {
  return score(set, answers, { ...(a.subjectGroup ? { group: a.subjectGroup } : {}), checkEvidence });
}

/** The indicator codes that apply to this assessment (its subject group's form). */
function applicableCodes(set: CriteriaSet, group: string | null): Map<string, { maxPoints: number; isCondition: boolean }> {
  const compiled = compile(set);
  const view = compiled.views.get(group ?? '') ?? compiled.views.get('')!;
  const out = new Map<string, { maxPoints: number; isCondition: boolean }>();
  for (const ci of view.indicators) out.set(ci.code, { maxPoints: ci.maxPoints, isCondition: ci.isCondition });
  return out;
}

function checkPoints(set: CriteriaSet, group: string | null, code: string, points: number): string | null {
  const compiled = compile(set);
  const view = compiled.views.get(group ?? '') ?? compiled.views.get('')!;
  const ci = view.indicators.find((i) => i.code === code);
  if (!ci) return `Chỉ số ${code} không có trong bộ tiêu chí của hồ sơ này`;
  if (points > ci.maxPoints) return `Chỉ số ${code} tối đa ${ci.maxPoints} điểm, không thể chấm ${points} điểm`;
  if (!isAllowedPoints(ci, points)) {
    if (ci.isCondition) return `Điều kiện ${code}: chỉ chọn Đạt (1) hoặc Chưa đạt (0)`;
    if (ci.allowed) return `Chỉ số ${code}: chỉ được chấm ${ci.allowed.join('; ')} điểm`;
    return `Chỉ số ${code}: ${points} điểm không hợp lệ (bước chấm ${ci.step})`;
  }
  return null;
}

function hashRequest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Which member-share facts each subject type can supply for its prerequisites. */
const SHARE_SOURCES: Partial<Record<string, Partial<Record<MemberShareKey, 'householdsOfClan' | 'householdsOfHamlet' | 'clansOfHamlet' | 'staffOfUnit'>>>> = {
  clan: { householdsWithGdht: 'householdsOfClan' },
  community: { householdsWithGdht: 'householdsOfHamlet', clansWithDhht: 'clansOfHamlet' },
  unit: { staffWithCdht: 'staffOfUnit' },
};
/** The decision on the members' title must exist before the subjects that depend on it. */
const SHARE_TITLE_TYPE: Record<MemberShareKey, string> = {
  householdsWithGdht: 'household',
  clansWithDhht: 'clan',
  staffWithCdht: 'citizen',
  membersWithCdht: 'citizen',
};

export function createAssessmentService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService; me: MeService }) {
  const { db, clock, criteriaSets, me } = deps;

  async function loadCtx(executor: Executor, id: string): Promise<AssessmentCtx> {
    const ctx = await loadAssessmentCtx(executor, id);
    if (!ctx) throw notFound('Không tìm thấy hồ sơ đánh giá.');
    return ctx;
  }

  function step(action: Action, ctx: AssessmentCtx) {
    const t = transition(action, stateOf(ctx.a.state));
    if (!t.ok) throw conflict(t.message, 'INVALID_TRANSITION');
    ensureCampaignOpen(ctx);
    ensurePhaseOpen(ctx, t.phase, clock);
    return t.to;
  }

  const lost = () => conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.', 'VERSION_CONFLICT');

  function auditRow(actor: Actor, acc: Pick<Access, 'onBehalfOf'> | null, action: string, data: Record<string, unknown>): AuditRow {
    return { at: clock.now(), actorId: actor.userId, onBehalfOf: acc?.onBehalfOf ?? null, action, data };
  }

  function checkVersion(ctx: AssessmentCtx, version: number | undefined) {
    if (version !== undefined && version !== ctx.a.version) throw lost();
  }

  /** Verifier checks: role over the subject, and no conflict of interest (own household/clan). */
  async function requireVerifier(executor: Executor, actor: Actor, ctx: AssessmentCtx, acc: Access): Promise<void> {
    requireReader(acc);
    if (!acc.verifierRole) throw forbidden('Bạn không có quyền xác minh hồ sơ này.', 'NOT_VERIFIER');
    const a = ctx.a;
    if (acc.owner || (a.subjectType === 'household' && actor.householdId === a.subjectId)) {
      throw forbidden('Bạn không được xác minh hồ sơ của chính gia đình (hoặc đơn vị) mình.', 'CONFLICT_OF_INTEREST');
    }
    if (a.subjectType === 'household' && ctx.c.settings.clanConflictCheck === true && actor.householdId) {
      const rows = await householdClans(executor, [a.subjectId, actor.householdId]);
      const subjectClan = rows.find((r) => r.id === a.subjectId)?.clanId;
      const ownClan = rows.find((r) => r.id === actor.householdId)?.clanId;
      if (subjectClan && ownClan && subjectClan === ownClan) {
        throw forbidden('Bạn không được xác minh hộ cùng dòng họ với mình (theo cài đặt của đợt đánh giá).', 'CONFLICT_OF_INTEREST_CLAN');
      }
    }
  }

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
        return { name: `Dòng họ ${c.name}`, communeId: c.communeId, hamletId: c.hamletId, groupId: null, onBehalfOf: null };
      }
      case 'community': {
        const u = await findHamletSubject(db, body.subjectId);
        if (!u || u.level !== 'hamlet' || !u.parentId) throw notYours();
        if (!actor.roles.some((g) => g.role === 'hamlet_head' && g.unitId === u.id)) throw notYours();
        return { name: `${u.kind.charAt(0).toUpperCase()}${u.kind.slice(1)} ${u.name}`, communeId: u.parentId, hamletId: u.id, groupId: null, onBehalfOf: null };
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

  async function detail(actor: Actor, ctx: AssessmentCtx): Promise<AssessmentDetailDto> {
    const a = ctx.a;
    const [answerRows, evidenceRows, commentRows, decision] = await Promise.all([
      answersOf(db, [a.id]),
      listEvidence(db, a.id),
      listComments(db, a.id),
      a.decisionId ? findDecision(db, a.decisionId) : Promise.resolve(undefined),
    ]);
    const layer = (l: ScoreLayer) =>
      answerRows
        .filter((r) => r.layer === l)
        .map((r) => ({ indicatorCode: r.indicatorCode, points: r.points, note: r.note, reason: r.reason, updatedAt: r.updatedAt.toISOString() }));
    void actor;
    return {
      ...summaryDto(a),
      verdict: a.verdict,
      layers: { self: layer('self'), verifier: layer('verifier'), commune: layer('commune') },
      evidence: evidenceRows.map(evidenceDto),
      comments: commentRows.map(commentDto),
      decision: decision ? { id: decision.id, number: decision.number, decidedOn: decision.decidedOn } : null,
    };
  }

  function nextRow(a: AssessmentRow, to: string, set: Partial<AssessmentRow>, now: Date): AssessmentRow {
    return { ...a, ...set, state: to, version: a.version + 1, updatedAt: now };
  }

  return {
    loadCtx,

    async create(actor: Actor, body: CreateBody, actFor: string | null | undefined): Promise<{ created: boolean; assessment: AssessmentSummaryDto }> {
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
      if (subject.communeId !== camp.c.communeId) throw notFound('Không tìm thấy đợt đánh giá của xã nơi đối tượng cư trú.');
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
        if (!group) throw badRequest(`Cần chọn nhóm đối tượng (subjectGroup): ${set.subjectGroups.map((g) => `${g.code} (${g.label})`).join(', ')}.`, 'SUBJECT_GROUP_REQUIRED');
        if (!set.subjectGroups.some((g) => g.code === group)) throw badRequest(`Nhóm đối tượng "${group}" không có trong bộ tiêu chí.`, 'SUBJECT_GROUP_UNKNOWN');
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
      const counts = { campaignId: body.campaignId, subjectType: body.subjectType, unitIds: [subject.hamletId, subject.communeId, camp.provinceId].filter((x): x is string => !!x) };
      const inserted = await db.transaction((tx) =>
        insertAssessment(tx, row, counts, { at: now, actorId: actor.userId, onBehalfOf: subject.onBehalfOf, action: 'create', data: { from: null, to: 'draft' } }),
      );
      if (inserted) return { created: true, assessment: summaryDto((await loadAssessmentCtx(db, body.id))!.a) };
      const again = await loadAssessmentCtx(db, body.id);
      if (again && again.a.subjectId === body.subjectId && again.a.campaignId === body.campaignId) return { created: false, assessment: summaryDto(again.a) };
      const other = await findAssessmentBySubject(db, body.campaignId, body.subjectType, body.subjectId);
      throw conflict(`Đối tượng này đã được đăng ký trong đợt đánh giá (mã hồ sơ: ${other?.id ?? 'không rõ'}).`, 'ASSESSMENT_EXISTS');
    },

    async list(actor: Actor, q: { campaignId?: string; subjectType?: string; unitId?: string; state?: string; cursor?: string; limit: number }) {
      const scope = {
        all: isAdmin(actor),
        communeIds: communesOf(actor, ['officer', 'province_viewer']),
        hamletIds: actor.roles.filter((g) => READ_ROLES.includes(g.role) && g.unitLevel === 'hamlet').map((g) => g.unitId),
        groupIds: actor.roles.filter((g) => READ_ROLES.includes(g.role) && g.unitLevel === 'group').map((g) => g.unitId),
        subjectIds: [actor.householdId, actor.personId].filter((x): x is string => !!x),
        headUserId: actor.userId,
      };
      const after = decodeCursor(q.cursor, 2) as [string, string] | null;
      const rows = await listAssessments(db, scopeSql(scope), q, after, q.limit);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => summaryDto(r.a)),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.sortAt, last.a.id]) : null,
      };
    },

    async get(actor: Actor, id: string, actFor: string | null | undefined): Promise<AssessmentDetailDto> {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      return detail(actor, ctx);
    },

    /** Saves one self-assessed answer; the same value twice changes nothing. */
    async saveAnswer(actor: Actor, id: string, code: string, body: { points: number; note?: string | undefined }, actFor: string | null | undefined) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        const a = ctx.a;
        if (!EDITABLE_STATES.includes(stateOf(a.state))) {
          throw conflict(`Không thể sửa điểm khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[stateOf(a.state)]}".`, 'NOT_EDITABLE');
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
        next.push({ indicatorCode: code, points: body.points, note: unchanged ? prev!.note : note, photos: prev?.photos ?? 0 });
        const result = scoreOf(set, a, toEngineAnswers(next));
        const answer = { indicatorCode: code, points: body.points, note: unchanged ? prev!.note : note, reason: null, updatedAt: now.toISOString() };
        if (unchanged) {
          return { answer, version: a.version, verdict: result.verdict, selfTotal: result.total, changed: false };
        }
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to: a.state,
          set: { selfTotal: result.total, verdict: result.verdict as unknown as Record<string, unknown>, updatedAt: now },
          counts: countsOf(ctx),
          audit: [auditRow(actor, acc, 'score', { layer: 'self', indicatorCode: code, from: prev?.points ?? null, to: body.points })],
        });
        if (!ok) throw lost();
        await upsertAnswers(tx, [{ assessmentId: id, layer: 'self', indicatorCode: code, points: body.points, note, reason: null, updatedBy: actor.userId, updatedAt: now }]);
        return { answer, version: a.version + 1, verdict: result.verdict, selfTotal: result.total, changed: true };
      });
    },

    /**
     * Submit (or resubmit after a return). Idempotent on the Idempotency-Key: the key is claimed
     * in its own tiny commit (so a concurrent retry sees "in progress" → 409), and marked done
     * with the stored answer in the same statement as the state change. Hot path: claim, load,
     * consent, answers, one write statement.
     */
    async submit(actor: Actor, id: string, key: string | undefined, actFor: string | null | undefined): Promise<AssessmentSummaryDto & { verdict: Record<string, unknown> }> {
      if (!key) throw badRequest('Thiếu tiêu đề Idempotency-Key.', 'IDEMPOTENCY_KEY_REQUIRED');
      const requestHash = hashRequest({ op: 'submit', id, actFor: actFor ?? null });
      const now = clock.now();
      const claim = await claimIdempotencyKey(db, { userId: actor.userId, key, scope: `submit:${id}`, requestHash, now });
      if (!claim.claimed) {
        const row = claim.row;
        if (row.requestHash !== requestHash) throw unprocessable('Idempotency-Key này đã được dùng cho một yêu cầu khác.', 'IDEMPOTENCY_KEY_REUSED');
        if (row.status !== 'done') throw conflict('Yêu cầu nộp trước đó vẫn đang được xử lý, vui lòng thử lại sau giây lát.', 'IDEMPOTENCY_IN_PROGRESS');
        return row.responseBody as AssessmentSummaryDto & { verdict: Record<string, unknown> };
      }
      try {
        return await db.transaction(async (tx) => {
          const ctx = await loadCtx(tx, id);
          const acc = accessOf(actor, ctx, actFor);
          requireOwner(acc);
          const to = step('submit', ctx);
          await me.requireConsent(tx, actor.userId, 'evaluation');
          const a = ctx.a;
          const set = await criteriaSets.load(tx, a.criteriaSetId);
          const rows = await layerWithPhotos(tx, id, 'self');
          const result = scoreOf(set, a, toEngineAnswers(rows));
          const open = [...result.unanswered, ...result.invalid];
          if (open.length > 0 || result.verdict.reasons.some((r) => r.code === 'group_required' || r.code === 'group_unknown')) {
            // Missing photos are allowed (flagged in the verdict); unanswered indicators are not.
            throw unprocessable(`Chưa chấm xong, còn thiếu các chỉ số: ${open.join(', ')}.`, 'UNANSWERED_INDICATORS');
          }
          const set2 = { selfTotal: result.total, verdict: result.verdict as unknown as Record<string, unknown>, submittedAt: now, updatedAt: now };
          const body = { ...summaryDto(nextRow(a, to, set2, now)), verdict: set2.verdict };
          const ok = await applyTransition(tx, {
            id,
            version: a.version,
            from: a.state,
            to,
            set: set2,
            counts: countsOf(ctx),
            audit: [auditRow(actor, acc, 'submit', { from: a.state, to, selfTotal: result.total, outcome: result.verdict.outcome })],
            idempotency: { userId: actor.userId, key, status: 200, body },
          });
          if (!ok) throw lost();
          return body;
        });
      } catch (err) {
        await releaseIdempotencyKey(db, actor.userId, key);
        throw err;
      }
    },

    async verify(actor: Actor, id: string, body: VerifyBody) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, null);
        await requireVerifier(tx, actor, ctx, acc);
        checkVersion(ctx, body.version);
        const to = step('verify', ctx);
        const a = ctx.a;
        const set = await criteriaSets.load(tx, a.criteriaSetId);
        const self = await layerWithPhotos(tx, id, 'self');
        const codes = applicableCodes(set, a.subjectGroup);
        const problems: string[] = [];
        const given = new Map<string, { points: number; reason?: string | undefined }>();
        for (const item of body.answers) {
          const p = checkPoints(set, a.subjectGroup, item.indicatorCode, item.points);
          if (p) problems.push(p);
          given.set(item.indicatorCode, item);
        }
        if (problems.length) throw badRequest(problems.join('; '), 'ANSWER_INVALID');
        const now = clock.now();
        const rows: { indicatorCode: string; points: number | null; reason: string | null; photos: number }[] = [];
        const missingReason: string[] = [];
        const changes: { indicatorCode: string; from: number | null; to: number; reason: string | null }[] = [];
        for (const code of codes.keys()) {
          const s = self.find((r) => r.indicatorCode === code);
          const g = given.get(code);
          const pts = g ? g.points : (s?.points ?? null);
          if (g && g.points !== (s?.points ?? null)) {
            if (!g.reason) missingReason.push(code);
            changes.push({ indicatorCode: code, from: s?.points ?? null, to: g.points, reason: g.reason ?? null });
          }
          rows.push({ indicatorCode: code, points: pts, reason: g?.reason ?? null, photos: s?.photos ?? 0 });
        }
        if (missingReason.length) {
          throw badRequest(`Cần ghi lý do khi điểm xác minh khác điểm tự chấm: chỉ số ${missingReason.join(', ')}.`, 'REASON_REQUIRED');
        }
        const result = scoreOf(set, a, toEngineAnswers(rows));
        if (result.unanswered.length) throw unprocessable(`Còn chỉ số chưa có điểm: ${result.unanswered.join(', ')}.`, 'UNANSWERED_INDICATORS');
        const patch = { verifiedTotal: result.total, verdict: result.verdict as unknown as Record<string, unknown>, verifiedAt: now, verifiedBy: actor.userId, updatedAt: now };
        const audit = [
          auditRow(actor, null, 'verify', { from: a.state, to, verifiedTotal: result.total, reason: body.comment ?? null }),
          ...changes.map((c) => auditRow(actor, null, 'score', { layer: 'verifier', indicatorCode: c.indicatorCode, from: c.from, to: c.to, reason: c.reason })),
        ];
        const ok = await applyTransition(tx, { id, version: a.version, from: a.state, to, set: patch, counts: countsOf(ctx), audit });
        if (!ok) throw lost();
        await upsertAnswers(
          tx,
          rows.map((r) => ({ assessmentId: id, layer: 'verifier' as const, indicatorCode: r.indicatorCode, points: r.points, note: null, reason: r.reason, updatedBy: actor.userId, updatedAt: now })),
        );
        if (body.comment) await insertComments(tx, [{ id: randomUUID(), assessmentId: id, indicatorCode: null, authorId: actor.userId, body: body.comment, createdAt: now }]);
        const next = nextRow(a, to, patch, now);
        await enqueueNotification(
          tx,
          { kind: 'assessment_verified', assessmentId: id, campaignId: a.campaignId, subjectName: a.subjectName, recipientUserIds: await ownerUserIds(tx, a, ctx.headUserId) },
          `verified:${id}:${next.version}`,
          now,
        );
        return { ...summaryDto(next), verdict: patch.verdict };
      });
    },

    async returnForFix(actor: Actor, id: string, body: ReturnBody) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, null);
        await requireVerifier(tx, actor, ctx, acc);
        checkVersion(ctx, body.version);
        const to = step('return', ctx);
        const a = ctx.a;
        const set = await criteriaSets.load(tx, a.criteriaSetId);
        const codes = applicableCodes(set, a.subjectGroup);
        const unknown = body.items.filter((i) => !codes.has(i.indicatorCode)).map((i) => i.indicatorCode);
        if (unknown.length) throw badRequest(`Chỉ số không có trong bộ tiêu chí: ${unknown.join(', ')}.`, 'INDICATOR_UNKNOWN');
        const now = clock.now();
        const indicatorCodes = [...new Set(body.items.map((i) => i.indicatorCode))];
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to,
          set: { updatedAt: now },
          counts: countsOf(ctx),
          audit: [auditRow(actor, null, 'return', { from: a.state, to, indicatorCodes, reason: body.comment ?? null })],
        });
        if (!ok) throw lost();
        await insertComments(tx, [
          ...body.items.map((i) => ({ id: randomUUID(), assessmentId: id, indicatorCode: i.indicatorCode, authorId: actor.userId, body: i.comment, createdAt: now })),
          ...(body.comment ? [{ id: randomUUID(), assessmentId: id, indicatorCode: null, authorId: actor.userId, body: body.comment, createdAt: now }] : []),
        ]);
        const next = nextRow(a, to, { updatedAt: now }, now);
        await enqueueNotification(
          tx,
          {
            kind: 'assessment_returned',
            assessmentId: id,
            campaignId: a.campaignId,
            subjectName: a.subjectName,
            recipientUserIds: await ownerUserIds(tx, a, ctx.headUserId),
            indicatorCodes,
            comment: body.comment ?? null,
          },
          `returned:${id}:${next.version}`,
          now,
        );
        return summaryDto(next);
      });
    },

    async withdraw(actor: Actor, id: string, body: { reason?: string | undefined; version?: number | undefined }, actFor: string | null | undefined) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        checkVersion(ctx, body.version);
        const to = step('withdraw', ctx);
        const now = clock.now();
        const ok = await applyTransition(tx, {
          id, version: ctx.a.version, from: ctx.a.state, to, set: { updatedAt: now }, counts: countsOf(ctx),
          audit: [auditRow(actor, acc, 'withdraw', { from: ctx.a.state, to, reason: body.reason ?? null })],
        });
        if (!ok) throw lost();
        return summaryDto(nextRow(ctx.a, to, { updatedAt: now }, now));
      });
    },

    async appeal(actor: Actor, id: string, reason: string, actFor: string | null | undefined) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        const to = step('appeal', ctx);
        const now = clock.now();
        const ok = await applyTransition(tx, {
          id, version: ctx.a.version, from: ctx.a.state, to, set: { updatedAt: now }, counts: countsOf(ctx),
          audit: [auditRow(actor, acc, 'appeal', { from: ctx.a.state, to, reason })],
        });
        if (!ok) throw lost();
        await insertComments(tx, [{ id: randomUUID(), assessmentId: id, indicatorCode: null, authorId: actor.userId, body: `Khiếu nại: ${reason}`, createdAt: now }]);
        return summaryDto(nextRow(ctx.a, to, { updatedAt: now }, now));
      });
    },

    /** Officer resolves an appeal: accepted → commune re-score, back to verified; rejected → back where it was. */
    async resolveAppeal(actor: Actor, id: string, body: ResolveBody) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, null);
        requireOfficer(acc);
        const a = ctx.a;
        const now = clock.now();
        let action: Action;
        let patch: Partial<AssessmentRow> = { updatedAt: now };
        const scoreAudit: AuditRow[] = [];
        let communeRows: { indicatorCode: string; points: number | null }[] = [];
        if (body.outcome === 'accepted') {
          action = 'appeal_accept';
          const set = await criteriaSets.load(tx, a.criteriaSetId);
          const problems = (body.answers ?? []).map((x) => checkPoints(set, a.subjectGroup, x.indicatorCode, x.points)).filter((x): x is string => !!x);
          if (problems.length) throw badRequest(problems.join('; '), 'ANSWER_INVALID');
          const existing = await answersOf(tx, [id], ['verifier', 'commune']);
          const base = new Map<string, number | null>();
          for (const r of existing.filter((r) => r.layer === 'verifier')) base.set(r.indicatorCode, r.points);
          for (const r of existing.filter((r) => r.layer === 'commune')) base.set(r.indicatorCode, r.points);
          for (const x of body.answers ?? []) {
            if (base.get(x.indicatorCode) !== x.points) {
              scoreAudit.push(auditRow(actor, null, 'score', { layer: 'commune', indicatorCode: x.indicatorCode, from: base.get(x.indicatorCode) ?? null, to: x.points, reason: body.reason }));
            }
            base.set(x.indicatorCode, x.points);
          }
          communeRows = [...base.entries()].map(([indicatorCode, points]) => ({ indicatorCode, points }));
          const result = scoreOf(set, a, toEngineAnswers(communeRows), false);
          patch = { ...patch, communeTotal: result.total, verdict: result.verdict as unknown as Record<string, unknown> };
        } else {
          const trail = await auditTrail(tx, 'assessment', id);
          const lastAppeal = [...trail].reverse().find((e) => e.action === 'appeal');
          action = lastAppeal?.data.from === 'reviewed' ? 'appeal_reject_to_reviewed' : 'appeal_reject_to_verified';
        }
        const to = step(action, ctx);
        const ok = await applyTransition(tx, {
          id, version: a.version, from: a.state, to, set: patch, counts: countsOf(ctx),
          audit: [auditRow(actor, null, 'appeal_resolved', { from: a.state, to, outcome: body.outcome, reason: body.reason }), ...scoreAudit],
        });
        if (!ok) throw lost();
        if (communeRows.length) {
          await upsertAnswers(tx, communeRows.map((r) => ({ assessmentId: id, layer: 'commune' as const, indicatorCode: r.indicatorCode, points: r.points, note: null, reason: body.reason, updatedBy: actor.userId, updatedAt: now })));
        }
        await insertComments(tx, [{ id: randomUUID(), assessmentId: id, indicatorCode: null, authorId: actor.userId, body: `Giải quyết khiếu nại (${body.outcome === 'accepted' ? 'chấp nhận' : 'không chấp nhận'}): ${body.reason}`, createdAt: now }]);
        return summaryDto(nextRow(a, to, patch, now));
      });
    },

    /** Hamlet review (bình xét): every verified assessment of the hamlet (or commune) → reviewed. */
    async review(actor: Actor, body: { campaignId: string; hamletId: string; subjectType: string }) {
      const camp = await findCampaignWithProvince(db, body.campaignId);
      if (!camp) throw notFound('Không tìm thấy đợt đánh giá.');
      const unit = await findHamletSubject(db, body.hamletId);
      const notHere = () => notFound('Không tìm thấy ấp/khóm trong phạm vi của bạn.');
      if (!unit) throw notHere();
      let place: { communeId?: string; hamletId?: string };
      if (unit.level === 'hamlet' && unit.parentId === camp.c.communeId) {
        if (!hasRoleOver(actor, ['hamlet_head', 'officer'], { communeId: unit.parentId, hamletId: unit.id })) throw notHere();
        place = { hamletId: unit.id };
      } else if (unit.level === 'commune' && unit.id === camp.c.communeId) {
        // Subjects outside any hamlet (some clans and units) are reviewed at commune level.
        if (!hasRoleOver(actor, OFFICER_ROLES, { communeId: unit.id })) throw notHere();
        place = { communeId: unit.id };
      } else throw notHere();
      if (camp.c.status === 'closed') throw conflict('Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.', 'CAMPAIGN_CLOSED');
      const now = clock.now();
      return db.transaction(async (tx) => {
        const rows = await verifiedInPlace(tx, body.campaignId, body.subjectType, place);
        const ids: string[] = [];
        for (const r of rows) {
          const ok = await applyTransition(tx, {
            id: r.id, version: r.version, from: 'verified', to: 'reviewed', set: { updatedAt: now },
            counts: { campaignId: body.campaignId, subjectType: body.subjectType, unitIds: [r.hamletId, r.communeId, camp.provinceId].filter((x): x is string => !!x) },
            audit: [auditRow(actor, null, 'review', { from: 'verified', to: 'reviewed' })],
          });
          // A row changed meanwhile (appealed, …) is simply not part of this review.
          if (ok) ids.push(r.id);
        }
        return { reviewed: ids.length, assessmentIds: ids };
      });
    },

    /**
     * Recognition decision for one subject type: each listed assessment becomes recognised or
     * not_recognised by the engine's evaluate(), on the commune layer (defaults to the verifier's
     * points) and prerequisites counted from this campaign's decided members.
     */
    async decide(actor: Actor, campaignId: string, body: DecisionBody) {
      const camp = await findCampaignWithProvince(db, campaignId);
      if (!camp || !hasRoleOver(actor, OFFICER_ROLES, { communeId: camp.c.communeId })) throw notFound('Không tìm thấy đợt đánh giá.');
      if (camp.c.status === 'closed') throw conflict('Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.', 'CAMPAIGN_CLOSED');
      const setId = camp.c.criteriaSetIds[body.subjectType];
      if (!setId) throw conflict('Đợt đánh giá chưa chọn bộ tiêu chí cho loại đối tượng này.', 'NO_CRITERIA_SET');
      const set = await criteriaSets.load(db, setId);
      const sources = SHARE_SOURCES[body.subjectType] ?? {};
      for (const p of set.prerequisites ?? []) {
        const membersType = SHARE_TITLE_TYPE[p.share];
        if (sources[p.share] && !(await hasDecisionFor(db, campaignId, membersType))) {
          throw conflict(`Cần ra quyết định công nhận cho ${membersType === 'household' ? 'các hộ gia đình' : membersType === 'clan' ? 'các dòng họ' : 'công dân'} trước, vì điều kiện "${p.text}" tính theo kết quả đó.`, 'PREREQUISITE_DECISION_MISSING');
        }
      }
      const now = clock.now();
      const decisionId = randomUUID();
      return db.transaction(async (tx) => {
        const list = await assessmentsForDecision(tx, campaignId, body.subjectType, body.assessmentIds);
        if (body.assessmentIds) {
          const bad = body.assessmentIds.filter((id) => {
            const a = list.find((x) => x.id === id);
            return !a || a.subjectType !== body.subjectType || a.state !== 'reviewed';
          });
          if (bad.length) throw conflict(`Chỉ ra quyết định cho hồ sơ đã bình xét của loại đối tượng này; không hợp lệ: ${bad.join(', ')}.`, 'INVALID_TRANSITION');
        }
        if (list.length === 0) throw conflict('Không có hồ sơ nào đã bình xét để ra quyết định.', 'NOTHING_TO_DECIDE');
        const ids = list.map((a) => a.id);
        const allAnswers = await answersOf(tx, ids);
        const facts = new Map<string, EvaluationFacts>();
        for (const [share, kind] of Object.entries(sources) as [MemberShareKey, NonNullable<(typeof sources)[MemberShareKey]>][]) {
          if (!(set.prerequisites ?? []).some((p) => p.share === share)) continue;
          const counts = await memberShareCounts(tx, campaignId, kind, list.map((a) => a.subjectId));
          for (const a of list) {
            const f = facts.get(a.id) ?? { memberShares: {} };
            f.memberShares![share] = counts.get(a.subjectId) ?? { total: 0, withTitle: 0 };
            facts.set(a.id, f);
          }
        }
        await insertDecision(tx, {
          id: decisionId, campaignId, subjectType: body.subjectType, number: body.number, decidedOn: body.decidedOn, signer: body.signer,
          signerTitle: body.signerTitle ?? 'Chủ tịch UBND xã', recognisedCount: 0, notRecognisedCount: 0, createdBy: actor.userId, createdAt: now,
        }).catch((err: unknown) => {
          if (String((err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string }).code) === '23505') {
            throw conflict(`Số quyết định ${body.number} đã được dùng trong đợt này.`, 'DECISION_NUMBER_TAKEN');
          }
          throw err;
        });
        await seedCommuneLayer(tx, ids, actor.userId, now);
        let seq = 0;
        const results = [];
        for (const a of list) {
          // Commune layer, else the verifier's points, else the self-assessment (never empty).
          const byCode = new Map<string, number | null>();
          for (const l of ['self', 'verifier', 'commune'] as const) {
            for (const r of allAnswers) if (r.assessmentId === a.id && r.layer === l) byCode.set(r.indicatorCode, r.points);
          }
          // The verifier checked the photos on the spot; missing uploads do not block the title.
          const s = scoreOf(set, a, toEngineAnswers([...byCode.entries()].map(([indicatorCode, points]) => ({ indicatorCode, points }))), false);
          const d = evaluate(set, s, facts.get(a.id) ?? {});
          const to = d.recognised ? 'recognised' : 'not_recognised';
          const certificateNo = d.recognised ? `${body.number}/${++seq}` : null;
          const patch = { communeTotal: s.total, verdict: d as unknown as Record<string, unknown>, decidedAt: now, decisionId, certificateNo, updatedAt: now };
          const ok = await applyTransition(tx, {
            id: a.id, version: a.version, from: 'reviewed', to, set: patch,
            counts: { campaignId, subjectType: a.subjectType, unitIds: [a.hamletId, a.communeId, camp.provinceId].filter((x): x is string => !!x) },
            audit: [auditRow(actor, null, 'decide', { from: 'reviewed', to, decisionId, decisionNumber: body.number, certificateNo, reason: d.reasons.map((r) => r.message).join('; ') || null })],
          });
          if (!ok) throw lost();
          await enqueueNotification(
            tx,
            {
              kind: 'assessment_decided', assessmentId: a.id, campaignId, subjectName: a.subjectName, subjectType: a.subjectType,
              recipientUserIds: await ownerUserIds(tx, a, null), recognised: d.recognised, reasons: d.reasons.map((r) => r.message), decisionNumber: body.number,
            },
            `decided:${a.id}:${decisionId}`,
            now,
          );
          results.push({ assessmentId: a.id, subjectName: a.subjectName, recognised: d.recognised, certificateNo, reasons: d.reasons.map((r) => r.message) });
        }
        const recognisedCount = results.filter((r) => r.recognised).length;
        const notRecognisedCount = results.length - recognisedCount;
        await setDecisionCounts(tx, decisionId, recognisedCount, notRecognisedCount);
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'decision.published', entityType: 'decision', entityId: decisionId, data: { campaignId, subjectType: body.subjectType, number: body.number, recognisedCount, notRecognisedCount } });
        await enqueueNotification(tx, { kind: 'decision_published', decisionId, campaignId, communeId: camp.c.communeId, subjectType: body.subjectType }, `decision:${decisionId}`, now);
        const dto: DecisionDto = {
          id: decisionId, campaignId, subjectType: body.subjectType, number: body.number, decidedOn: body.decidedOn, signer: body.signer,
          signerTitle: body.signerTitle ?? 'Chủ tịch UBND xã', recognisedCount, notRecognisedCount, createdAt: now.toISOString(),
        };
        return { ...dto, results };
      });
    },

    async listDecisions(actor: Actor, campaignId: string) {
      const camp = await findCampaignWithProvince(db, campaignId);
      // Decisions are public acts, but the list is an officer's (and province viewer's) tool.
      if (!camp || !hasRoleOver(actor, ['officer', 'province_viewer'], { communeId: camp.c.communeId })) {
        throw notFound('Không tìm thấy đợt đánh giá.');
      }
      const rows = await listDecisions(db, campaignId);
      return {
        items: rows.map((d) => ({
          id: d.id, campaignId: d.campaignId, subjectType: d.subjectType, number: d.number, decidedOn: d.decidedOn, signer: d.signer,
          signerTitle: d.signerTitle, recognisedCount: d.recognisedCount, notRecognisedCount: d.notRecognisedCount, createdAt: d.createdAt.toISOString(),
        })),
      };
    },

    async comments(actor: Actor, id: string, actFor: string | null | undefined) {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      return { items: (await listComments(db, id)).map(commentDto) };
    },

    async addComment(actor: Actor, id: string, body: { indicatorCode?: string | undefined; body: string }, actFor: string | null | undefined) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireReader(acc);
        if (!acc.owner && !acc.verifierRole) throw forbidden('Bạn chỉ được xem hồ sơ này, không được bình luận.', 'READ_ONLY');
        if (body.indicatorCode) {
          const set = await criteriaSets.load(tx, ctx.a.criteriaSetId);
          if (!applicableCodes(set, ctx.a.subjectGroup).has(body.indicatorCode)) throw badRequest(`Chỉ số ${body.indicatorCode} không có trong bộ tiêu chí.`, 'INDICATOR_UNKNOWN');
        }
        const now = clock.now();
        const row = { id: randomUUID(), assessmentId: id, indicatorCode: body.indicatorCode ?? null, authorId: actor.userId, body: body.body, createdAt: now };
        await insertComments(tx, [row]);
        await appendAudit(tx, { at: now, actorId: actor.userId, onBehalfOf: acc.onBehalfOf, action: 'comment', entityType: 'assessment', entityId: id, data: { indicatorCode: row.indicatorCode } });
        return commentDto(row);
      });
    },

    async timeline(actor: Actor, id: string, actFor: string | null | undefined) {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      const rows = await auditTrail(db, 'assessment', id);
      return { items: rows.map(timelineEntry) };
    },
  };
}

const ACTION_LABELS: Record<string, string> = {
  create: 'Đăng ký đánh giá',
  submit: 'Nộp bản tự đánh giá',
  return: 'Trả lại để bổ sung',
  verify: 'Xác minh',
  review: 'Bình xét ở ấp',
  decide: 'Ra quyết định',
  withdraw: 'Rút hồ sơ',
  appeal: 'Khiếu nại',
  appeal_resolved: 'Giải quyết khiếu nại',
  score: 'Chấm điểm',
  comment: 'Góp ý',
  evidence_added: 'Thêm ảnh minh chứng',
  evidence_deleted: 'Xoá ảnh minh chứng',
};
const LAYER_LABELS: Record<string, string> = { self: 'tự chấm', verifier: 'xác minh', commune: 'xã chấm' };

function stateLabel(s: unknown): string {
  return typeof s === 'string' ? (ASSESSMENT_STATE_LABELS[stateOf(s)] ?? s) : '';
}

function timelineEntry(e: { at: Date; action: string; actorId: string | null; onBehalfOf: string | null; data: Record<string, unknown> }) {
  const d = e.data;
  let label = ACTION_LABELS[e.action] ?? e.action;
  if (e.action === 'score') {
    label = `${label} chỉ số ${String(d.indicatorCode)} (${LAYER_LABELS[String(d.layer)] ?? d.layer}): ${d.from ?? '—'} → ${d.to ?? '—'}`;
  } else if (typeof d.to === 'string' && e.action !== 'create') {
    label = `${label}: ${stateLabel(d.from)} → ${stateLabel(d.to)}`;
  } else if ((e.action === 'evidence_added' || e.action === 'evidence_deleted') && d.indicatorCode) {
    label = `${label} cho chỉ số ${String(d.indicatorCode)}`;
  }
  if (e.onBehalfOf) label += ' (nhập thay hộ)';
  return {
    at: e.at.toISOString(),
    action: e.action,
    label,
    actorId: e.actorId,
    onBehalfOf: e.onBehalfOf,
    from: e.action === 'score' ? (d.from === null || d.from === undefined ? null : String(d.from)) : typeof d.from === 'string' ? d.from : null,
    to: e.action === 'score' ? (d.to === null || d.to === undefined ? null : String(d.to)) : typeof d.to === 'string' ? d.to : null,
    reason: typeof d.reason === 'string' ? d.reason : null,
    data: d,
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
