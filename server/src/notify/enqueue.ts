import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/types.ts';
import type { SubjectType } from '../db/schema/index.ts';
import { campaignFigures } from '../modules/reports/figures.ts';
import {
  AWAITING_DECISION,
  countsByUnit,
  findCampaign,
  findPlace,
  groupsUnder,
  hamletsOf,
  hamletsOfDecision,
  roleHolders,
  sumStates,
  userLabels,
  type PlaceRow,
} from './notify.repo.ts';
import {
  insertDeliveries,
  insertEventMarker,
  roleFanOutCtes,
  type InboxInsert,
  type OutboxInsert,
} from './outbox.repo.ts';
import * as t from './templates.ts';
import { dedupeKeyOf, PERSONAL_CHAIN, type DeliveryChannel, type DeliveryPayload, type MessageKind } from './types.ts';

/**
 * What the workflow tells the notification system. Callers pass their transaction's `tx`, so the
 * event commits (or rolls back) together with the state change that caused it.
 */
export type NotificationEvent =
  | { kind: 'campaign_opened'; campaignId: string; communeId: string; year: number; selfAssessmentDueAt: string }
  | {
      kind: 'assessment_submitted';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      subjectType: string;
      communeId: string;
      hamletId: string | null;
      groupId: string | null;
      resubmitted: boolean;
      /** Who sent it (a leader in assisted mode is not told of their own action). */
      actorUserId: string;
    }
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
  | {
      kind: 'assessment_verified';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      recipientUserIds: string[];
    }
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
  | { kind: 'decision_published'; decisionId: string; campaignId: string; communeId: string; subjectType: string }
  | {
      kind: 'posting_opened';
      postingId: string;
      campaignId: string;
      communeId: string;
      hamletId: string;
      subjectType: string;
      year: number;
      endsAt: string;
    }
  | {
      kind: 'objection_resolved';
      postingId: string;
      communeId: string;
      recipientUserId: string;
      subjectName: string;
      outcome: 'kept' | 'removed';
      reason: string;
    };

/**
 * Writes the event and expands it, in the caller's transaction, into per-recipient deliveries:
 * an in-app inbox row for every person (always) and one outbox row per Zalo delivery
 * (OA group chat per hamlet/commune, or the first channel of the personal fallback chain), each
 * with dedupe key `<eventKey>:<channel>:<recipient>`. Texts are rendered now, so the officers'
 * log shows exactly what was (or would have been) said.
 * `eventKey` must be stable for the same business fact (e.g. `returned:<assessmentId>:<version>`)
 * so a retried request never enqueues twice: the event row itself is deduplicated first.
 */
export async function enqueueNotification(
  tx: Executor,
  event: NotificationEvent,
  eventKey: string,
  now: Date,
): Promise<void> {
  if (!(await recordEvent(tx, event.kind, eventKey, event, now))) return;
  await expandEvent(tx, event, eventKey, now);
}

/**
 * The event row doubles as the idempotency marker: inserted already-"sent" (nothing to dispatch),
 * and only the transaction that inserts it expands the event. On PostgreSQL a concurrent insert of
 * the same key waits on the unique index and then gets nothing back, so two instances never
 * expand the same event (the reminder job relies on this too).
 */
export async function recordEvent(
  tx: Executor,
  kind: string,
  eventKey: string,
  payload: Record<string, unknown>,
  now: Date,
): Promise<boolean> {
  return insertEventMarker(tx, { eventKey, kind, payload, now });
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
  input: {
    kind: MessageKind;
    eventKey: string;
    communeId: string;
    now: Date;
    groups?: GroupTarget[];
    people?: PersonTarget[];
  },
): Promise<void> {
  const { kind, eventKey, communeId, now } = input;
  const outRows: OutboxInsert[] = [];
  const inboxRows: InboxInsert[] = [];
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
      payload: payload(`Nhóm Zalo ${t.unitLabel(g.place.kind, g.place.name)}`, g.message, []),
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
      payload: payload(p.label, p.message, rest),
      nextAttemptAt: p.notBefore ?? now,
      createdAt: now,
    });
  }
  await insertDeliveries(tx, outRows, inboxRows);
}

/** Hamlet leaders (hamlet head + tổ leaders under it) and commune officers, for group-message inbox copies. */
export async function groupAudiences(tx: Executor, communeId: string, hamlets: PlaceRow[]) {
  const tos = await groupsUnder(
    tx,
    hamlets.map((h) => h.id),
  );
  const hamletOfTo = new Map(tos.map((g) => [g.id, g.parentId ?? '']));
  const holders = await roleHolders(
    tx,
    [communeId, ...hamlets.map((h) => h.id), ...tos.map((g) => g.id)],
    ['leader', 'hamlet_head', 'officer'],
  );
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
  return [...new Set(userIds)]
    .filter((id) => labels.has(id))
    .map((userId) => ({ userId, label: labels.get(userId)!, message }));
}

type SubmittedEvent = Extract<NotificationEvent, { kind: 'assessment_submitted' }>;

/**
 * Who verifies: the tổ leaders for what sits in a tổ (households, citizens), the trưởng ấp for
 * clans and units of the hamlet, the commune's officers for a hamlet's own form.
 */
function verifiersOf(event: SubmittedEvent): { unitId: string; role: 'leader' | 'hamlet_head' | 'officer' } {
  if (event.groupId) return { unitId: event.groupId, role: 'leader' };
  if (event.subjectType === 'community' || !event.hamletId) return { unitId: event.communeId, role: 'officer' };
  return { unitId: event.hamletId, role: 'hamlet_head' };
}

/**
 * The submit's notification as CTEs of the submit's own write statement (issue 15: a submit is
 * ≤ 5 statements): the same event marker, verifiers, outbox and inbox rows `enqueueNotification`
 * writes, in one INSERT … SELECT each. `source` names the statement's CTE of the changed row.
 */
export function submittedNotificationCtes(source: string, event: SubmittedEvent, eventKey: string, now: Date) {
  const { unitId, role } = verifiersOf(event);
  const m = t.assessmentSubmitted(event);
  const [first, ...rest] = PERSONAL_CHAIN[event.kind];
  return roleFanOutCtes({
    source,
    eventKey,
    kind: event.kind,
    event,
    unitId,
    role,
    excludeUserId: event.actorUserId,
    now,
    delivery: first
      ? {
          channel: first,
          dedupePrefix: dedupeKeyOf(eventKey, first, ''),
          base: {
            v: 1,
            communeId: event.communeId,
            eventKey,
            title: t.truncate(m.title, 32),
            text: m.text,
            link: m.link,
            fallback: rest,
          } satisfies Omit<DeliveryPayload, 'recipientLabel'>,
        }
      : null,
    inbox: { dedupePrefix: dedupeKeyOf(eventKey, 'inbox', ''), title: m.title, body: m.text, link: m.link },
  });
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
        t.campaignOpened({
          placeLabel: t.unitLabel(p.kind, p.name),
          year: event.year,
          selfDueAt,
          campaignId: event.campaignId,
        });
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
    case 'assessment_submitted': {
      const { unitId, role } = verifiersOf(event);
      const verifiers = (await roleHolders(tx, [unitId], [role]))
        .map((r) => r.userId)
        .filter((id) => id !== event.actorUserId);
      if (verifiers.length === 0) return;
      await writeDeliveries(tx, {
        kind: event.kind,
        eventKey,
        communeId: event.communeId,
        now,
        people: await personTargets(tx, verifiers, t.assessmentSubmitted(event)),
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
    case 'posting_opened': {
      const hamlet = await findPlace(tx, event.hamletId);
      if (!hamlet) return;
      const aud = await groupAudiences(tx, event.communeId, [hamlet]);
      await writeDeliveries(tx, {
        kind: 'posting_opened',
        eventKey,
        communeId: event.communeId,
        now,
        groups: [
          {
            place: hamlet,
            message: t.postingOpened({
              placeLabel: t.unitLabel(hamlet.kind, hamlet.name),
              subjectType: event.subjectType as SubjectType,
              year: event.year,
              endsAt: new Date(event.endsAt),
              postingId: event.postingId,
            }),
            inboxUserIds: aud.byHamlet(hamlet.id),
          },
        ],
      });
      return;
    }
    case 'objection_resolved': {
      await writeDeliveries(tx, {
        kind: 'objection_resolved',
        eventKey,
        communeId: event.communeId,
        now,
        people: await personTargets(tx, [event.recipientUserId], t.objectionResolved(event)),
      });
      return;
    }
    case 'decision_published': {
      const campaign = await findCampaign(tx, event.campaignId);
      const commune = await findPlace(tx, event.communeId);
      if (!campaign || !commune) return;
      const subjectType = event.subjectType as SubjectType;
      // Households live in hamlets: a decision speaks to the hamlets it decided on. Other titles
      // are commune-wide lists and only the commune group hears about them.
      const concerned = subjectType === 'household' ? await hamletsOfDecision(tx, event.decisionId) : [];
      const hamlets = (await hamletsOf(tx, commune.id)).filter((h) => concerned.includes(h.id));
      // A group hears figures only once they are final for it: nothing left waiting for a decision.
      const waiting = await countsByUnit(tx, campaign.id, subjectType, [commune.id, ...hamlets.map((h) => h.id)]);
      const final = (id: string) => sumStates(waiting.get(id), AWAITING_DECISION) === 0;
      const places = [...hamlets.filter((h) => final(h.id)), ...(final(commune.id) ? [commune] : [])];
      if (places.length === 0) return;
      const figures = await campaignFigures(
        tx,
        campaign,
        places.map((p) => p.id),
        now.toISOString().slice(0, 10),
      );
      const aud = await groupAudiences(tx, commune.id, hamlets);
      await writeDeliveries(tx, {
        kind: 'decision_published',
        eventKey,
        communeId: commune.id,
        now,
        groups: places.map((p) => ({
          place: p,
          message: t.resultSummary({
            placeLabel: t.unitLabel(p.kind, p.name),
            figures: figures.title(p.id, subjectType),
            campaignId: campaign.id,
          }),
          inboxUserIds: p.id === commune.id ? aud.officers : aud.byHamlet(p.id),
        })),
      });
      return;
    }
  }
}
