import { asc, and, desc, eq, gte, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { auditEvents } from '../../db/schema/index.ts';

export interface AuditEntry {
  at: Date;
  /** Who acted (a user id), null for the system (scheduler, dispatcher). */
  actorId: string | null;
  /** Assisted mode: the household (or subject) the actor acted for. */
  onBehalfOf?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/** Append-only: there is deliberately no update or delete here. Call it with the transaction's tx. */
export async function appendAudit(tx: Executor, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const rows = Array.isArray(entry) ? entry : [entry];
  if (rows.length === 0) return;
  await tx.insert(auditEvents).values(
    rows.map((e) => ({
      at: e.at,
      actorId: e.actorId,
      onBehalfOf: e.onBehalfOf ?? null,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      data: e.data ?? {},
    })),
  );
}

export async function auditTrail(db: Executor, entityType: string, entityId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
    .orderBy(asc(auditEvents.id));
}

/** Whether an entry with this action and entity was written at or after `since`. */
export async function hasAuditSince(
  db: Executor,
  q: { action: string; entityId: string; since: Date },
): Promise<boolean> {
  const [recent] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, q.action), eq(auditEvents.entityId, q.entityId), gte(auditEvents.at, q.since)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return recent !== undefined;
}

/** Whether `userId` ever acted on the entity for someone else (assisted mode): answers, submit. */
export async function actedOnBehalf(db: Executor, entityType: string, entityId: string, userId: string) {
  const rows = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entityType, entityType),
        eq(auditEvents.entityId, entityId),
        eq(auditEvents.actorId, userId),
        isNotNull(auditEvents.onBehalfOf),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
