import { z } from 'zod';

/**
 * Notifications: my in-app inbox, the officers' log of what was sent (or, without Zalo, what
 * would have been sent), Zalo problems that need a human, share-sheet summaries for leaders, and
 * the unit → OA group chat mapping.
 */

const cursorQuery = {
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const inboxQuerySchema = z.strictObject({ ...cursorQuery, unreadOnly: z.enum(['true', 'false']).optional() });

export const inboxMessageSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** Path inside the mini app, e.g. /assessments/<id>?indicator=1.2 */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxMessageDto = z.infer<typeof inboxMessageSchema>;

export const inboxPageSchema = z.object({
  items: z.array(inboxMessageSchema),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

export const inboxReadSchema = z.object({ id: z.uuid(), readAt: z.string() });

/**
 * sent: Zalo accepted it · logged: Zalo not configured, only recorded · skipped: this channel
 * could not reach the person (next channel tried) · uncertain: Zalo never answered a send that
 * may have been delivered; a group message is looked for in the group later (nextAttemptAt) and
 * sent once more only if absent; otherwise it is not sent again (see lastError).
 */
export const messageStatusSchema = z.enum(['pending', 'sending', 'sent', 'logged', 'skipped', 'uncertain', 'dead']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const messageChannelSchema = z.enum(['gmf', 'miniapp', 'zbs']);

export const messageLogQuerySchema = z.strictObject({
  ...cursorQuery,
  communeId: z.uuid().optional(),
  status: messageStatusSchema.optional(),
});

export const messageLogItemSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  channel: messageChannelSchema,
  recipientLabel: z.string(),
  text: z.string(),
  status: messageStatusSchema,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type MessageLogItemDto = z.infer<typeof messageLogItemSchema>;

export const messageLogPageSchema = z.object({
  items: z.array(messageLogItemSchema),
  nextCursor: z.string().nullable(),
  /** True when no Zalo channel is configured: messages are only logged and put in the inbox. */
  demo: z.boolean(),
});

export const alertQuerySchema = z.strictObject({ communeId: z.uuid().optional(), limit: cursorQuery.limit });
export const alertSchema = z.object({ id: z.number().int(), at: z.string(), code: z.string(), reason: z.string() });
export const alertListSchema = z.object({ items: z.array(alertSchema) });

export const shareSummarySchema = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  campaignId: z.uuid().nullable(),
  /** Ready for openShareSheet: counts only, no personal data. */
  text: z.string(),
  link: z.string(),
});
export type ShareSummaryDto = z.infer<typeof shareSummarySchema>;

export const zaloGroupSchema = z.object({
  unitId: z.uuid(),
  groupId: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  updatedAt: z.string(),
});
export const zaloGroupListSchema = z.object({ items: z.array(zaloGroupSchema) });
export const zaloGroupQuerySchema = z.strictObject({ communeId: z.uuid() });
/** group_id as returned by GET /v3.0/oa/group/getgroupsofoa (not the id in oa.zalo.me URLs). */
export const zaloGroupPutSchema = z.strictObject({
  groupId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{6,64}$/),
  name: z.string().trim().min(1).max(200),
  status: z.enum(['active', 'disabled']).default('active'),
});
