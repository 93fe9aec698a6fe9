import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Transactional outbox: written in the same transaction as the state change that causes it.
 * `dedupeKey` = event × channel × recipient, so a retried or replayed change enqueues once.
 */
export const outbox = pgTable(
  'notification_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    /** userId for personal channels, admin unit id for group channels. */
    recipient: text('recipient').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /**
     * reconcile: a group message whose send timed out after the request was written; looked at
     * again after a long delay (found in the group → sent, else sent once more). uncertain: the
     * outcome stays unknown and it is not sent again (shown to the officers).
     */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'reconcile', 'uncertain', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    // The officer's message log: one commune's messages, newest first (a province has ~100).
    index('outbox_commune_log_idx')
      .on(sql`(${t.payload}->>'communeId')`, t.id.desc())
      .where(sql`${t.channel} <> 'event'`),
  ],
);

/** In-app inbox: every personal message lands here, whatever else reaches Zalo. */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [uniqueIndex('inbox_dedupe_uq').on(t.dedupeKey), index('inbox_user_idx').on(t.userId, t.createdAt)],
);

/** OA-owned Zalo group chats (GMF) mapped to a hamlet or commune. */
export const zaloGroups = pgTable('zalo_groups', {
  unitId: uuid('unit_id').primaryKey(),
  groupId: text('group_id').notNull(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** OA tokens: the refresh token is single-use, so the new one is persisted before it is used. */
export const zaloTokens = pgTable('zalo_tokens', {
  id: text('id').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  expiresAt: ts('expires_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Inbound webhook events, deduplicated by Zalo's message/event id. */
export const zaloWebhookEvents = pgTable('zalo_webhook_events', {
  eventId: text('event_id').primaryKey(),
  eventName: text('event_name').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  receivedAt: ts('received_at').notNull(),
  processedAt: ts('processed_at'),
});
