import type { Db } from '../db/types.ts';
import {
  AWAITING_VERIFICATION,
  awaitingByGroup,
  countsByUnit,
  findPlace,
  hamletsOf,
  householdTotalsByHamlet,
  householdUsersNotSubmitted,
  openCampaigns,
  roleHolders,
  sumStates,
  userLabels,
  SUBMITTED_STATES,
  type PlaceRow,
} from './notify.repo.ts';
import { groupAudiences, recordEvent, writeDeliveries, type GroupTarget, type PersonTarget } from './enqueue.ts';
import * as t from './templates.ts';
import { DAY_MS, inVnWindow, nextVnHour } from './time.ts';

/**
 * Deadline reminders 7, 3 and 1 days before the self-assessment and verification due dates,
 * computed from campaign milestones with the injected clock. Each (campaign, milestone, offset)
 * is an event whose key is recorded in the outbox in the same transaction as its deliveries,
 * so a restart, a second instance or a second run in the same minute sends nothing twice.
 * Only the tightest offset that has come due is sent: after a long outage the 3-day reminder
 * goes out, not a stale 7-day one as well.
 */
export const REMINDER_OFFSETS_DAYS = [1, 3, 7] as const;
/** Hamlets are spaced out so a commune's groups don't all buzz in the same second. */
export const HAMLET_STAGGER_MS = 2 * 60 * 1000;

type Campaign = Awaited<ReturnType<typeof openCampaigns>>[number];

export function dueOffset(now: Date, dueAt: Date): number | null {
  if (now.getTime() >= dueAt.getTime()) return null;
  for (const d of REMINDER_OFFSETS_DAYS) if (now.getTime() >= dueAt.getTime() - d * DAY_MS) return d;
  return null;
}

/** Reminders go out in the daytime: 07:00–20:00 Vietnam time. */
function sendBase(now: Date): Date {
  return inVnWindow(now, 7, 20) ? now : nextVnHour(now, 7);
}

export async function runReminders(db: Db, now: Date): Promise<{ sent: string[] }> {
  const sent: string[] = [];
  for (const c of await openCampaigns(db)) {
    for (const milestone of ['self_assessment', 'verification'] as const) {
      const dueAt = milestone === 'self_assessment' ? c.selfAssessmentDueAt : c.verificationDueAt;
      const offset = dueOffset(now, dueAt);
      if (offset === null) continue;
      const eventKey = `reminder:${c.id}:${milestone}:${offset}d`;
      const done = await db.transaction(async (tx) => {
        if (
          !(await recordEvent(
            tx,
            'deadline_reminder',
            eventKey,
            { campaignId: c.id, milestone, offset, dueAt: dueAt.toISOString() },
            now,
          ))
        ) {
          return false;
        }
        const commune = await findPlace(tx, c.communeId);
        if (!commune) return true;
        const hamlets = await hamletsOf(tx, commune.id);
        const daysLeft = Math.max(1, Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS));
        const base = sendBase(now).getTime();
        const at = (i: number) => new Date(base + i * HAMLET_STAGGER_MS);
        const index = new Map(hamlets.map((h, i) => [h.id, i]));
        if (milestone === 'self_assessment') {
          await selfAssessmentReminders(tx, { c, commune, hamlets, dueAt, daysLeft, eventKey, now, at, index });
        } else {
          await verificationReminders(tx, { c, commune, hamlets, dueAt, daysLeft, eventKey, now, at, index });
        }
        return true;
      });
      if (done) sent.push(eventKey);
    }
  }
  return { sent };
}

interface Ctx {
  c: Campaign;
  commune: PlaceRow;
  hamlets: PlaceRow[];
  dueAt: Date;
  daysLeft: number;
  eventKey: string;
  now: Date;
  at: (i: number) => Date;
  index: Map<string, number>;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

async function selfAssessmentReminders(tx: Tx, x: Ctx) {
  const counts = await countsByUnit(
    tx,
    x.c.id,
    'household',
    x.hamlets.map((h) => h.id),
  );
  const totals = await householdTotalsByHamlet(tx, x.commune.id);
  const groups: GroupTarget[] = x.hamlets.map((h, i) => {
    const m = counts.get(h.id);
    const handedIn = sumStates(m, SUBMITTED_STATES) + (m?.get('withdrawn') ?? 0);
    const missing = Math.max(0, (totals.get(h.id) ?? 0) - handedIn);
    return {
      place: h,
      message: t.reminderGroupSelf({
        placeLabel: t.unitLabel(h.kind, h.name),
        missing,
        dueAt: x.dueAt,
        campaignId: x.c.id,
      }),
      notBefore: x.at(i),
    };
  });
  const people: PersonTarget[] = (await householdUsersNotSubmitted(tx, x.c.id, x.commune.id)).map((u) => ({
    userId: u.userId,
    label: u.displayName,
    message: t.reminderPersonalSelf({ daysLeft: x.daysLeft, dueAt: x.dueAt, campaignId: x.c.id }),
    notBefore: x.at(x.index.get(u.hamletId) ?? 0),
  }));
  await writeDeliveries(tx, {
    kind: 'deadline_reminder',
    eventKey: x.eventKey,
    communeId: x.commune.id,
    now: x.now,
    groups,
    people,
  });
}

async function verificationReminders(tx: Tx, x: Ctx) {
  const counts = await countsByUnit(
    tx,
    x.c.id,
    'household',
    x.hamlets.map((h) => h.id),
  );
  const aud = await groupAudiences(tx, x.commune.id, x.hamlets);
  const waitingByTo = await awaitingByGroup(
    tx,
    x.c.id,
    aud.tos.map((g) => g.id),
  );
  const groups: GroupTarget[] = [];
  x.hamlets.forEach((h, i) => {
    const waiting = sumStates(counts.get(h.id), AWAITING_VERIFICATION);
    if (waiting === 0) return;
    groups.push({
      place: h,
      message: t.reminderGroupVerify({
        placeLabel: t.unitLabel(h.kind, h.name),
        waiting,
        dueAt: x.dueAt,
        campaignId: x.c.id,
      }),
      notBefore: x.at(i),
    });
  });
  // Each leader gets their own queue: tổ leaders their tổ, hamlet heads their ấp.
  const holders = await roleHolders(
    tx,
    [...x.hamlets.map((h) => h.id), ...aud.tos.map((g) => g.id)],
    ['leader', 'hamlet_head'],
  );
  const labels = await userLabels(
    tx,
    holders.map((h) => h.userId),
  );
  const toById = new Map(aud.tos.map((g) => [g.id, g]));
  const hamletById = new Map(x.hamlets.map((h) => [h.id, h]));
  const people: PersonTarget[] = [];
  const seen = new Set<string>();
  for (const r of holders) {
    const to = toById.get(r.unitId);
    const place = to ?? hamletById.get(r.unitId);
    if (!place || seen.has(r.userId)) continue;
    const waiting = to ? (waitingByTo.get(to.id) ?? 0) : sumStates(counts.get(place.id), AWAITING_VERIFICATION);
    if (waiting === 0) continue;
    seen.add(r.userId);
    const hamletId = to ? (to.parentId ?? '') : place.id;
    people.push({
      userId: r.userId,
      label: labels.get(r.userId) ?? r.userId,
      message: t.reminderLeaderQueue({
        placeLabel: t.unitLabel(place.kind, place.name),
        waiting,
        daysLeft: x.daysLeft,
        dueAt: x.dueAt,
        campaignId: x.c.id,
      }),
      notBefore: x.at(x.index.get(hamletId) ?? 0),
    });
  }
  await writeDeliveries(tx, {
    kind: 'deadline_reminder',
    eventKey: x.eventKey,
    communeId: x.commune.id,
    now: x.now,
    groups,
  });
  await writeDeliveries(tx, {
    kind: 'leader_queue_reminder',
    eventKey: x.eventKey,
    communeId: x.commune.id,
    now: x.now,
    people,
  });
}
