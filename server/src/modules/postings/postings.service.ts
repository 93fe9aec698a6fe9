import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { TITLE_LABELS } from '@hoctap/shared';
import type {
  objectionCreateSchema,
  ObjectionDto,
  PostingDetailDto,
  postingCreateSchema,
  PostingDto,
} from '@hoctap/shared/api';
import type { SubjectType } from '../../db/schema/index.ts';
import type { Db, Executor } from '../../db/types.ts';
import { communesOf, hasRoleOver, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, fail, notFound } from '../../lib/errors.ts';
import { enqueueNotification } from '../../notify/enqueue.ts';
import { unitLabel } from '../../notify/templates.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import * as repo from './postings.repo.ts';

const DAY_MS = 86_400_000;
const OPENERS = ['officer', 'hamlet_head'] as const;
const notHere = () => notFound('Không tìm thấy danh sách niêm yết.');

/**
 * Public posting of the proposed lists (niêm yết công khai) and residents' objections
 * (docs/transparency.md §2). Residents of the hamlet see names and the title during the window and
 * nothing else; other hamlets and communes see nothing (404, like a missing posting).
 */
export function createPostingService(deps: { db: Db; clock: Clock; defaultDays: number }) {
  const { db, clock } = deps;

  const isOpen = (p: repo.PostingRow, now: Date) => p.startsAt <= now && now < p.endsAt;
  const manages = (actor: Actor, p: Pick<repo.PostingRow, 'communeId' | 'hamletId'>) =>
    hasRoleOver(actor, OPENERS, { communeId: p.communeId, hamletId: p.hamletId });
  const isOfficer = (actor: Actor, communeId: string) => hasRoleOver(actor, OFFICER_ROLES, { communeId });

  async function dto(rows: repo.PostingRow[], withCounts: (p: repo.PostingRow) => boolean): Promise<PostingDto[]> {
    const names = await repo.unitNames(db, [...new Set(rows.map((p) => p.hamletId))]);
    const counts = await repo.unresolvedCounts(
      db,
      rows.filter(withCounts).map((p) => p.id),
    );
    const now = clock.now();
    return rows.map((p) => {
      const h = names.get(p.hamletId);
      return {
        id: p.id,
        campaignId: p.campaignId,
        hamletId: p.hamletId,
        hamletName: h ? unitLabel(h.kind, h.name) : '',
        subjectType: p.subjectType,
        title: TITLE_LABELS[p.subjectType],
        startsAt: p.startsAt.toISOString(),
        endsAt: p.endsAt.toISOString(),
        open: isOpen(p, now),
        unresolved: withCounts(p) ? (counts.get(p.id) ?? 0) : null,
      };
    });
  }

  /** A posting the caller may read: its managers always, its hamlet's residents while it runs. */
  async function readable(actor: Actor, id: string) {
    const p = await repo.findPosting(db, id);
    if (!p) throw notHere();
    if (manages(actor, p)) return { p, manager: true };
    const hamlets = await repo.residentHamlets(db, actor);
    if (!hamlets.includes(p.hamletId) || !isOpen(p, clock.now())) throw notHere();
    return { p, manager: false };
  }

  return {
    /** Opens (or reopens after it ended) the window of one hamlet's list; tells the hamlet group. */
    async open(actor: Actor, body: z.infer<typeof postingCreateSchema>): Promise<PostingDto> {
      const campaign = await repo.findCampaign(db, body.campaignId);
      const hamlet = await repo.findHamlet(db, body.hamletId);
      if (!campaign || !hamlet || hamlet.level !== 'hamlet' || hamlet.parentId !== campaign.communeId)
        throw notFound('Không tìm thấy ấp/khóm trong phạm vi của bạn.');
      const where = { communeId: campaign.communeId, hamletId: hamlet.id };
      if (!manages(actor, where)) throw notFound('Không tìm thấy ấp/khóm trong phạm vi của bạn.');
      if (campaign.status === 'closed') throw conflict(undefined, 'CAMPAIGN_CLOSED');
      const now = clock.now();
      const startsAt = body.startsAt ? new Date(body.startsAt) : now;
      const days = Number(campaign.settings?.postingDays) || deps.defaultDays;
      const endsAt = body.endsAt ? new Date(body.endsAt) : new Date(startsAt.getTime() + days * DAY_MS);
      if (endsAt <= startsAt || endsAt <= now) throw badRequest(undefined, 'POSTING_WINDOW_INVALID');
      const id = await db.transaction(async (tx) => {
        const existing = await repo.findPostingFor(tx, campaign.id, hamlet.id, body.subjectType);
        if (existing && existing.endsAt > now) throw conflict(undefined, 'POSTING_EXISTS');
        const postingId = existing?.id ?? randomUUID();
        if (existing) await repo.setPostingWindow(tx, postingId, startsAt, endsAt);
        else
          await repo.insertPosting(tx, {
            id: postingId,
            campaignId: campaign.id,
            communeId: campaign.communeId,
            hamletId: hamlet.id,
            subjectType: body.subjectType,
            startsAt,
            endsAt,
            openedBy: actor.userId,
            createdAt: now,
          });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: existing ? 'posting.reopened' : 'posting.opened',
          entityType: 'posting',
          entityId: postingId,
          data: { hamletId: hamlet.id, subjectType: body.subjectType, startsAt, endsAt },
        });
        await enqueueNotification(
          tx,
          {
            kind: 'posting_opened',
            postingId,
            campaignId: campaign.id,
            communeId: campaign.communeId,
            hamletId: hamlet.id,
            subjectType: body.subjectType,
            year: campaign.year,
            endsAt: endsAt.toISOString(),
          },
          `posting:${postingId}:${startsAt.toISOString()}`,
          now,
        );
        return postingId;
      });
      return (await dto([(await repo.findPosting(db, id))!], () => true))[0]!;
    },

    /** Ends a window now (the officer or hamlet head); residents stop seeing the list. */
    async close(actor: Actor, id: string): Promise<PostingDto> {
      const p = await repo.findPosting(db, id);
      if (!p || !manages(actor, p)) throw notHere();
      const now = clock.now();
      if (p.endsAt > now) {
        await db.transaction(async (tx) => {
          await repo.setPostingWindow(tx, id, p.startsAt < now ? p.startsAt : now, now);
          await appendAudit(tx, {
            at: now,
            actorId: actor.userId,
            action: 'posting.closed',
            entityType: 'posting',
            entityId: id,
            data: { plannedEnd: p.endsAt },
          });
        });
      }
      return (await dto([(await repo.findPosting(db, id))!], () => true))[0]!;
    },

    /**
     * Managers: every posting of their commune (officers) or hamlet (hamlet heads), with counts.
     * Residents: the windows running now in their own hamlet.
     */
    async list(actor: Actor, q: { campaignId?: string }): Promise<{ items: PostingDto[] }> {
      const communes = communesOf(actor, ['officer', 'admin']);
      const headOf = actor.roles
        .filter((g) => g.role === 'hamlet_head' && g.unitLevel === 'hamlet')
        .map((g) => g.unitId);
      const isAdmin = actor.roles.some((g) => g.role === 'admin');
      const campaignIds = q.campaignId ? [q.campaignId] : undefined;
      const managed = isAdmin
        ? await repo.listPostings(db, { campaignIds })
        : [
            ...(communes.length ? await repo.listPostings(db, { campaignIds, communeIds: communes }) : []),
            ...(headOf.length ? await repo.listPostings(db, { campaignIds, hamletIds: headOf }) : []),
          ];
      const hamlets = await repo.residentHamlets(db, actor);
      const living = hamlets.length
        ? await repo.listPostings(db, { campaignIds, hamletIds: hamlets, openAt: clock.now() })
        : [];
      const seen = new Set<string>();
      const rows = [...managed, ...living].filter((p) => !seen.has(p.id) && seen.add(p.id));
      return { items: await dto(rows, (p) => manages(actor, p)) };
    },

    /** The posted list: names and the title, and the caller's own objections per entry. */
    async detail(actor: Actor, id: string): Promise<PostingDetailDto> {
      const { p, manager } = await readable(actor, id);
      const [base] = await dto([p], () => manager);
      const entries = await repo.proposedEntries(db, p);
      const mine = await repo.objectionsBy(db, p.id, actor.userId);
      return {
        ...base!,
        entries: entries.map((e) => ({
          ...e,
          mine: mine
            .filter((o) => o.assessmentId === e.assessmentId)
            .map((o) => ({ id: o.id, kind: o.kind, status: o.status, resolution: o.resolution })),
        })),
      };
    },

    /** A resident's objection or comment on one entry, during the window. */
    async object(actor: Actor, postingId: string, body: z.infer<typeof objectionCreateSchema>) {
      const p = await repo.findPosting(db, postingId);
      const hamlets = await repo.residentHamlets(db, actor);
      // Only residents of the hamlet object: a manager reads the queue instead.
      if (!p || !hamlets.includes(p.hamletId)) throw notHere();
      const now = clock.now();
      if (!isOpen(p, now)) throw conflict(undefined, 'POSTING_NOT_OPEN');
      const entries = await repo.proposedEntries(db, p);
      if (!entries.some((e) => e.assessmentId === body.assessmentId)) throw fail('NOT_ON_POSTED_LIST');
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const ok = await repo.insertObjection(tx, {
          id,
          postingId,
          assessmentId: body.assessmentId,
          communeId: p.communeId,
          hamletId: p.hamletId,
          authorId: actor.userId,
          kind: body.kind,
          reason: body.reason,
          createdAt: now,
        });
        if (!ok) throw conflict(undefined, 'OBJECTION_OPEN_EXISTS');
        // The text itself stays in its table: the audit row says who objected to what, not why.
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'objection.created',
          entityType: 'objection',
          entityId: id,
          data: { postingId, assessmentId: body.assessmentId, kind: body.kind },
        });
      });
      return { id, kind: body.kind, status: 'open' as const, resolution: null };
    },

    async queue(actor: Actor, q: { campaignId: string; status?: 'open' | 'kept' | 'removed' }) {
      const campaign = await repo.findCampaign(db, q.campaignId);
      if (!campaign || !isOfficer(actor, campaign.communeId)) throw notFound('Không tìm thấy đợt đánh giá.');
      const rows = await repo.objectionQueue(db, campaign.id, q.status);
      const names = await repo.unitNames(db, [...new Set(rows.map((r) => r.o.hamletId))]);
      const items: ObjectionDto[] = rows.map((r) => {
        const h = names.get(r.o.hamletId);
        return {
          id: r.o.id,
          postingId: r.o.postingId,
          hamletId: r.o.hamletId,
          hamletName: h ? unitLabel(h.kind, h.name) : '',
          assessmentId: r.o.assessmentId,
          subjectName: r.subjectName,
          subjectType: r.subjectType,
          assessmentState: r.assessmentState,
          verifiedTotal: r.verifiedTotal,
          kind: r.o.kind,
          reason: r.o.reason,
          authorName: r.authorName ?? '',
          status: r.o.status,
          resolution: r.o.resolution,
          createdAt: r.o.createdAt.toISOString(),
          resolvedAt: r.o.resolvedAt?.toISOString() ?? null,
        };
      });
      return { items };
    },

    /** The officer keeps or removes the entry, with a reason; audited; the objector is told. */
    async resolve(actor: Actor, id: string, body: { outcome: 'kept' | 'removed'; reason: string }) {
      const o = await repo.findObjection(db, id);
      if (!o || !isOfficer(actor, o.communeId)) throw notFound('Không tìm thấy ý kiến.');
      const now = clock.now();
      await db.transaction(async (tx) => {
        const ok = await repo.resolveObjection(tx, id, {
          status: body.outcome,
          resolution: body.reason,
          by: actor.userId,
          at: now,
        });
        if (!ok) throw conflict(undefined, 'OBJECTION_RESOLVED');
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'objection.resolved',
          entityType: 'objection',
          entityId: id,
          data: { outcome: body.outcome, reason: body.reason, assessmentId: o.assessmentId },
        });
        const [entry] = await repo.entryNames(tx, [o.assessmentId]);
        await enqueueNotification(
          tx,
          {
            kind: 'objection_resolved',
            postingId: o.postingId,
            communeId: o.communeId,
            recipientUserId: o.authorId,
            subjectName: entry?.subjectName ?? '',
            outcome: body.outcome,
            reason: body.reason,
          },
          `objection:${id}:resolved`,
          now,
        );
      });
      return (
        await this.queue(actor, { campaignId: (await repo.findPosting(db, o.postingId))!.campaignId })
      ).items.find((x) => x.id === id)!;
    },

    /** DecisionHooks.postings: see decisions.service.ts. */
    async gateDecision(
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
    ): Promise<Map<string, string>> {
      const blockers = await repo.decisionBlockers(tx, {
        campaignId: q.campaignId,
        subjectType: q.subjectType as SubjectType,
        hamletIds: q.hamletIds,
        now,
      });
      if (blockers.openWindows.length || blockers.unresolved) {
        const names = await repo.unitNames(
          tx,
          blockers.openWindows.map((p) => p.hamletId),
        );
        const open = blockers.openWindows.map((p) => {
          const h = names.get(p.hamletId);
          return h ? unitLabel(h.kind, h.name) : '';
        });
        if (!q.overrideReason) {
          const parts = [
            open.length ? `còn đang niêm yết ở ${open.join(', ')}` : '',
            blockers.unresolved ? `còn ${blockers.unresolved} ý kiến phản ánh chưa xử lý` : '',
          ].filter(Boolean);
          throw conflict(
            `Chưa thể ra quyết định: danh sách ${parts.join('; ')}. Hãy chờ hết hạn niêm yết và xử lý các ý kiến, hoặc ghi rõ lý do để ra quyết định.`,
            'POSTING_BLOCKS_DECISION',
          );
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'posting.override',
          entityType: 'campaign',
          entityId: q.campaignId,
          data: {
            subjectType: q.subjectType,
            reason: q.overrideReason,
            openWindows: blockers.openWindows.map((p) => p.id),
            unresolved: blockers.unresolved,
          },
        });
      }
      return repo.removedEntries(tx, q.assessmentIds);
    },
  };
}

export type PostingService = ReturnType<typeof createPostingService>;
