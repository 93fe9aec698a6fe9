import type { AuditEntry } from '../modules/audit/audit.repo.ts';

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

/** The two audit-trail operations alerting needs (bound to the database in notify/index.ts). */
export interface AlertTrail {
  hasAuditSince(q: { action: string; entityId: string; since: Date }): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
}

export function createAlerts(deps: { trail: AlertTrail; log: Logger; now: () => Date }) {
  return {
    async raise(a: AlertInput): Promise<void> {
      const at = deps.now();
      deps.log.error({ alert: a }, `notification alert: ${a.reason}`);
      try {
        const since = new Date(at.getTime() - THROTTLE_MS);
        if (await deps.trail.hasAuditSince({ action: ALERT_ACTION, entityId: a.code, since })) return;
        await deps.trail.appendAudit({
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
