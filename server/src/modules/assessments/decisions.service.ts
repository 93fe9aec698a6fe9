import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { evaluate, type EvaluationFacts, type MemberShareKey } from '@hoctap/shared';
import type { DecisionDto, decisionCreateSchema } from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import { hasRoleOver, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { enqueueNotification } from '../../notify/enqueue.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import {
  answersOf,
  applyTransition,
  findCampaignWithProvince,
  findHamletSubject,
  ownerUserIds,
} from './assessments.repo.ts';
import {
  assessmentsForDecision,
  hasDecisionFor,
  insertDecision,
  listDecisions,
  memberShareCounts,
  seedCommuneLayer,
  setDecisionCounts,
  verifiedInPlace,
} from './decisions.repo.ts';
import { scoreOf, toEngineAnswers } from './scoring.ts';
import { createWorkflow } from './workflow.ts';
import { consecutiveYearsBefore } from '../reports/honours.ts';

type DecisionBody = z.infer<typeof decisionCreateSchema>;

/** Which member-share facts each subject type can supply for its prerequisites. */
const SHARE_SOURCES: Partial<
  Record<
    string,
    Partial<Record<MemberShareKey, 'householdsOfClan' | 'householdsOfHamlet' | 'clansOfHamlet' | 'staffOfUnit'>>
  >
> = {
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

/** What other areas add to a decision, in its transaction (docs/transparency.md). */
export interface DecisionHooks {
  /** Mints the recognised subjects' certificate verification codes. */
  certificates?: { issueCodes(tx: Executor, decisionId: string, assessmentIds: string[], now: Date): Promise<void> };
  /**
   * Refuses (409) while a hamlet's posting window is open or objections are unresolved, unless an
   * override reason is given (then audited); returns the entries an officer removed after an
   * objection, with the reason, so they are not recognised.
   */
  postings?: {
    gateDecision(
      tx: Executor,
      actor: Actor,
      q: {
        campaignId: string;
        subjectType: string;
        hamletIds: string[];
        assessmentIds: string[];
        overrideReason?: string;
      },
      now: Date,
    ): Promise<Map<string, string>>;
  };
}

/** Hamlet review and the commune's recognition decisions (with cross-title prerequisites). */
export function createDecisionService(
  deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService } & DecisionHooks,
) {
  const { db, clock, criteriaSets } = deps;
  const { lost, auditRow } = createWorkflow(clock);

  return {
    /** Hamlet review (bình xét): every verified assessment of the hamlet (or commune) → reviewed. */
    async review(actor: Actor, body: { campaignId: string; hamletId: string; subjectType: string }) {
      const camp = await findCampaignWithProvince(db, body.campaignId);
      if (!camp) throw notFound('Không tìm thấy đợt đánh giá.');
      const unit = await findHamletSubject(db, body.hamletId);
      const notHere = () => notFound('Không tìm thấy ấp/khóm trong phạm vi của bạn.');
      if (!unit) throw notHere();
      let place: { communeId?: string; hamletId?: string };
      if (unit.level === 'hamlet' && unit.parentId === camp.c.communeId) {
        if (!hasRoleOver(actor, ['hamlet_head', 'officer'], { communeId: unit.parentId, hamletId: unit.id }))
          throw notHere();
        place = { hamletId: unit.id };
      } else if (unit.level === 'commune' && unit.id === camp.c.communeId) {
        // Subjects outside any hamlet (some clans and units) are reviewed at commune level.
        if (!hasRoleOver(actor, OFFICER_ROLES, { communeId: unit.id })) throw notHere();
        place = { communeId: unit.id };
      } else throw notHere();
      if (camp.c.status === 'closed')
        throw conflict('Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.', 'CAMPAIGN_CLOSED');
      const now = clock.now();
      return db.transaction(async (tx) => {
        const rows = await verifiedInPlace(tx, body.campaignId, body.subjectType, place);
        const ids: string[] = [];
        for (const r of rows) {
          const ok = await applyTransition(tx, {
            id: r.id,
            version: r.version,
            from: 'verified',
            to: 'reviewed',
            set: { updatedAt: now },
            counts: {
              campaignId: body.campaignId,
              subjectType: body.subjectType,
              unitIds: [r.hamletId, r.communeId, camp.provinceId].filter((x): x is string => !!x),
            },
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
      if (!camp || !hasRoleOver(actor, OFFICER_ROLES, { communeId: camp.c.communeId }))
        throw notFound('Không tìm thấy đợt đánh giá.');
      if (camp.c.status === 'closed')
        throw conflict('Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.', 'CAMPAIGN_CLOSED');
      const setId = camp.c.criteriaSetIds[body.subjectType];
      if (!setId) throw conflict('Đợt đánh giá chưa chọn bộ tiêu chí cho loại đối tượng này.', 'NO_CRITERIA_SET');
      const set = await criteriaSets.load(db, setId);
      const sources = SHARE_SOURCES[body.subjectType] ?? {};
      for (const p of set.prerequisites ?? []) {
        const membersType = SHARE_TITLE_TYPE[p.share];
        if (sources[p.share] && !(await hasDecisionFor(db, campaignId, membersType))) {
          throw conflict(
            `Cần ra quyết định công nhận cho ${membersType === 'household' ? 'các hộ gia đình' : membersType === 'clan' ? 'các dòng họ' : 'công dân'} trước, vì điều kiện "${p.text}" tính theo kết quả đó.`,
            'PREREQUISITE_DECISION_MISSING',
          );
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
          if (bad.length)
            throw conflict(
              `Chỉ ra quyết định cho hồ sơ đã bình xét của loại đối tượng này; không hợp lệ: ${bad.join(', ')}.`,
              'INVALID_TRANSITION',
            );
        }
        if (list.length === 0) throw conflict('Không có hồ sơ nào đã bình xét để ra quyết định.', 'NOTHING_TO_DECIDE');
        const ids = list.map((a) => a.id);
        const removedAfterPosting =
          (await deps.postings?.gateDecision(
            tx,
            actor,
            {
              campaignId,
              subjectType: body.subjectType,
              hamletIds: [...new Set(list.map((a) => a.hamletId).filter((h): h is string => !!h))],
              assessmentIds: ids,
              ...(body.postingOverrideReason ? { overrideReason: body.postingOverrideReason } : {}),
            },
            now,
          )) ?? new Map<string, string>();
        const allAnswers = await answersOf(tx, ids);
        const facts = new Map<string, EvaluationFacts>();
        for (const [share, kind] of Object.entries(sources) as [
          MemberShareKey,
          NonNullable<(typeof sources)[MemberShareKey]>,
        ][]) {
          if (!(set.prerequisites ?? []).some((p) => p.share === share)) continue;
          const counts = await memberShareCounts(
            tx,
            campaignId,
            kind,
            list.map((a) => a.subjectId),
          );
          for (const a of list) {
            const f = facts.get(a.id) ?? { memberShares: {} };
            f.memberShares![share] = counts.get(a.subjectId) ?? { total: 0, withTitle: 0 };
            facts.set(a.id, f);
          }
        }
        // The years before, for the consecutive-years honour (across the 2025 merger too).
        const before = await consecutiveYearsBefore(
          tx,
          body.subjectType,
          list.map((a) => a.subjectId),
          camp.c.year,
        );
        for (const a of list)
          facts.set(a.id, { ...facts.get(a.id), consecutiveYearsBefore: before.get(a.subjectId) ?? 0 });
        await insertDecision(tx, {
          id: decisionId,
          campaignId,
          subjectType: body.subjectType,
          number: body.number,
          decidedOn: body.decidedOn,
          signer: body.signer,
          signerTitle: body.signerTitle ?? 'Chủ tịch UBND xã',
          recognisedCount: 0,
          notRecognisedCount: 0,
          createdBy: actor.userId,
          createdAt: now,
        }).catch((err: unknown) => {
          if (
            String((err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string }).code) === '23505'
          ) {
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
            for (const r of allAnswers)
              if (r.assessmentId === a.id && r.layer === l) byCode.set(r.indicatorCode, r.points);
          }
          // The verifier checked the photos on the spot; missing uploads do not block the title.
          const s = scoreOf(
            set,
            a,
            toEngineAnswers([...byCode.entries()].map(([indicatorCode, points]) => ({ indicatorCode, points }))),
            false,
          );
          const evaluated = evaluate(set, s, facts.get(a.id) ?? {});
          const removal = removedAfterPosting.get(a.id);
          // Taken off the posted list after a resident's objection: not recognised, with the reason.
          const d = removal
            ? {
                ...evaluated,
                outcome: 'not_recognised' as const,
                recognised: false,
                honour: undefined,
                reasons: [
                  { code: 'removed_after_posting' as const, message: `Đưa ra khỏi danh sách sau niêm yết: ${removal}` },
                ],
              }
            : evaluated;
          const to = d.recognised ? 'recognised' : 'not_recognised';
          const certificateNo = d.recognised ? `${body.number}/${++seq}` : null;
          const patch = {
            communeTotal: s.total,
            verdict: d,
            decidedAt: now,
            decisionId,
            certificateNo,
            updatedAt: now,
          };
          const ok = await applyTransition(tx, {
            id: a.id,
            version: a.version,
            from: 'reviewed',
            to,
            set: patch,
            counts: {
              campaignId,
              subjectType: a.subjectType,
              unitIds: [a.hamletId, a.communeId, camp.provinceId].filter((x): x is string => !!x),
            },
            audit: [
              auditRow(actor, null, 'decide', {
                from: 'reviewed',
                to,
                decisionId,
                decisionNumber: body.number,
                certificateNo,
                reason: d.reasons.map((r) => r.message).join('; ') || null,
              }),
            ],
          });
          if (!ok) throw lost();
          await enqueueNotification(
            tx,
            {
              kind: 'assessment_decided',
              assessmentId: a.id,
              campaignId,
              subjectName: a.subjectName,
              subjectType: a.subjectType,
              recipientUserIds: await ownerUserIds(tx, a, null),
              recognised: d.recognised,
              reasons: d.reasons.map((r) => r.message),
              decisionNumber: body.number,
            },
            `decided:${a.id}:${decisionId}`,
            now,
          );
          results.push({
            assessmentId: a.id,
            subjectName: a.subjectName,
            recognised: d.recognised,
            certificateNo,
            reasons: d.reasons.map((r) => r.message),
          });
        }
        await deps.certificates?.issueCodes(
          tx,
          decisionId,
          results.filter((r) => r.recognised).map((r) => r.assessmentId),
          now,
        );
        const recognisedCount = results.filter((r) => r.recognised).length;
        const notRecognisedCount = results.length - recognisedCount;
        await setDecisionCounts(tx, decisionId, recognisedCount, notRecognisedCount);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'decision.published',
          entityType: 'decision',
          entityId: decisionId,
          data: { campaignId, subjectType: body.subjectType, number: body.number, recognisedCount, notRecognisedCount },
        });
        await enqueueNotification(
          tx,
          {
            kind: 'decision_published',
            decisionId,
            campaignId,
            communeId: camp.c.communeId,
            subjectType: body.subjectType,
          },
          `decision:${decisionId}`,
          now,
        );
        const dto: DecisionDto = {
          id: decisionId,
          campaignId,
          subjectType: body.subjectType,
          number: body.number,
          decidedOn: body.decidedOn,
          signer: body.signer,
          signerTitle: body.signerTitle ?? 'Chủ tịch UBND xã',
          recognisedCount,
          notRecognisedCount,
          createdAt: now.toISOString(),
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
          id: d.id,
          campaignId: d.campaignId,
          subjectType: d.subjectType,
          number: d.number,
          decidedOn: d.decidedOn,
          signer: d.signer,
          signerTitle: d.signerTitle,
          recognisedCount: d.recognisedCount,
          notRecognisedCount: d.notRecognisedCount,
          createdAt: d.createdAt.toISOString(),
        })),
      };
    },
  };
}
