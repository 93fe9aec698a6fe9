import type { Db } from '../../db/types.ts';
import { communesOf, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { campaignFigures } from '../reports/figures.ts';
import * as t from '../../notify/templates.ts';
import type { DeliveryPayload } from '../../notify/types.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import * as repo from './notifications.repo.ts';

const isAdmin = (a: Actor) => a.roles.some((g) => g.role === 'admin');

function statusOf(row: { status: string; payload: unknown }) {
  const outcome = (row.payload as DeliveryPayload).outcome;
  if (row.status === 'sent' && outcome === 'log_only') return 'logged' as const;
  if (row.status === 'dead' && outcome === 'skipped') return 'skipped' as const;
  if (row.status === 'reconcile' || row.status === 'uncertain') return 'uncertain' as const;
  return row.status as 'pending' | 'sending' | 'sent' | 'dead';
}

export function createNotificationService(deps: {
  db: Db;
  clock: Clock;
  demo: () => boolean;
  deepLinkBase: string | null;
  publicUrl?: string | undefined;
}) {
  const { db, clock } = deps;

  /** The commune an officer asks about: the given one if in scope, else their only one. */
  function officerCommune(actor: Actor, communeId: string | undefined): string {
    const mine = communesOf(actor, OFFICER_ROLES);
    if (communeId) {
      if (isAdmin(actor) || mine.includes(communeId)) return communeId;
      throw forbidden();
    }
    if (mine.length === 1) return mine[0]!;
    if (mine.length === 0 && !isAdmin(actor)) throw forbidden();
    throw badRequest('Hãy chọn xã (communeId).', 'COMMUNE_REQUIRED');
  }

  const deepLink = (path: string) =>
    deps.deepLinkBase
      ? `${deps.deepLinkBase}${path}`
      : deps.publicUrl
        ? `${deps.publicUrl.replace(/\/$/, '')}${path}`
        : path;

  return {
    async inbox(actor: Actor, q: { cursor?: string | undefined; limit: number; unreadOnly?: string | undefined }) {
      const c = decodeCursor(q.cursor, 2);
      const after = c ? { at: new Date(String(c[0])), id: String(c[1]) } : null;
      const rows = await repo.inboxPage(db, actor.userId, after, q.limit, q.unreadOnly === 'true');
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          kind: r.kind,
          title: r.title,
          body: r.body,
          link: r.link,
          createdAt: r.createdAt.toISOString(),
          readAt: r.readAt?.toISOString() ?? null,
        })),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        unread: await repo.unreadCount(db, actor.userId),
      };
    },

    async markRead(actor: Actor, id: string) {
      const row = await repo.markRead(db, actor.userId, id, clock.now());
      if (!row || !row.readAt) throw notFound();
      return { id: row.id, readAt: row.readAt.toISOString() };
    },

    async messages(
      actor: Actor,
      q: { cursor?: string | undefined; limit: number; communeId?: string | undefined; status?: string | undefined },
    ) {
      const communeId = officerCommune(actor, q.communeId);
      const c = decodeCursor(q.cursor, 1);
      const rows = await repo.messagePage(db, communeId, c ? Number(c[0]) : null, q.limit, q.status);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => {
          const p = r.payload as DeliveryPayload;
          return {
            id: r.id,
            kind: r.kind,
            channel: r.channel as 'gmf' | 'miniapp' | 'zbs',
            recipientLabel: p.recipientLabel ?? r.recipient,
            text: p.text ?? '',
            status: statusOf(r),
            attempts: r.attempts,
            lastError: r.lastError ?? (p.outcome ? (p.outcomeNote ?? null) : null),
            createdAt: r.createdAt.toISOString(),
            nextAttemptAt: r.status === 'pending' || r.status === 'reconcile' ? r.nextAttemptAt.toISOString() : null,
            sentAt: r.sentAt?.toISOString() ?? null,
          };
        }),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
        demo: deps.demo(),
      };
    },

    async alerts(actor: Actor, q: { communeId?: string | undefined; limit: number }) {
      const communeId = officerCommune(actor, q.communeId);
      const rows = await repo.alertsFor(db, communeId, q.limit);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          code: r.entityId,
          reason: String((r.data as Record<string, unknown>)['reason'] ?? ''),
        })),
      };
    },

    /**
     * Text + deep link a leader shares into the Zalo groups they run (openShareSheet): the OA can
     * only post into OA-owned groups, so this is how the same summary reaches the others
     * (docs/zalo.md §4). Counts only; allowed for leaders, hamlet heads and officers at or under
     * the unit, or above it.
     */
    async shareSummary(actor: Actor, unitId: string) {
      const asked = await repo.unitById(db, unitId);
      // A tổ leader shares from their tổ: progress is counted per hamlet, so the tổ's hamlet is shared.
      const unit = asked?.level === 'group' && asked.parentId ? await repo.unitById(db, asked.parentId) : asked;
      if (!unit || (unit.level !== 'hamlet' && unit.level !== 'commune')) throw notFound();
      if (!isAdmin(actor)) {
        const grants = actor.roles.filter(
          (g) => g.role === 'leader' || g.role === 'hamlet_head' || g.role === 'officer',
        );
        const paths = await repo.unitPaths(
          db,
          grants.map((g) => g.unitId),
        );
        const ok = paths.some((p) => p.path.startsWith(unit.path) || unit.path.startsWith(p.path));
        if (!ok) throw notFound();
      }
      const communeId = unit.level === 'commune' ? unit.id : unit.parentId!;
      const label = t.unitLabel(unit.kind, unit.name);
      const campaign = await repo.latestCampaign(db, communeId);
      if (!campaign) {
        return {
          unitId: unit.id,
          unitName: label,
          campaignId: null,
          text: `${label}: chưa có đợt đánh giá danh hiệu học tập.`,
          link: deepLink('/'),
        };
      }
      // The report's own figures: registry (or closing snapshot) denominator, resolved target.
      const figures = await campaignFigures(db, campaign, [unit.id], clock.now().toISOString().slice(0, 10));
      const households = figures.title(unit.id, 'household');
      let text: string;
      let path: string;
      if (await repo.hasDecision(db, campaign.id, 'household')) {
        const m = t.resultSummary({ placeLabel: label, figures: households, campaignId: campaign.id });
        text = m.text;
        path = m.link ?? '/';
      } else {
        text = t.shareProgress({
          placeLabel: label,
          submitted: households.submitted,
          total: households.registryTotal,
          dueAt: campaign.selfAssessmentDueAt,
        });
        path = `/campaigns/${campaign.id}`;
      }
      const link = deepLink(path);
      return { unitId: unit.id, unitName: label, campaignId: campaign.id, text: `${text} Xem chi tiết: ${link}`, link };
    },

    async zaloGroups(actor: Actor, communeId: string) {
      officerCommune(actor, communeId);
      const rows = await repo.groupsOfCommune(db, communeId);
      return { items: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
    },

    async putZaloGroup(
      actor: Actor,
      unitId: string,
      body: { groupId: string; name: string; status: 'active' | 'disabled' },
    ) {
      const unit = await repo.unitById(db, unitId);
      if (!unit || (unit.level !== 'hamlet' && unit.level !== 'commune')) throw notFound();
      officerCommune(actor, unit.level === 'commune' ? unit.id : unit.parentId!);
      const row = await repo.upsertGroup(db, { unitId, ...body, at: clock.now() });
      return { ...row, updatedAt: row.updatedAt.toISOString() };
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
