import { TARGET_INDICATORS } from '@hoctap/shared/api';
import { doublePrecision, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// One list of target indicators, shared with the API schemas and the mini app.
export { TARGET_INDICATORS, type TargetIndicator } from '@hoctap/shared/api';

/**
 * Targets are data per unit and year (plan 415: 85/80/90/90 %, QĐ 387: 70/65/65/80 %).
 * A commune's own row wins over its province's, which wins over the built-in default.
 */
export const targets = pgTable(
  'targets',
  {
    unitId: uuid('unit_id').notNull(),
    year: smallint('year').notNull(),
    indicator: text('indicator', { enum: TARGET_INDICATORS }).notNull(),
    /** Share 0..1. */
    share: doublePrecision('share').notNull(),
    source: text('source').notNull().default(''),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.year, t.indicator] })],
);
