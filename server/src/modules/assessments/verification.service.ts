import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { appealResolveSchema, returnBodySchema, verifyBodySchema } from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, forbidden, unprocessable } from '../../lib/errors.ts';
import { actedOnBehalf, auditTrail } from '../audit/audit.repo.ts';
import { enqueueNotification } from '../../notify/enqueue.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import type { AssessmentCtx } from './assessment-ctx.repo.ts';
import { accessOf, countsOf, requireOfficer, requireOwner, requireReader, type Access } from './access.ts';
import {
  answersOf,
  applyTransition,
  householdClans,
  insertComments,
  layerWithPhotos,
  ownerUserIds,
  upsertAnswers,
  type AssessmentRow,
  type AuditRow,
} from './assessments.repo.ts';
import { summaryDto } from './assessment-dto.ts';
import { applicableCodes, checkPoints, scoreOf, toEngineAnswers } from './scoring.ts';
import type { Action } from './transitions.ts';
import { createWorkflow } from './workflow.ts';

type VerifyBody = z.infer<typeof verifyBodySchema>;
type ReturnBody = z.infer<typeof returnBodySchema>;
type ResolveBody = z.infer<typeof appealResolveSchema>;

/** Verification by the leader (verify, return), and the owner's withdraw and appeal. */
export function createVerificationService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService }) {
  const { db, clock, criteriaSets } = deps;
  const { loadCtx, step, lost, auditRow, checkVersion, nextRow } = createWorkflow(clock);

  /** Verifier checks: role over the subject, and no conflict of interest (own household/clan). */
  async function requireVerifier(executor: Executor, actor: Actor, ctx: AssessmentCtx, acc: Access): Promise<void> {
    requireReader(acc);
    if (!acc.verifierRole) throw forbidden('Bạn không có quyền xác minh hồ sơ này.', 'NOT_VERIFIER');
    const a = ctx.a;
    if (acc.owner || (a.subjectType === 'household' && actor.householdId === a.subjectId)) {
      throw forbidden('Bạn không được xác minh hồ sơ của chính gia đình (hoặc đơn vị) mình.', 'CONFLICT_OF_INTEREST');
    }
    // Whoever entered the answers for the household (assisted mode) would be checking their own work.
    if (await actedOnBehalf(executor, 'assessment', a.id, actor.userId)) {
      throw forbidden(
        'Bạn đã nhập thay hồ sơ này nên không được tự xác minh. Hãy nhờ trưởng ấp hoặc cán bộ xã xác minh.',
        'CONFLICT_OF_INTEREST_ASSISTED',
      );
    }
    if (a.subjectType === 'household' && ctx.c.settings.clanConflictCheck === true && actor.householdId) {
      const rows = await householdClans(executor, [a.subjectId, actor.householdId]);
      const subjectClan = rows.find((r) => r.id === a.subjectId)?.clanId;
      const ownClan = rows.find((r) => r.id === actor.householdId)?.clanId;
      if (subjectClan && ownClan && subjectClan === ownClan) {
        throw forbidden(
          'Bạn không được xác minh hộ cùng dòng họ với mình (theo cài đặt của đợt đánh giá).',
          'CONFLICT_OF_INTEREST_CLAN',
        );
      }
    }
  }

  /** What verifying and returning start with: the assessment, the verifier's right, its version, the step. */
  async function openForVerifier(
    tx: Executor,
    actor: Actor,
    id: string,
    version: number | undefined,
    action: 'verify' | 'return',
  ) {
    const ctx = await loadCtx(tx, id);
    await requireVerifier(tx, actor, ctx, accessOf(actor, ctx, null));
    checkVersion(ctx, version);
    const to = step(action, ctx);
    const set = await criteriaSets.load(tx, ctx.a.criteriaSetId);
    return { ctx, a: ctx.a, to, set, codes: applicableCodes(set, ctx.a.subjectGroup) };
  }

  return {
    async verify(actor: Actor, id: string, body: VerifyBody) {
      return db.transaction(async (tx) => {
        const { ctx, a, to, set, codes } = await openForVerifier(tx, actor, id, body.version, 'verify');
        const self = await layerWithPhotos(tx, id, 'self');
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
          throw badRequest(
            `Cần ghi lý do khi điểm xác minh khác điểm tự chấm: chỉ số ${missingReason.join(', ')}.`,
            'REASON_REQUIRED',
          );
        }
        const result = scoreOf(set, a, toEngineAnswers(rows));
        if (result.unanswered.length)
          throw unprocessable(`Còn chỉ số chưa có điểm: ${result.unanswered.join(', ')}.`, 'UNANSWERED_INDICATORS');
        const patch = {
          verifiedTotal: result.total,
          verdict: result.verdict,
          verifiedAt: now,
          verifiedBy: actor.userId,
          updatedAt: now,
        };
        const audit = [
          auditRow(actor, null, 'verify', {
            from: a.state,
            to,
            verifiedTotal: result.total,
            reason: body.comment ?? null,
          }),
          ...changes.map((c) =>
            auditRow(actor, null, 'score', {
              layer: 'verifier',
              indicatorCode: c.indicatorCode,
              from: c.from,
              to: c.to,
              reason: c.reason,
            }),
          ),
        ];
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to,
          set: patch,
          counts: countsOf(ctx),
          audit,
        });
        if (!ok) throw lost();
        await upsertAnswers(
          tx,
          rows.map((r) => ({
            assessmentId: id,
            layer: 'verifier' as const,
            indicatorCode: r.indicatorCode,
            points: r.points,
            note: null,
            reason: r.reason,
            updatedBy: actor.userId,
            updatedAt: now,
          })),
        );
        if (body.comment)
          await insertComments(tx, [
            {
              id: randomUUID(),
              assessmentId: id,
              indicatorCode: null,
              authorId: actor.userId,
              body: body.comment,
              createdAt: now,
            },
          ]);
        const next = nextRow(a, to, patch, now);
        await enqueueNotification(
          tx,
          {
            kind: 'assessment_verified',
            assessmentId: id,
            campaignId: a.campaignId,
            subjectName: a.subjectName,
            recipientUserIds: await ownerUserIds(tx, a, ctx.headUserId),
          },
          `verified:${id}:${next.version}`,
          now,
        );
        return { ...summaryDto(next), verdict: patch.verdict };
      });
    },

    async returnForFix(actor: Actor, id: string, body: ReturnBody) {
      return db.transaction(async (tx) => {
        const { ctx, a, to, codes } = await openForVerifier(tx, actor, id, body.version, 'return');
        const unknown = body.items.filter((i) => !codes.has(i.indicatorCode)).map((i) => i.indicatorCode);
        if (unknown.length)
          throw badRequest(`Chỉ số không có trong bộ tiêu chí: ${unknown.join(', ')}.`, 'INDICATOR_UNKNOWN');
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
          ...body.items.map((i) => ({
            id: randomUUID(),
            assessmentId: id,
            indicatorCode: i.indicatorCode,
            authorId: actor.userId,
            body: i.comment,
            createdAt: now,
          })),
          ...(body.comment
            ? [
                {
                  id: randomUUID(),
                  assessmentId: id,
                  indicatorCode: null,
                  authorId: actor.userId,
                  body: body.comment,
                  createdAt: now,
                },
              ]
            : []),
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

    async withdraw(
      actor: Actor,
      id: string,
      body: { reason?: string | undefined; version?: number | undefined },
      actFor: string | null | undefined,
    ) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireOwner(acc);
        checkVersion(ctx, body.version);
        const to = step('withdraw', ctx);
        const now = clock.now();
        const ok = await applyTransition(tx, {
          id,
          version: ctx.a.version,
          from: ctx.a.state,
          to,
          set: { updatedAt: now },
          counts: countsOf(ctx),
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
          id,
          version: ctx.a.version,
          from: ctx.a.state,
          to,
          set: { updatedAt: now },
          counts: countsOf(ctx),
          audit: [auditRow(actor, acc, 'appeal', { from: ctx.a.state, to, reason })],
        });
        if (!ok) throw lost();
        await insertComments(tx, [
          {
            id: randomUUID(),
            assessmentId: id,
            indicatorCode: null,
            authorId: actor.userId,
            body: `Khiếu nại: ${reason}`,
            createdAt: now,
          },
        ]);
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
          const problems = (body.answers ?? [])
            .map((x) => checkPoints(set, a.subjectGroup, x.indicatorCode, x.points))
            .filter((x): x is string => !!x);
          if (problems.length) throw badRequest(problems.join('; '), 'ANSWER_INVALID');
          const existing = await answersOf(tx, [id], ['verifier', 'commune']);
          const base = new Map<string, number | null>();
          for (const r of existing.filter((r) => r.layer === 'verifier')) base.set(r.indicatorCode, r.points);
          for (const r of existing.filter((r) => r.layer === 'commune')) base.set(r.indicatorCode, r.points);
          for (const x of body.answers ?? []) {
            if (base.get(x.indicatorCode) !== x.points) {
              scoreAudit.push(
                auditRow(actor, null, 'score', {
                  layer: 'commune',
                  indicatorCode: x.indicatorCode,
                  from: base.get(x.indicatorCode) ?? null,
                  to: x.points,
                  reason: body.reason,
                }),
              );
            }
            base.set(x.indicatorCode, x.points);
          }
          communeRows = [...base.entries()].map(([indicatorCode, points]) => ({ indicatorCode, points }));
          const result = scoreOf(set, a, toEngineAnswers(communeRows), false);
          patch = {
            ...patch,
            communeTotal: result.total,
            verdict: result.verdict,
          };
        } else {
          const trail = await auditTrail(tx, 'assessment', id);
          const lastAppeal = [...trail].reverse().find((e) => e.action === 'appeal');
          action = lastAppeal?.data.from === 'reviewed' ? 'appeal_reject_to_reviewed' : 'appeal_reject_to_verified';
        }
        const to = step(action, ctx);
        const ok = await applyTransition(tx, {
          id,
          version: a.version,
          from: a.state,
          to,
          set: patch,
          counts: countsOf(ctx),
          audit: [
            auditRow(actor, null, 'appeal_resolved', { from: a.state, to, outcome: body.outcome, reason: body.reason }),
            ...scoreAudit,
          ],
        });
        if (!ok) throw lost();
        if (communeRows.length) {
          await upsertAnswers(
            tx,
            communeRows.map((r) => ({
              assessmentId: id,
              layer: 'commune' as const,
              indicatorCode: r.indicatorCode,
              points: r.points,
              note: null,
              reason: body.reason,
              updatedBy: actor.userId,
              updatedAt: now,
            })),
          );
        }
        await insertComments(tx, [
          {
            id: randomUUID(),
            assessmentId: id,
            indicatorCode: null,
            authorId: actor.userId,
            body: `Giải quyết khiếu nại (${body.outcome === 'accepted' ? 'chấp nhận' : 'không chấp nhận'}): ${body.reason}`,
            createdAt: now,
          },
        ]);
        return summaryDto(nextRow(a, to, patch, now));
      });
    },
  };
}
