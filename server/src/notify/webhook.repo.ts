import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { users, zaloGroups, zaloWebhookEvents } from '../db/schema/index.ts';

/** SQL of the inbound OA webhook: the stored events and the two facts they change. */
export function createWebhookRepo(db: Executor) {
  return {
    /** Stores an event once; false when Zalo sent it before (same event id). */
    async insertEvent(e: {
      eventId: string;
      eventName: string;
      payload: Record<string, unknown>;
      receivedAt: Date;
    }): Promise<boolean> {
      const inserted = await db
        .insert(zaloWebhookEvents)
        .values(e)
        .onConflictDoNothing()
        .returning({ eventId: zaloWebhookEvents.eventId });
      return inserted.length > 0;
    },

    async setFollowsOa(zaloId: string, followsOa: boolean, now: Date): Promise<void> {
      await db.update(users).set({ followsOa, updatedAt: now }).where(eq(users.zaloId, zaloId));
    },

    async disableGroup(groupId: string, now: Date): Promise<void> {
      await db.update(zaloGroups).set({ status: 'disabled', updatedAt: now }).where(eq(zaloGroups.groupId, groupId));
    },

    /** Oldest first, so events apply in the order Zalo sent them. */
    async pending(limit: number) {
      return db
        .select()
        .from(zaloWebhookEvents)
        .where(isNull(zaloWebhookEvents.processedAt))
        .orderBy(asc(zaloWebhookEvents.receivedAt))
        .limit(limit);
    },

    async markProcessed(eventId: string, now: Date): Promise<void> {
      await db
        .update(zaloWebhookEvents)
        .set({ processedAt: now })
        .where(and(eq(zaloWebhookEvents.eventId, eventId), isNull(zaloWebhookEvents.processedAt)));
    },
  };
}

export type WebhookRepo = ReturnType<typeof createWebhookRepo>;
