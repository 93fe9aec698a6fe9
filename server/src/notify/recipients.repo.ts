import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { users, zaloGroups, zaloWebhookEvents } from '../db/schema/index.ts';

/** SQL the channels need to reach a recipient: the person's Zalo link, a unit's OA group. */

export async function personForSend(db: Executor, userId: string) {
  const [u] = await db
    .select({
      zaloId: users.zaloId,
      status: users.status,
      lastOpenedAt: users.lastOpenedAt,
      notificationsAllowed: users.notificationsAllowed,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return u ?? null;
}

export async function groupOfUnit(db: Executor, unitId: string) {
  const [g] = await db.select().from(zaloGroups).where(eq(zaloGroups.unitId, unitId)).limit(1);
  return g ?? null;
}

/**
 * ZBS by UID needs the OA-scoped user id (docs/zalo.md §6), which only OA webhooks reveal: follow
 * and user_send_* events carry it next to user_id_by_app. The latest one wins.
 */
export async function oaUserIdOf(db: Executor, zaloId: string): Promise<string | null> {
  const [row] = await db
    .select({
      id: sql<
        string | null
      >`coalesce(${zaloWebhookEvents.payload}->'follower'->>'id', ${zaloWebhookEvents.payload}->'sender'->>'id')`,
    })
    .from(zaloWebhookEvents)
    .where(
      and(
        sql`${zaloWebhookEvents.payload}->>'user_id_by_app' = ${zaloId}`,
        or(eq(zaloWebhookEvents.eventName, 'follow'), sql`${zaloWebhookEvents.eventName} like 'user_send_%'`),
      ),
    )
    .orderBy(desc(zaloWebhookEvents.receivedAt))
    .limit(1);
  return row?.id ?? null;
}
