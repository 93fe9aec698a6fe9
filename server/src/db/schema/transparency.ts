import { sql } from 'drizzle-orm';
import { OBJECTION_KINDS, OBJECTION_STATUSES } from '@hoctap/shared/api';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SUBJECT_TYPES } from './workflow.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The verification code of one printed certificate: 26 characters of Crockford base32 (130 random
 * bits), minted when the decision recognises the subject. The public page reads the title, year,
 * name and decision through the assessment and the decision at lookup time, so an erasure or a
 * revocation shows there at once (docs/transparency.md §1).
 */
export const certificates = pgTable(
  'certificates',
  {
    code: text('code').primaryKey(),
    assessmentId: uuid('assessment_id').notNull(),
    decisionId: uuid('decision_id').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('certificates_assessment_decision_uq').on(t.assessmentId, t.decisionId),
    index('certificates_decision_idx').on(t.decisionId),
  ],
);

/**
 * A posting window (niêm yết công khai) of one hamlet's proposed list for one title. Residents of
 * the hamlet see the list between `starts_at` and `ends_at` and may object (docs/transparency.md §2).
 */
export const postings = pgTable(
  'postings',
  {
    id: uuid('id').primaryKey(),
    campaignId: uuid('campaign_id').notNull(),
    communeId: uuid('commune_id').notNull(),
    hamletId: uuid('hamlet_id').notNull(),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    openedBy: uuid('opened_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('postings_campaign_hamlet_type_uq').on(t.campaignId, t.hamletId, t.subjectType)],
);

/**
 * A resident's objection (or comment) about one entry of a posted list. One open objection per
 * person per entry (partial unique index); the officer resolves it as kept or removed, with a reason.
 */
export const objections = pgTable(
  'objections',
  {
    id: uuid('id').primaryKey(),
    postingId: uuid('posting_id').notNull(),
    assessmentId: uuid('assessment_id').notNull(),
    communeId: uuid('commune_id').notNull(),
    hamletId: uuid('hamlet_id').notNull(),
    authorId: uuid('author_id').notNull(),
    kind: text('kind', { enum: OBJECTION_KINDS }).notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: OBJECTION_STATUSES }).notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: ts('resolved_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('objections_one_open_uq')
      .on(t.assessmentId, t.authorId)
      .where(sql`status = 'open'`),
    index('objections_posting_idx').on(t.postingId, t.status),
    index('objections_commune_idx').on(t.communeId, t.status, t.createdAt),
  ],
);
