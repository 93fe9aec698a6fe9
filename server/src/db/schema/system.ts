import { bigserial, jsonb, pgTable, text, timestamp, index } from 'drizzle-orm/pg-core';

/**
 * Append-only audit trail for every state and score change. Rows are never updated or deleted;
 * `actorId` is who acted and `onBehalfOf` is set in assisted mode (a leader acting for a household).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorId: text('actor_id'),
    onBehalfOf: text('on_behalf_of'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_events_entity_idx').on(t.entityType, t.entityId, t.id)],
);
