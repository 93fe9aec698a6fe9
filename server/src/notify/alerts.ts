import { and, desc, eq, gte } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { auditEvents } from '../db/schema/index.ts';
import { appendAudit } from '../modules/audit/audit.repo.ts';

/**
 * "Page a human": Zalo problems no retry can fix (token refresh failed, OA not authorised, GMF
 * asset expired, ZCA billing, template rejected). Written to the append-only audit trail (action
 * `notify.alert`) so officers see them next to the message log, and logged at error level.
 * The same problem is recorded at most once per hour, so a broken config does not flood the log.
 */
export const ALERT_ACTION = 'notify.alert';
const THROTTLE_MS = 60 * 60 * 1000;

export interface AlertInput {
  /** Stable id of the problem, e.g. "zalo:-237", "oa_token:refresh_rejected". */
  code: string;
  reason: string;
  communeId?: string | null;
  data?: Record<string, unknown>;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

export function createAlerts(deps: { db: Executor; log: Logger; now: () => Date }) {
  return {
    async raise(a: AlertInput): Promise<void> {
      const at = deps.now();
      deps.log.error({ alert: a }, `notification alert: ${a.reason}`);
      try {
        const [recent] = await deps.db
          .select({ id: auditEvents.id })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.action, ALERT_ACTION),
              eq(auditEvents.entityId, a.code),
              gte(auditEvents.at, new Date(at.getTime() - THROTTLE_MS)),
            ),
          )
          .orderBy(desc(auditEvents.id))
          .limit(1);
        if (recent) return;
        await appendAudit(deps.db, {
          at,
          actorId: null,
          action: ALERT_ACTION,
          entityType: 'zalo',
          entityId: a.code,
          data: { reason: a.reason, communeId: a.communeId ?? null, ...(a.data ?? {}) },
        });
      } catch (err) {
        // Alerting must never break dispatching; the log line above already went out.
        deps.log.error({ err }, 'could not record a notification alert');
      }
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
