import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CriteriaSet } from '@hoctap/shared';

/**
 * Criteria sets as loaded: the shipped catalog plus sets a province or commune uploads.
 * The body is the validated shared CriteriaSet; a set referenced by a campaign is immutable.
 */
export const criteriaSets = pgTable('criteria_sets', {
  id: text('id').primaryKey(),
  subjectType: text('subject_type').notNull(),
  version: text('version').notNull(),
  title: text('title').notNull(),
  body: jsonb('body').$type<CriteriaSet>().notNull(),
  source: text('source', { enum: ['catalog', 'uploaded'] }).notNull(),
  /** Province or commune that uploaded it; null for the national catalog. */
  ownerUnitId: uuid('owner_unit_id'),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
