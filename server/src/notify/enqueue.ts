import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/types.ts';
import { inboxMessages, outbox, type SubjectType } from '../db/schema/index.ts';
import {
  countsByUnit,
  findCampaign,
  findPlace,
  groupsUnder,
  hamletsOf,
  householdTotalsByHamlet,
  registryTotal,
  roleHolders,
  userLabels,
  type PlaceRow,
} from './notify.repo.ts';
import { targetShare } from './targets.ts';
import * as t from './templates.ts';
import { dedupeKeyOf, PERSONAL_CHAIN, type DeliveryChannel, type DeliveryPayload, type MessageKind } from './types.ts';

/**
 * What the workflow tells the notification system. Callers pass their transaction's `tx`, so the
 * event commits (or rolls back) together with the state change that caused it.
 */
export type NotificationEvent =
  | { kind: 'campaign_opened'; campaignId: string; communeId: string; year: number; selfAssessmentDueAt: string }
  | {
      kind: 'assessment_returned';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      /** The household's (or subject owner's) users. */
      recipientUserIds: string[];
      indicatorCodes: string[];
      comment: string | null;
    }
  | { kind: 'assessment_verified'; assessmentId: string; campaignId: string; subjectName: string; recipientUserIds: string[] }
  | {
      kind: 'assessment_decided';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      subjectType: string;
      recipientUserIds: string[];
      recognised: boolean;
      reasons: string[];
      decisionNumber: string;
    }
  | { kind: 'decision_published'; decisionId: string; campaignId: string; communeId: string; subjectType: string };

/**
 * Writes the event and expands it, in the caller's transaction, into per-recipient deliveries:
 * an in-app inbox row for every person (always) and one outbox row per Zalo delivery
 * (OA group chat per hamlet/commune, or the first channel of the personal fallback chain), each
 * with dedupe key `<eventKey>:<channel>:<recipient>`. Texts are rendered now, so the officers'
 * log shows exactly what was (or would have been) said.
 * `eventKey` must be stable for the same business fact (e.g. `returned:<assessmentId>:<version>`)
 * so a retried request never enqueues twice: the event row itself is deduplicated first.
 */
export async function enqueueNotification(tx: Executor, event: NotificationEvent, eventKey: string, now: Date): Promise<void> {
  if (!(await recordEvent(tx, event.kind, eventKey, event as unknown as Record<string, unknown>, now))) return;
  await expandEvent(tx, event, eventKey, now);
}

/**
 * The event row doubles as the idempotency marker: inserted already-"sent" (nothing to dispatch),
 * and only the transaction that inserts it expands the event. On PostgreSQL a concurrent insert of
 * the same key waits on the unique index and then gets nothing back, so two instances never
 * expand the same event (the reminder job relies on this too).
 */
export async function recordEvent(tx: Executor, kind: string, eventKey: string, payload: Record<string, unknown>, now: Date): Promise<boolean> {
  const rows = await tx
    .insert(outbox)
    .values({
      dedupeKey: `event:${eventKey}`,
      kind,
      channel: 'event',
      recipient: '*',
      payload,
      status: 'sent',
      nextAttemptAt: now,
      createdAt: now,
      sentAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length > 0;
}

export interface GroupTarget {
  place: Pick<PlaceRow, 'id' | 'kind' | 'name'>;
  message: t.RenderedMessage;
  notBefore?: Date;
  /** People who get the same text in their inbox (the unit's leaders/officers). */
  inboxUserIds?: string[];
}

export interface PersonTarget {
  userId: string;
  label: string;
  message: t.RenderedMessage;
  /** Defaults to the kind's PERSONAL_CHAIN. */
  chain?: DeliveryChannel[];
  notBefore?: Date;
}

export async function writeDeliveries(
  tx: Executor,
  input: { kind: MessageKind; eventKey: string; communeId: string; now: Date; groups?: GroupTarget[]; people?: PersonTarget[] },
): Promise<void> {
  const { kind, eventKey, communeId, now } = input;
  const outRows: (typeof outbox.$inferInsert)[] = [];
  const inboxRows: (typeof inboxMessages.$inferInsert)[] = [];
  const payload = (label: string, m: t.RenderedMessage, fallback: DeliveryChannel[]): DeliveryPayload => ({
    v: 1,
    communeId,
    eventKey,
    recipientLabel: label,
    title: t.truncate(m.title, 32),
    text: m.text,
    link: m.link,
    fallback,
  });
  const inbox = (userId: string, m: t.RenderedMessage) =>
    inboxRows.push({
      id: randomUUID(),
      userId,
      kind,
      title: m.title,
      body: m.text,
      link: m.link,
      dedupeKey: dedupeKeyOf(eventKey, 'inbox', userId),
      createdAt: now,
    });

  for (const g of input.groups ?? []) {
    outRows.push({
      dedupeKey: dedupeKeyOf(eventKey, 'gmf', g.place.id),
      kind,
      channel: 'gmf',
      recipient: g.place.id,
      payload: payload(`Nhóm Zalo ${t.unitLabel(g.place.kind, g.place.name)}`, g.message, []) as unknown as Record<string, unknown>,
      nextAttemptAt: g.notBefore ?? now,
      createdAt: now,
    });
    for (const u of g.inboxUserIds ?? []) inbox(u, g.message);
  }
  for (const p of input.people ?? []) {
    inbox(p.userId, p.message);
    const [first, ...rest] = p.chain ?? PERSONAL_CHAIN[kind];
    if (!first) continue;
    outRows.push({
      dedupeKey: dedupeKeyOf(eventKey, first, p.userId),
      kind,
      channel: first,
      recipient: p.userId,
      payload: payload(p.label, p.message, rest) as unknown as Record<string, unknown>,
      nextAttemptAt: p.notBefore ?? now,
      createdAt: now,
    });
  }
  // Batches keep a commune-wide reminder to a few statements inside the caller's transaction.
  for (let i = 0; i < outRows.length; i += 500) await tx.insert(outbox).values(outRows.slice(i, i + 500)).onConflictDoNothing();
  for (let i = 0; i < inboxRows.length; i += 500) {
    await tx.insert(inboxMessages).values(inboxRows.slice(i, i + 500)).onConflictDoNothing();
  }
}

/** Hamlet leaders (hamlet head + tổ leaders under it) and commune officers, for group-message inbox copies. */
export async function groupAudiences(tx: Executor, communeId: string, hamlets: PlaceRow[]) {
  const tos = await groupsUnder(tx, hamlets.map((h) => h.id));
  const hamletOfTo = new Map(tos.map((g) => [g.id, g.parentId ?? '']));
  const holders = await roleHolders(tx, [communeId, ...hamlets.map((h) => h.id), ...tos.map((g) => g.id)], ['leader', 'hamlet_head', 'officer']);
  const byHamlet = new Map<string, Set<string>>();
  const officers = new Set<string>();
  for (const r of holders) {
    if (r.unitId === communeId) {
      if (r.role === 'officer') officers.add(r.userId);
      continue;
    }
    const hamletId = hamletOfTo.get(r.unitId) ?? r.unitId;
    const s = byHamlet.get(hamletId) ?? new Set<string>();
    s.add(r.userId);
    byHamlet.set(hamletId, s);
  }
  return { byHamlet: (id: string) => [...(byHamlet.get(id) ?? [])], officers: [...officers], tos };
}

async function personTargets(tx: Executor, userIds: string[], message: t.RenderedMessage): Promise<PersonTarget[]> {
  const labels = await userLabels(tx, userIds);
  return [...new Set(userIds)].filter((id) => labels.has(id)).map((userId) => ({ userId, label: labels.get(userId)!, message }));
}

export async function expandEvent(tx: Executor, event: NotificationEvent, eventKey: string, now: Date): Promise<void> {
  switch (event.kind) {
    case 'campaign_opened': {
      const commune = await findPlace(tx, event.communeId);
      if (!commune) return;
      const hamlets = await hamletsOf(tx, commune.id);
      const aud = await groupAudiences(tx, commune.id, hamlets);
      const selfDueAt = new Date(event.selfAssessmentDueAt);
      const msg = (p: PlaceRow) =>
        t.campaignOpened({ placeLabel: t.unitLabel(p.kind, p.name), year: event.year, selfDueAt, campaignId: event.campaignId });
      await writeDeliveries(tx, {
        kind: 'campaign_opened',
        eventKey,
        communeId: commune.id,
        now,
        groups: [
          ...hamlets.map((h) => ({ place: h, message: msg(h), inboxUserIds: aud.byHamlet(h.id) })),
          { place: commune, message: msg(commune), inboxUserIds: aud.officers },
        ],
      });
      return;
    }
    case 'assessment_returned':
    case 'assessment_verified':
    case 'assessment_decided': {
      const campaign = await findCampaign(tx, event.campaignId);
      if (!campaign) return;
      const message =
        event.kind === 'assessment_returned'
          ? t.assessmentReturned(event)
          : event.kind === 'assessment_verified'
            ? t.assessmentVerified(event)
            : t.assessmentDecided({ ...event, subjectType: event.subjectType as SubjectType });
      await writeDeliveries(tx, {
        kind: event.kind,
        eventKey,
        communeId: campaign.communeId,
        now,
        people: await personTargets(tx, event.recipientUserIds, message),
      });
      return;
    }
    case 'decision_published': {
      const campaign = await findCampaign(tx, event.campaignId);
      const commune = await findPlace(tx, event.communeId);
      if (!campaign || !commune) return;
      const subjectType = event.subjectType as SubjectType;
      const target = await targetShare({ communeId: commune.id, year: campaign.year, subjectType });
      // Households live in hamlets, so each hamlet group gets its own share; other titles are
      // commune-wide lists and only the commune group gets the summary.
      const hamlets = subjectType === 'household' ? await hamletsOf(tx, commune.id) : [];
      const counts = await countsByUnit(tx, campaign.id, subjectType, [commune.id, ...hamlets.map((h) => h.id)]);
      const totals = subjectType === 'household' ? await householdTotalsByHamlet(tx, commune.id) : new Map<string, number>();
      const communeTotal = (await registryTotal(tx, commune.id, subjectType)) ?? counts.get(commune.id)?.size ?? 0;
      const aud = await groupAudiences(tx, commune.id, hamlets);
      const summary = (p: PlaceRow, total: number) =>
        t.resultSummary({
          placeLabel: t.unitLabel(p.kind, p.name),
          subjectType,
          recognised: counts.get(p.id)?.get('recognised') ?? 0,
          total,
          target,
          campaignId: campaign.id,
        });
      await writeDeliveries(tx, {
        kind: 'decision_published',
        eventKey,
        communeId: commune.id,
        now,
        groups: [
          ...hamlets.map((h) => ({ place: h, message: summary(h, totals.get(h.id) ?? 0), inboxUserIds: aud.byHamlet(h.id) })),
          { place: commune, message: summary(commune, communeTotal), inboxUserIds: aud.officers },
        ],
      });
      return;
    }
  }
}
