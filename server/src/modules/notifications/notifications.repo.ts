import { and, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import {
  adminUnits,
  auditEvents,
  campaigns,
  decisions,
  inboxMessages,
  outbox,
  zaloGroups,
} from '../../db/schema/index.ts';
import { ALERT_ACTION } from '../../notify/alerts.ts';

export async function inboxPage(
  db: Executor,
  userId: string,
  after: { at: Date; id: string } | null,
  limit: number,
  unreadOnly: boolean,
) {
  const conds: SQL[] = [eq(inboxMessages.userId, userId)];
  if (unreadOnly) conds.push(isNull(inboxMessages.readAt));
  if (after) {
    conds.push(
      or(
        lt(inboxMessages.createdAt, after.at),
        and(eq(inboxMessages.createdAt, after.at), lt(inboxMessages.id, after.id)),
      )!,
    );
  }
  return db
    .select()
    .from(inboxMessages)
    .where(and(...conds))
    .orderBy(desc(inboxMessages.createdAt), desc(inboxMessages.id))
    .limit(limit + 1);
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(inboxMessages)
    .where(and(eq(inboxMessages.userId, userId), isNull(inboxMessages.readAt)));
  return r?.n ?? 0;
}

export async function markRead(db: Executor, userId: string, id: string, at: Date) {
  // First read wins: re-reading keeps the original time.
  await db
    .update(inboxMessages)
    .set({ readAt: at })
    .where(and(eq(inboxMessages.id, id), eq(inboxMessages.userId, userId), isNull(inboxMessages.readAt)));
  const [row] = await db
    .select({ id: inboxMessages.id, readAt: inboxMessages.readAt })
    .from(inboxMessages)
    .where(and(eq(inboxMessages.id, id), eq(inboxMessages.userId, userId)))
    .limit(1);
  return row ?? null;
}

const STATUS_FILTER: Record<string, SQL> = {
  pending: eq(outbox.status, 'pending'),
  sending: eq(outbox.status, 'sending'),
  sent: and(eq(outbox.status, 'sent'), sql`${outbox.payload}->>'outcome' is null`)!,
  logged: and(eq(outbox.status, 'sent'), sql`${outbox.payload}->>'outcome' = 'log_only'`)!,
  skipped: and(eq(outbox.status, 'dead'), sql`${outbox.payload}->>'outcome' = 'skipped'`)!,
  dead: and(eq(outbox.status, 'dead'), sql`${outbox.payload}->>'outcome' is null`)!,
  uncertain: inArray(outbox.status, ['reconcile', 'uncertain']),
};

/**
 * The commune's deliveries, newest first. Event marker rows (channel 'event') are bookkeeping,
 * not messages. The commune lives in the payload: fine for a commune's volume; a province-wide
 * console would want an expression index on (payload->>'communeId', id).
 */
export async function messagePage(
  db: Executor,
  communeId: string,
  beforeId: number | null,
  limit: number,
  status?: string,
) {
  const conds: SQL[] = [ne(outbox.channel, 'event'), sql`${outbox.payload}->>'communeId' = ${communeId}`];
  if (beforeId !== null) conds.push(lt(outbox.id, beforeId));
  if (status && STATUS_FILTER[status]) conds.push(STATUS_FILTER[status]!);
  return (
    db
      .select()
      .from(outbox)
      .where(and(...conds))
      // NULLS LAST as in outbox_commune_log_idx: plain DESC (nulls first) cannot use that index, and
      // PostgreSQL walked the whole outbox backwards instead (10 ms → 0,1 ms on a province).
      .orderBy(sql`${outbox.id} desc nulls last`)
      .limit(limit + 1)
  );
}

export async function alertsFor(db: Executor, communeId: string, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, ALERT_ACTION),
        or(sql`${auditEvents.data}->>'communeId' = ${communeId}`, sql`${auditEvents.data}->>'communeId' is null`),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

export async function unitById(db: Executor, id: string) {
  const [u] = await db.select().from(adminUnits).where(eq(adminUnits.id, id)).limit(1);
  return u ?? null;
}

export async function unitPaths(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: adminUnits.id, path: adminUnits.path }).from(adminUnits).where(inArray(adminUnits.id, ids));
}

export async function latestCampaign(db: Executor, communeId: string) {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(eq(campaigns.communeId, communeId))
    .orderBy(desc(campaigns.year))
    .limit(1);
  return c ?? null;
}

export async function hasDecision(db: Executor, campaignId: string, subjectType: 'household') {
  const [d] = await db
    .select({ id: decisions.id })
    .from(decisions)
    .where(and(eq(decisions.campaignId, campaignId), eq(decisions.subjectType, subjectType)))
    .limit(1);
  return !!d;
}

export async function groupsOfCommune(db: Executor, communeId: string) {
  return db
    .select({
      unitId: zaloGroups.unitId,
      groupId: zaloGroups.groupId,
      name: zaloGroups.name,
      status: zaloGroups.status,
      updatedAt: zaloGroups.updatedAt,
    })
    .from(zaloGroups)
    .innerJoin(adminUnits, eq(adminUnits.id, zaloGroups.unitId))
    .where(or(eq(adminUnits.id, communeId), eq(adminUnits.parentId, communeId)))
    .orderBy(adminUnits.name);
}

export async function upsertGroup(
  db: Executor,
  v: { unitId: string; groupId: string; name: string; status: 'active' | 'disabled'; at: Date },
) {
  const [row] = await db
    .insert(zaloGroups)
    .values({ unitId: v.unitId, groupId: v.groupId, name: v.name, status: v.status, updatedAt: v.at })
    .onConflictDoUpdate({
      target: zaloGroups.unitId,
      set: { groupId: v.groupId, name: v.name, status: v.status, updatedAt: v.at },
    })
    .returning();
  return row!;
}
