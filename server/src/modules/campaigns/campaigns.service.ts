import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CATALOG_IDS } from '@hoctap/shared/catalog';
import { SUBJECT_TYPES, type SubjectType } from '@hoctap/shared';
import type { CampaignDto, campaignCreateSchema, campaignPatchSchema, campaignReopenSchema } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import { hasRoleOver, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { enqueueNotification } from '../../notify/enqueue.ts';
import { snapshotDenominators } from '../reports/figures.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import {
  campaignHasAssessments,
  communesTouchedBy,
  findAdminUnit,
  findCampaign,
  findCampaignByCommuneYear,
  insertCampaign,
  listCampaigns,
  updateCampaign,
  type CampaignRow,
} from './campaigns.repo.ts';

type CreateBody = z.infer<typeof campaignCreateSchema>;
type PatchBody = z.infer<typeof campaignPatchSchema>;
type ReopenBody = z.infer<typeof campaignReopenSchema>;

const isAdmin = (actor: Actor) => actor.roles.some((g) => g.role === 'admin');

export function campaignDto(c: CampaignRow): CampaignDto {
  return {
    id: c.id,
    communeId: c.communeId,
    year: c.year,
    title: c.title,
    criteriaSetIds: c.criteriaSetIds,
    registrationOpensAt: c.registrationOpensAt.toISOString(),
    selfAssessmentDueAt: c.selfAssessmentDueAt.toISOString(),
    verificationDueAt: c.verificationDueAt.toISOString(),
    recognitionDueAt: c.recognitionDueAt.toISOString(),
    reportDueAt: c.reportDueAt.toISOString(),
    status: c.status,
    reopenedUntil: c.reopenedUntil,
    settings: {
      ...(typeof c.settings.clanConflictCheck === 'boolean' ? { clanConflictCheck: c.settings.clanConflictCheck } : {}),
      ...(typeof c.settings.commendationYears === 'number' ? { commendationYears: c.settings.commendationYears } : {}),
    },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const MILESTONES = [
  'registrationOpensAt',
  'selfAssessmentDueAt',
  'verificationDueAt',
  'recognitionDueAt',
  'reportDueAt',
] as const;

function checkMilestoneOrder(m: Record<(typeof MILESTONES)[number], Date>): void {
  for (let i = 1; i < MILESTONES.length; i++) {
    if (m[MILESTONES[i]!].getTime() < m[MILESTONES[i - 1]!].getTime()) {
      throw badRequest(
        'Các mốc thời gian phải theo thứ tự: mở đăng ký ≤ hạn tự đánh giá ≤ hạn xác minh ≤ hạn công nhận ≤ hạn báo cáo.',
        'MILESTONES_ORDER',
      );
    }
  }
}

export function createCampaignService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService }) {
  const { db, clock, criteriaSets } = deps;

  function requireOfficer(
    actor: Actor,
    communeId: string,
    message = 'Chỉ cán bộ xã phụ trách mới thực hiện được thao tác này.',
  ) {
    if (!hasRoleOver(actor, OFFICER_ROLES, { communeId })) {
      // Someone who cannot even see the campaign learns nothing about it.
      throw notFound(message);
    }
  }

  async function visibleCommunes(actor: Actor): Promise<string[] | 'all'> {
    if (isAdmin(actor)) return 'all';
    return communesTouchedBy(db, {
      grantUnitIds: actor.roles.map((g) => g.unitId),
      householdId: actor.householdId,
      personId: actor.personId,
      userId: actor.userId,
    });
  }

  async function load(actor: Actor, id: string): Promise<CampaignRow> {
    const c = await findCampaign(db, id);
    if (!c) throw notFound('Không tìm thấy đợt đánh giá.');
    const communes = await visibleCommunes(actor);
    if (communes !== 'all' && !communes.includes(c.communeId)) throw notFound('Không tìm thấy đợt đánh giá.');
    return c;
  }

  async function checkSets(ids: Partial<Record<SubjectType, string>>): Promise<void> {
    const wanted = Object.entries(ids) as [SubjectType, string][];
    const found = await criteriaSets.describe(
      db,
      wanted.map(([, id]) => id),
    );
    const problems: string[] = [];
    for (const [type, id] of wanted) {
      const row = found.find((f) => f.id === id);
      if (!row) problems.push(`${type}: không có bộ tiêu chí "${id}"`);
      else if (row.subjectType !== type)
        problems.push(`${type}: bộ tiêu chí "${id}" dành cho đối tượng khác (${row.subjectType})`);
    }
    if (problems.length > 0)
      throw badRequest(`Bộ tiêu chí không phù hợp — ${problems.join('; ')}`, 'CRITERIA_SET_MISMATCH');
  }

  return {
    async list(actor: Actor, filter: { communeId?: string; year?: number }) {
      const communes = await visibleCommunes(actor);
      return { items: (await listCampaigns(db, communes, filter)).map(campaignDto) };
    },

    async get(actor: Actor, id: string) {
      return campaignDto(await load(actor, id));
    },

    /** One campaign per commune × year; a retried create with the same id returns it. */
    async create(actor: Actor, body: CreateBody): Promise<{ created: boolean; campaign: CampaignDto }> {
      requireOfficer(actor, body.communeId, 'Không tìm thấy xã này trong phạm vi của bạn.');
      const commune = await findAdminUnit(db, body.communeId);
      if (!commune || commune.level !== 'commune')
        throw badRequest('Đơn vị được chọn không phải là xã/phường.', 'NOT_A_COMMUNE');
      const criteriaSetIds: Partial<Record<SubjectType, string>> = {};
      for (const t of SUBJECT_TYPES) criteriaSetIds[t] = body.criteriaSetIds?.[t] ?? CATALOG_IDS[t];
      await checkSets(criteriaSetIds);
      const m = Object.fromEntries(MILESTONES.map((k) => [k, new Date(body[k])])) as Record<
        (typeof MILESTONES)[number],
        Date
      >;
      checkMilestoneOrder(m);
      const id = body.id ?? randomUUID();
      const now = clock.now();
      const inserted = await db.transaction(async (tx) => {
        const ok = await insertCampaign(tx, {
          id,
          communeId: body.communeId,
          year: body.year,
          title: body.title,
          criteriaSetIds,
          ...m,
          settings: body.settings ?? {},
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        });
        if (!ok) return false;
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'campaign.opened',
          entityType: 'campaign',
          entityId: id,
          data: { year: body.year, communeId: body.communeId },
        });
        await enqueueNotification(
          tx,
          {
            kind: 'campaign_opened',
            campaignId: id,
            communeId: body.communeId,
            year: body.year,
            selfAssessmentDueAt: m.selfAssessmentDueAt.toISOString(),
          },
          `campaign_opened:${id}`,
          now,
        );
        return true;
      });
      if (inserted) return { created: true, campaign: campaignDto((await findCampaign(db, id))!) };
      const same = await findCampaign(db, id);
      if (same && same.communeId === body.communeId && same.year === body.year)
        return { created: false, campaign: campaignDto(same) };
      const existing = await findCampaignByCommuneYear(db, body.communeId, body.year);
      throw conflict(
        `Xã đã có đợt đánh giá năm ${body.year}${existing ? ` (mã ${existing.id})` : ''}; mỗi xã chỉ có một đợt mỗi năm.`,
        'CAMPAIGN_EXISTS',
      );
    },

    async patch(actor: Actor, id: string, body: PatchBody): Promise<CampaignDto> {
      const c = await load(actor, id);
      requireOfficer(actor, c.communeId);
      if (c.status === 'closed') throw conflict('Đợt đánh giá đã đóng, không thể thay đổi.', 'CAMPAIGN_CLOSED');
      const patch: Partial<CampaignRow> = {};
      if (body.title) patch.title = body.title;
      if (body.criteriaSetIds) {
        if (await campaignHasAssessments(db, id)) {
          throw conflict('Đợt đánh giá đã có hồ sơ, không thể đổi bộ tiêu chí.', 'CAMPAIGN_IN_USE');
        }
        const next = { ...c.criteriaSetIds, ...body.criteriaSetIds };
        await checkSets(next);
        patch.criteriaSetIds = next;
      }
      const m = Object.fromEntries(MILESTONES.map((k) => [k, body[k] ? new Date(body[k]) : c[k]])) as Record<
        (typeof MILESTONES)[number],
        Date
      >;
      checkMilestoneOrder(m);
      for (const k of MILESTONES) if (body[k]) patch[k] = m[k];
      if (body.settings) patch.settings = { ...c.settings, ...body.settings };
      const now = clock.now();
      patch.updatedAt = now;
      const row = await db.transaction(async (tx) => {
        const r = await updateCampaign(tx, id, patch);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'campaign.updated',
          entityType: 'campaign',
          entityId: id,
          data: { changes: Object.keys(body) },
        });
        return r!;
      });
      return campaignDto(row);
    },

    async close(actor: Actor, id: string, reason: string | undefined): Promise<CampaignDto> {
      const c = await load(actor, id);
      requireOfficer(actor, c.communeId);
      if (c.status === 'closed') return campaignDto(c);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const r = await updateCampaign(tx, id, { status: 'closed', updatedAt: now });
        // The year's denominators as they stand now: its reports never move afterwards.
        await snapshotDenominators(tx, c, now);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'campaign.closed',
          entityType: 'campaign',
          entityId: id,
          data: { reason: reason ?? null },
        });
        return r!;
      });
      return campaignDto(row);
    },

    /**
     * Reopens a closed campaign and/or a phase after its milestone (until a new date). Always
     * audited with the reason: late changes are what disputes are about.
     */
    async reopen(actor: Actor, id: string, body: ReopenBody): Promise<CampaignDto> {
      const c = await load(actor, id);
      requireOfficer(actor, c.communeId);
      const now = clock.now();
      const patch: Partial<CampaignRow> = { updatedAt: now, status: 'open' };
      let milestonePassed: boolean | null = null;
      if (body.phase) {
        if (!body.until) throw badRequest('Cần cho biết mở lại đến ngày nào (until).', 'REOPEN_UNTIL_REQUIRED');
        const until = new Date(body.until);
        if (until.getTime() <= now.getTime())
          throw badRequest('Thời hạn mở lại phải sau thời điểm hiện tại.', 'REOPEN_UNTIL_PAST');
        const due = body.phase === 'selfAssessment' ? c.selfAssessmentDueAt : c.verificationDueAt;
        milestonePassed = now.getTime() > due.getTime();
        patch.reopenedUntil = { ...c.reopenedUntil, [body.phase]: until.toISOString() };
      } else if (c.status === 'open') {
        throw badRequest('Đợt đánh giá đang mở; hãy chọn giai đoạn cần mở lại (phase).', 'REOPEN_NOTHING');
      }
      const row = await db.transaction(async (tx) => {
        const r = await updateCampaign(tx, id, patch);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'campaign.reopened',
          entityType: 'campaign',
          entityId: id,
          data: {
            phase: body.phase ?? null,
            until: body.until ?? null,
            reason: body.reason,
            milestonePassed,
            wasClosed: c.status === 'closed',
          },
        });
        return r!;
      });
      return campaignDto(row);
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
