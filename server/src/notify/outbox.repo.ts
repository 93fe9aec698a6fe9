import { and, count, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { inboxMessages, outbox, zaloGroups } from '../db/schema/index.ts';
import type { DeliveryPayload } from './types.ts';

/**
 * SQL of the outbox: the event marker, delivery rows, the dispatcher's claim and every status
 * change. Updates of a claimed row are fenced by its lease (only the current holder may write).
 */

export type OutboxInsert = typeof outbox.$inferInsert;
export type InboxInsert = typeof inboxMessages.$inferInsert;
export type ClaimedRow = typeof outbox.$inferSelect;

/** Inserts the event marker (already "sent"); false when the event was recorded before. */
export async function insertEventMarker(
  db: Executor,
  v: { eventKey: string; kind: string; payload: Record<string, unknown>; now: Date },
): Promise<boolean> {
  const rows = await db
    .insert(outbox)
    .values({
      dedupeKey: `event:${v.eventKey}`,
      kind: v.kind,
      channel: 'event',
      recipient: '*',
      payload: v.payload,
      status: 'sent',
      nextAttemptAt: v.now,
      createdAt: v.now,
      sentAt: v.now,
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/**
 * An event and its personal fan-out to the active holders of one role on one unit, as
 * data-modifying CTEs for the caller's statement (`source` is a CTE of that statement; nothing is
 * written when it is empty): the event marker, then, only when the marker is new, one outbox row
 * per holder on the first channel of the chain and one inbox row each. The text is the same for
 * every holder; only the log label (their name) differs, so the payload is `base` plus the label.
 */
export function roleFanOutCtes(v: {
  source: string;
  eventKey: string;
  kind: string;
  event: Record<string, unknown>;
  unitId: string;
  role: 'leader' | 'hamlet_head' | 'officer';
  excludeUserId: string;
  now: Date;
  /** The outbox row of each holder, when the chain has a channel: its dedupe key prefix and payload. */
  delivery: { channel: string; dedupePrefix: string; base: Record<string, unknown> } | null;
  inbox: { dedupePrefix: string; title: string; body: string; link: string | null };
}): SQL {
  const at = sql`${v.now.toISOString()}::timestamptz`;
  const parts: SQL[] = [
    sql`ev as (insert into notification_outbox (dedupe_key, kind, channel, recipient, payload, status, next_attempt_at, created_at, sent_at)
      select ${`event:${v.eventKey}`}::text, ${v.kind}::text, 'event', '*', ${JSON.stringify(v.event)}::jsonb, 'sent', ${at}, ${at}, ${at}
      from ${sql.raw(v.source)} on conflict do nothing returning id)`,
    sql`holders as (select distinct ra.user_id, u.display_name from role_assignments ra join users u on u.id = ra.user_id
      where ra.unit_id = ${v.unitId}::uuid and ra.role = ${v.role}::text and ra.revoked_at is null and u.status = 'active'
        and ra.user_id <> ${v.excludeUserId}::uuid and exists (select 1 from ev))`,
    sql`inb as (insert into inbox_messages (id, user_id, kind, title, body, link, dedupe_key, created_at)
      select gen_random_uuid(), h.user_id, ${v.kind}::text, ${v.inbox.title}::text, ${v.inbox.body}::text, ${v.inbox.link}::text,
        ${v.inbox.dedupePrefix}::text || h.user_id::text, ${at}
      from holders h on conflict do nothing)`,
  ];
  if (v.delivery) {
    const d = v.delivery;
    parts.push(sql`dlv as (insert into notification_outbox (dedupe_key, kind, channel, recipient, payload, next_attempt_at, created_at)
      select ${d.dedupePrefix}::text || h.user_id::text, ${v.kind}::text, ${d.channel}::text, h.user_id::text,
        ${JSON.stringify(d.base)}::jsonb || jsonb_build_object('recipientLabel', h.display_name), ${at}, ${at}
      from holders h on conflict do nothing)`);
  }
  return sql.join(parts, sql`, `);
}

/** Batches keep a commune-wide reminder to a few statements inside the caller's transaction. */
export async function insertDeliveries(db: Executor, rows: OutboxInsert[], inbox: InboxInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insert(outbox)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  for (let i = 0; i < inbox.length; i += 500)
    await db
      .insert(inboxMessages)
      .values(inbox.slice(i, i + 500))
      .onConflictDoNothing();
}

/**
 * Claims due rows in ONE statement with `FOR UPDATE SKIP LOCKED` and a lease: pending rows that
 * are due, group messages waiting for reconciliation that are due, and rows whose lease expired.
 */
export async function claimDue(db: Executor, now: Date, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
  const at = now.toISOString();
  const rows = await db
    .update(outbox)
    .set({
      status: 'sending',
      attempts: sql`${outbox.attempts} + 1`,
      lockedUntil: new Date(now.getTime() + leaseMs),
    })
    .where(
      inArray(
        outbox.id,
        sql`(select id from notification_outbox
             where (status in ('pending', 'reconcile') and next_attempt_at <= ${at}::timestamptz)
                or (status = 'sending' and locked_until < ${at}::timestamptz)
             order by next_attempt_at, id
             limit ${limit}
             for update skip locked)`,
      ),
    )
    .returning();
  return rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
}

export interface Lease {
  id: number;
  lockedUntil: Date | null;
}

/** Only the holder of the current lease may put a row back (a fencing token). */
const fenced = (row: Lease) =>
  and(
    eq(outbox.id, row.id),
    eq(outbox.status, 'sending'),
    row.lockedUntil ? eq(outbox.lockedUntil, row.lockedUntil) : sql`true`,
  );

export async function markSent(
  db: Executor,
  row: Lease,
  v: { providerMessageId: string | null; now: Date; payload?: DeliveryPayload },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'sent',
      providerMessageId: v.providerMessageId,
      sentAt: v.now,
      lockedUntil: null,
      lastError: null,
      ...(v.payload ? { payload: v.payload } : {}),
    })
    .where(eq(outbox.id, row.id));
}

/** Back to pending at `at`; deferrals (quiet hours, caps, rate limits) do not count as attempts. */
export async function reschedule(
  db: Executor,
  row: Lease,
  v: { at: Date; lastError: string; countAttempt: boolean },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'pending',
      nextAttemptAt: v.at,
      lockedUntil: null,
      lastError: v.lastError,
      ...(v.countAttempt ? {} : { attempts: sql`greatest(${outbox.attempts} - 1, 0)` }),
    })
    .where(fenced(row));
}

/** The outcome of a send is unknown: look again at `at` (reconcile) or stop here (uncertain). */
export async function markUnknown(
  db: Executor,
  row: Lease,
  v: { status: 'reconcile' | 'uncertain'; at: Date; lastError: string; payload: DeliveryPayload; now: Date },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: v.status,
      nextAttemptAt: v.at,
      lockedUntil: null,
      lastError: v.lastError,
      // When it was (maybe) sent: Mini App caps count it, the officers' log shows it.
      sentAt: v.now,
      payload: v.payload,
    })
    .where(fenced(row));
}

/** Persists a payload change of a claimed row (e.g. "the one resend is being made"). */
export async function updatePayload(db: Executor, row: Lease, payload: DeliveryPayload): Promise<boolean> {
  const rows = await db.update(outbox).set({ payload }).where(fenced(row)).returning({ id: outbox.id });
  return rows.length > 0;
}

/** Dead-letters the row; when another channel can still reach the person, queues it (same tx). */
export async function markDead(
  db: Executor,
  row: Lease,
  v: { reason: string; payload?: DeliveryPayload; next?: OutboxInsert },
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(outbox)
      .set({
        status: 'dead',
        lockedUntil: null,
        lastError: v.reason,
        ...(v.payload ? { payload: v.payload } : {}),
      })
      .where(fenced(row))
      .returning({ id: outbox.id });
    if (updated.length === 0 || !v.next) return;
    await tx.insert(outbox).values(v.next).onConflictDoNothing();
  });
}

/** An old-style event row, expanded by the dispatcher: mark it done. */
export async function markEventDone(db: Executor, id: number, now: Date): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt: now, lockedUntil: null }).where(eq(outbox.id, id));
}

/** Zalo said the group is disabled (-237): stop trying it until an officer maps it again. */
export async function disableGroupOfUnit(db: Executor, unitId: string, now: Date): Promise<void> {
  await db.update(zaloGroups).set({ status: 'disabled', updatedAt: now }).where(eq(zaloGroups.unitId, unitId));
}

/**
 * Mini App notifications that count against today's limits: sent ones, and those whose outcome
 * is unknown (Zalo may have accepted them). Logged-only rows never reached Zalo.
 */
export async function miniappCountsToday(db: Executor, dayStart: Date, recipient: string) {
  const today = and(
    eq(outbox.channel, 'miniapp'),
    or(eq(outbox.status, 'sent'), eq(outbox.status, 'uncertain')),
    gte(outbox.sentAt, dayStart),
    isNull(sql`${outbox.payload}->>'outcome'`),
  );
  const [mine] = await db
    .select({ n: count() })
    .from(outbox)
    .where(and(today, eq(outbox.recipient, recipient)));
  const [all] = await db.select({ n: count() }).from(outbox).where(today);
  return { mine: mine?.n ?? 0, all: all?.n ?? 0 };
}
