import type { Db } from '../db/types.ts';
import { isZaloError, type ZaloAction, type ZaloError } from '../zalo/index.ts';
import type { Alerts, Logger } from './alerts.ts';
import type { Channels, OutboxRow, SendDecision } from './channels.ts';
import { expandEvent, type NotificationEvent } from './enqueue.ts';
import * as repo from './outbox.repo.ts';
import { nextVnHour, tomorrowMorning, HOUR_MS } from './time.ts';
import { dedupeKeyOf, type DeliveryChannel, type DeliveryPayload } from './types.ts';

/**
 * The outbox relay (docs/architecture.md §6): claim due rows in ONE statement with
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
  /** [0, 1): injected so backoff jitter is testable (docs/architecture.md §2). */
  random: () => number;
  maxAttempts: number;
  leaseMs: number;
  /**
   * How long a group message whose send outcome is unknown waits before we look in the group for
   * it (and, if it is not there, send it once more). Long, so a slow Zalo has long finished.
   */
  uncertainDelayMs: number;
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
  /** Sends whose outcome is unknown (kept for reconciliation, or left uncertain). */
  uncertain: number;
  /** Group messages found delivered on reconciliation (not sent again). */
  reconciled: number;
}

/** Hold messages that need a human for an hour, then look again (a fixed config un-blocks them). */
const ALERT_RETRY_MS = HOUR_MS;
/** Spread morning reschedules over a few minutes (docs/architecture.md §6). */
const MORNING_SPREAD_MS = 10 * 60 * 1000;

/** Full jitter (docs/architecture.md §6): sleep = random(0, min(cap, base·2^(attempt-1))). */
export function backoffMs(attempt: number, random: () => number, baseMs = 30_000, capMs = 6 * HOUR_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export function createDispatcher(o: DispatcherOptions) {
  const { db } = o;
  const baseMs = o.backoffBaseMs ?? 30_000;
  const capMs = o.backoffCapMs ?? 6 * HOUR_MS;

  type Row = OutboxRow & repo.Lease & { attempts: number; lastError: string | null };

  const markSent = (
    row: Row,
    providerMessageId: string | null,
    now: Date,
    outcome?: DeliveryPayload['outcome'],
    note?: string,
  ) =>
    repo.markSent(db, row, {
      providerMessageId,
      now,
      ...(outcome ? { payload: { ...row.payload, outcome, outcomeNote: note } } : {}),
    });

  const reschedule = (row: Row, at: Date, lastError: string, countAttempt: boolean) =>
    repo.reschedule(db, row, { at, lastError, countAttempt });

  /** Dead-letter with the reason; if the person can still be reached another way, queue that (same tx). */
  async function markDead(row: Row, reason: string, now: Date, skipped = false) {
    // Channels that are not configured are left out of the chain: they could only dead-letter.
    const chain = (row.payload.fallback ?? []).filter((c: DeliveryChannel) => o.channels.configured[c]);
    const next = chain[0];
    let nextRow: repo.OutboxInsert | undefined;
    if (next) {
      const payload: DeliveryPayload = { ...row.payload, fallback: chain.slice(1) };
      delete payload.outcome;
      nextRow = {
        dedupeKey: dedupeKeyOf(row.payload.eventKey, next, row.recipient),
        kind: row.kind,
        channel: next,
        recipient: row.recipient,
        payload,
        nextAttemptAt: now,
        createdAt: now,
      };
    }
    await repo.markDead(db, row, {
      reason,
      ...(skipped ? { payload: { ...row.payload, outcome: 'skipped' as const } } : {}),
      ...(nextRow ? { next: nextRow } : {}),
    });
  }

  /**
   * Zalo may have executed a send we never heard back about. Resending blindly is how a slow
   * Zalo made group messages arrive 3–4 times. A group message waits `uncertainDelayMs`, then is
   * looked for in the group and sent once more only if it is not there; a second unknown outcome,
   * or any personal message (its inbox copy exists), is left `uncertain` for the officers' log.
   */
  async function onUnknownOutcome(row: Row, z: ZaloError, label: string, now: Date) {
    const payload: DeliveryPayload = { ...row.payload, uncertainAt: row.payload.uncertainAt ?? now.toISOString() };
    const hours = Math.round(o.uncertainDelayMs / HOUR_MS);
    if (row.channel === 'gmf' && !row.payload.resent) {
      await repo.markUnknown(db, row, {
        status: 'reconcile',
        at: new Date(now.getTime() + o.uncertainDelayMs),
        lastError: `Chưa rõ Zalo đã nhận tin chưa (${label}); sau ${hours} giờ sẽ kiểm tra nhóm và chỉ gửi lại nếu chưa có`,
        payload,
        now,
      });
      return;
    }
    o.log.warn({ outboxId: row.id, channel: row.channel, kind: z.kind }, 'notification outcome unknown');
    await repo.markUnknown(db, row, {
      status: 'uncertain',
      at: now,
      lastError: `Chưa rõ Zalo đã nhận tin chưa (${label}); không gửi lại để tránh trùng tin`,
      payload,
      now,
    });
  }

  /**
   * A group message whose earlier send had no answer: if the group shows it, it was delivered;
   * otherwise (or when the group cannot be read) it is sent once more, and never again.
   */
  async function reconcile(row: Row, now: Date): Promise<'found' | 'resend' | 'lost'> {
    const found = await o.channels.findGroupMessage(row).catch((err: unknown) => {
      o.log.warn({ err, outboxId: row.id }, 'could not read the group to reconcile a message');
      return null;
    });
    if (found) {
      await repo.markSent(db, row, {
        providerMessageId: found.messageId,
        now,
        payload: { ...row.payload, reconciled: 'found' },
      });
      return 'found';
    }
    row.payload = { ...row.payload, resent: true, reconciled: 'resent' };
    return (await repo.updatePayload(db, row, row.payload)) ? 'resend' : 'lost';
  }

  async function dispatchOnce(opts: { now: Date; limit?: number }): Promise<DispatchStats> {
    const { now } = opts;
    const stats: DispatchStats = {
      claimed: 0,
      sent: 0,
      logged: 0,
      retried: 0,
      deferred: 0,
      dead: 0,
      uncertain: 0,
      reconciled: 0,
    };
    const rows = await repo.claimDue(db, now, opts.limit ?? 20, o.leaseMs);
    stats.claimed = rows.length;
    /** A channel that answered "rate limited" is paused for the rest of this batch. */
    const pausedUntil = new Map<string, Date>();
    const jitter = (ms: number) => Math.floor(o.random() * ms);

    for (const r of rows) {
      const row = { ...r, payload: r.payload as DeliveryPayload };

      if (row.channel === 'event') {
        // Events written before expansion moved into enqueueNotification: expand them here.
        await db.transaction(async (tx) => {
          await expandEvent(tx, r.payload as NotificationEvent, row.dedupeKey.replace(/^event:/, ''), now);
          await repo.markEventDone(tx, row.id, now);
        });
        stats.sent++;
        continue;
      }

      // A group message that waited for reconciliation (its send had no answer).
      if (row.payload.uncertainAt && !row.payload.resent && row.channel === 'gmf') {
        const r = await reconcile(row, now);
        if (r === 'found') {
          stats.reconciled++;
          continue;
        }
        if (r === 'lost') continue;
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
    row: Row,
    err: unknown,
    now: Date,
    stats: DispatchStats,
    pausedUntil: Map<string, Date>,
    jitter: (ms: number) => number,
  ) {
    const z = isZaloError(err) ? err : null;
    const action: ZaloAction = z?.action ?? 'retry';
    const label = z
      ? `${z.code ?? (z.httpStatus !== null ? `HTTP ${z.httpStatus}` : z.kind)}: ${z.reason}`
      : `error: ${(err as Error)?.message ?? String(err)}`;
    const communeId = row.payload.communeId ?? null;
    if (!z) o.log.warn({ err, outboxId: row.id }, 'notification send failed');

    if (z?.alert)
      await o.alerts.raise({
        code: `zalo:${z.code ?? z.kind}`,
        reason: label,
        communeId,
        data: { channel: row.channel, outboxId: row.id },
      });
    if (z?.code === -237 && row.channel === 'gmf') await repo.disableGroupOfUnit(db, row.recipient, now);
    if (z?.outcomeUnknown) {
      await onUnknownOutcome(row, z, label, now);
      stats.uncertain++;
      return;
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
        if (!z?.alert)
          await o.alerts.raise({
            code: `zalo:${z?.code ?? z?.kind ?? 'unknown'}`,
            reason: label,
            communeId,
            data: { channel: row.channel },
          });
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
          await reschedule(
            row,
            new Date(now.getTime() + backoffMs(row.attempts, o.random, baseMs, capMs)),
            label,
            true,
          );
          stats.retried++;
        }
        return;
    }
  }

  return { dispatchOnce };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
