import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/types.ts';
import { outbox, zaloGroups } from '../db/schema/index.ts';
import { isZaloError, type ZaloAction } from '../zalo/index.ts';
import type { Alerts, Logger } from './alerts.ts';
import type { Channels, OutboxRow, SendDecision } from './channels.ts';
import { expandEvent, type NotificationEvent } from './enqueue.ts';
import { nextVnHour, tomorrowMorning, HOUR_MS } from './time.ts';
import { dedupeKeyOf, type DeliveryChannel, type DeliveryPayload } from './types.ts';

/**
 * The outbox relay (stack.md §2, security.md §4.1): claim due rows in ONE statement with
 * `FOR UPDATE SKIP LOCKED` and a lease, send OUTSIDE any transaction, then mark. A crash between
 * send and mark leaves the row `sending` with an expired lease; the next claim takes it again, so
 * at most one duplicate and never a loss. On PostgreSQL several dispatchers share the table
 * safely; on PGlite (one connection) SKIP LOCKED skips nothing, so run one dispatcher in-process.
 */

export interface DispatcherOptions {
  db: Db;
  channels: Channels;
  alerts: Alerts;
  log: Logger;
  /** [0, 1): injected so backoff jitter is testable (ARCHITECTURE §2). */
  random: () => number;
  maxAttempts: number;
  leaseMs: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Test seam: runs after Zalo accepted a message and before the row is marked sent. */
  beforeMark?: (row: OutboxRow) => Promise<void>;
}

export interface DispatchStats {
  claimed: number;
  sent: number;
  logged: number;
  retried: number;
  deferred: number;
  dead: number;
}

/** Hold messages that need a human for an hour, then look again (a fixed config un-blocks them). */
const ALERT_RETRY_MS = HOUR_MS;
/** Spread morning reschedules over a few minutes (zalo.md §6.2: 06:05 with jitter). */
const MORNING_SPREAD_MS = 10 * 60 * 1000;

/** Full jitter (security.md §4.1): sleep = random(0, min(cap, base·2^(attempt-1))). */
export function backoffMs(attempt: number, random: () => number, baseMs = 30_000, capMs = 6 * HOUR_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export function createDispatcher(o: DispatcherOptions) {
  const { db } = o;
  const baseMs = o.backoffBaseMs ?? 30_000;
  const capMs = o.backoffCapMs ?? 6 * HOUR_MS;

  async function claim(now: Date, limit: number) {
    const at = now.toISOString();
    const rows = await db
      .update(outbox)
      .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, lockedUntil: new Date(now.getTime() + o.leaseMs) })
      .where(
        inArray(
          outbox.id,
          sql`(select id from notification_outbox
               where (status = 'pending' and next_attempt_at <= ${at}::timestamptz)
                  or (status = 'sending' and locked_until < ${at}::timestamptz)
               order by next_attempt_at, id
               limit ${limit}
               for update skip locked)`,
        ),
      )
      .returning();
    return rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
  }

  /** Only the holder of the current lease may put a row back (a fencing token). */
  const fenced = (row: { id: number; lockedUntil: Date | null }) =>
    and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), row.lockedUntil ? eq(outbox.lockedUntil, row.lockedUntil) : sql`true`);

  async function markSent(row: OutboxRow, providerMessageId: string | null, now: Date, outcome?: DeliveryPayload['outcome'], note?: string) {
    await db
      .update(outbox)
      .set({
        status: 'sent',
        providerMessageId,
        sentAt: now,
        lockedUntil: null,
        lastError: null,
        ...(outcome ? { payload: { ...row.payload, outcome, outcomeNote: note } as unknown as Record<string, unknown> } : {}),
      })
      .where(eq(outbox.id, row.id));
  }

  async function reschedule(row: OutboxRow & { lockedUntil: Date | null }, at: Date, lastError: string, countAttempt: boolean) {
    await db
      .update(outbox)
      .set({
        status: 'pending',
        nextAttemptAt: at,
        lockedUntil: null,
        lastError,
        // Deferrals (quiet hours, daily caps, rate limits) are not the message's fault.
        ...(countAttempt ? {} : { attempts: sql`greatest(${outbox.attempts} - 1, 0)` }),
      })
      .where(fenced(row));
  }

  /** Dead-letter with the reason; if the person can still be reached another way, queue that (same tx). */
  async function markDead(row: OutboxRow & { lockedUntil: Date | null }, reason: string, now: Date, skipped = false) {
    // Channels that are not configured are left out of the chain: they could only dead-letter.
    const chain = (row.payload.fallback ?? []).filter((c: DeliveryChannel) => o.channels.configured[c]);
    const next = chain[0];
    await db.transaction(async (tx) => {
      const updated = await tx
        .update(outbox)
        .set({
          status: 'dead',
          lockedUntil: null,
          lastError: reason,
          ...(skipped ? { payload: { ...row.payload, outcome: 'skipped' } as unknown as Record<string, unknown> } : {}),
        })
        .where(fenced(row))
        .returning({ id: outbox.id });
      if (updated.length === 0 || !next) return;
      const payload: DeliveryPayload = { ...row.payload, fallback: chain.slice(1) };
      delete payload.outcome;
      await tx
        .insert(outbox)
        .values({
          dedupeKey: dedupeKeyOf(row.payload.eventKey, next, row.recipient),
          kind: row.kind,
          channel: next,
          recipient: row.recipient,
          payload: payload as unknown as Record<string, unknown>,
          nextAttemptAt: now,
          createdAt: now,
        })
        .onConflictDoNothing();
    });
  }

  async function dispatchOnce(opts: { now: Date; limit?: number }): Promise<DispatchStats> {
    const { now } = opts;
    const stats: DispatchStats = { claimed: 0, sent: 0, logged: 0, retried: 0, deferred: 0, dead: 0 };
    const rows = await claim(now, opts.limit ?? 20);
    stats.claimed = rows.length;
    /** A channel that answered "rate limited" is paused for the rest of this batch. */
    const pausedUntil = new Map<string, Date>();
    const jitter = (ms: number) => Math.floor(o.random() * ms);

    for (const r of rows) {
      const row = { ...r, payload: r.payload as unknown as DeliveryPayload };

      if (row.channel === 'event') {
        // Events written before expansion moved into enqueueNotification: expand them here.
        await db.transaction(async (tx) => {
          await expandEvent(tx, r.payload as unknown as NotificationEvent, row.dedupeKey.replace(/^event:/, ''), now);
          await tx.update(outbox).set({ status: 'sent', sentAt: now, lockedUntil: null }).where(eq(outbox.id, row.id));
        });
        stats.sent++;
        continue;
      }

      const paused = pausedUntil.get(row.channel);
      if (paused) {
        await reschedule(row, paused, row.lastError ?? 'rate limited', false);
        stats.deferred++;
        continue;
      }

      let decision: SendDecision;
      try {
        decision = await o.channels.send(row, now);
      } catch (err) {
        await onFailure(row, err, now, stats, pausedUntil, jitter);
        continue;
      }

      switch (decision.type) {
        case 'sent':
          if (o.beforeMark) await o.beforeMark(row); // a throw here models a crash: the row stays `sending`
          await markSent(row, decision.providerMessageId, now);
          stats.sent++;
          break;
        case 'log_only':
          await markSent(row, null, now, 'log_only', decision.note);
          stats.logged++;
          break;
        case 'skip':
          await markDead(row, decision.reason, now, true);
          stats.dead++;
          break;
        case 'defer':
          await reschedule(row, new Date(decision.until.getTime() + jitter(MORNING_SPREAD_MS)), decision.reason, false);
          stats.deferred++;
          break;
      }
    }
    return stats;
  }

  async function onFailure(
    row: OutboxRow & { lockedUntil: Date | null; attempts: number },
    err: unknown,
    now: Date,
    stats: DispatchStats,
    pausedUntil: Map<string, Date>,
    jitter: (ms: number) => number,
  ) {
    const z = isZaloError(err) ? err : null;
    const action: ZaloAction = z?.action ?? 'retry';
    const label = z ? `${z.code ?? (z.httpStatus !== null ? `HTTP ${z.httpStatus}` : z.kind)}: ${z.reason}` : `error: ${(err as Error)?.message ?? String(err)}`;
    const communeId = row.payload.communeId ?? null;
    if (!z) o.log.warn({ err, outboxId: row.id }, 'notification send failed');

    if (z?.alert) await o.alerts.raise({ code: `zalo:${z.code ?? z.kind}`, reason: label, communeId, data: { channel: row.channel, outboxId: row.id } });
    if (z?.code === -237 && row.channel === 'gmf') {
      await db.update(zaloGroups).set({ status: 'disabled', updatedAt: now }).where(eq(zaloGroups.unitId, row.recipient));
    }

    const exhausted = row.attempts >= o.maxAttempts;
    switch (action) {
      case 'dead':
        await markDead(row, label, now);
        stats.dead++;
        return;
      case 'reschedule_morning':
        await reschedule(row, new Date(nextVnHour(now, 6).getTime() + jitter(MORNING_SPREAD_MS)), label, false);
        stats.deferred++;
        return;
      case 'reschedule_tomorrow':
        await reschedule(row, new Date(tomorrowMorning(now).getTime() + jitter(MORNING_SPREAD_MS)), label, false);
        stats.deferred++;
        return;
      case 'rate_limited': {
        const until = new Date(now.getTime() + (z?.retryAfterMs ?? 60_000) + jitter(5_000));
        pausedUntil.set(row.channel, until);
        await reschedule(row, until, label, false);
        stats.deferred++;
        return;
      }
      case 'alert_human':
        if (!z?.alert) await o.alerts.raise({ code: `zalo:${z?.code ?? z?.kind ?? 'unknown'}`, reason: label, communeId, data: { channel: row.channel } });
        if (exhausted) {
          await markDead(row, `Hết ${o.maxAttempts} lần thử — ${label}`, now);
          stats.dead++;
        } else {
          await reschedule(row, new Date(now.getTime() + ALERT_RETRY_MS + jitter(60_000)), label, true);
          stats.retried++;
        }
        return;
      case 'retry':
      case 'refresh_token_then_retry': // the token manager already refreshed and retried once
        if (exhausted) {
          await markDead(row, `Hết ${o.maxAttempts} lần thử — ${label}`, now);
          stats.dead++;
        } else {
          await reschedule(row, new Date(now.getTime() + backoffMs(row.attempts, o.random, baseMs, capMs)), label, true);
          stats.retried++;
        }
        return;
    }
  }

  return { dispatchOnce };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
