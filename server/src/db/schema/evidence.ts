import { sql } from 'drizzle-orm';
import { EVIDENCE_STATES } from '@hoctap/shared/api';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export { EVIDENCE_STATES, type EvidenceState } from '@hoctap/shared/api';

export interface NearDuplicateRef {
  evidenceId: string;
  distance: number;
  /** Same original bytes (sha256), not just a similar picture. */
  exact?: boolean;
}

/**
 * Photo evidence per indicator, and at the same time the durable queue of photo processing.
 *
 * An upload stores the ORIGINAL bytes (blob `original_key`) and inserts the row as `processing`;
 * a worker claims it (lease_until/lease_token, FOR UPDATE SKIP LOCKED on PostgreSQL), writes the
 * re-encoded image and thumbnail (content-addressed `image_key`/`thumb_key`, known from the
 * sha256 at upload time) and only then flips the row to `ready` and drops the original. Nothing
 * is served until `ready`. A crash leaves the row `processing`: the next claim after the lease
 * picks it up again.
 */
export const evidence = pgTable(
  'evidence',
  {
    id: uuid('id').primaryKey(),
    assessmentId: uuid('assessment_id').notNull(),
    indicatorCode: text('indicator_code').notNull(),
    communeId: uuid('commune_id').notNull(),
    /** Of the ORIGINAL upload: the exact-copy key. */
    sha256: text('sha256').notNull(),
    /** Rows inserted by other code paths (seeds, imports) are already processed. */
    state: text('state', { enum: EVIDENCE_STATES }).notNull().default('ready'),
    /** Vietnamese, shown to the household when state = failed. */
    failureReason: text('failure_reason'),
    /** The original upload while it waits for processing; null once processed. */
    originalKey: text('original_key'),
    /** Sniffed type of the original (image/jpeg, image/png, image/webp). */
    mime: text('mime'),
    imageKey: text('image_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    /** Of the stored (re-encoded) image; null while processing. */
    bytes: integer('bytes'),
    width: integer('width'),
    height: integer('height'),
    capturedAt: ts('captured_at'),
    /**
     * Whether the original carried GPS coordinates. The coordinates themselves are never stored
     * (the consent text promises the location is removed); the verifier only sees this yes/no.
     */
    hasLocation: boolean('has_location').notNull().default(false),
    phash: bigint('phash', { mode: 'bigint' }),
    /**
     * The 64-bit pHash cut into four 16-bit bands (unsigned). Two hashes within Hamming distance 8
     * share a band within distance 2 (pigeonhole), so near-duplicate candidates come from four
     * index lookups instead of a scan of the commune (see evidence/perceptual-hash.ts).
     */
    phashB0: integer('phash_b0'),
    phashB1: integer('phash_b1'),
    phashB2: integer('phash_b2'),
    phashB3: integer('phash_b3'),
    /** Similar or identical photos found when this one was processed, in the same commune. */
    nearDuplicates: jsonb('near_duplicates').$type<NearDuplicateRef[]>().notNull().default([]),
    /** Claims so far (a photo that keeps killing its worker is failed after a few). */
    attempts: smallint('attempts').notNull().default(0),
    leaseUntil: ts('lease_until'),
    leaseToken: uuid('lease_token'),
    /**
     * Carry-over (docs/transparency.md §6): this row links last year's processed photo (same
     * content-addressed image/thumb blobs, no bytes copied) after the household confirmed it is
     * still true. The source row, and the campaign year it was taken for (shown to the verifier).
     */
    reusedFromEvidenceId: uuid('reused_from_evidence_id'),
    reusedFromYear: smallint('reused_from_year'),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: ts('created_at').notNull(),
    processedAt: ts('processed_at'),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    index('evidence_assessment_idx').on(t.assessmentId, t.indicatorCode),
    index('evidence_commune_sha_idx').on(t.communeId, t.sha256),
    // The queue: only rows waiting for processing are in it, so claims and the backlog count stay
    // small whatever the size of the table.
    index('evidence_queue_idx')
      .on(t.createdAt)
      .where(sql`state = 'processing' and deleted_at is null`),
    // A photo is linked into an assessment once (re-posting a carry-over adds nothing).
    uniqueIndex('evidence_reused_uq')
      .on(t.assessmentId, t.reusedFromEvidenceId)
      .where(sql`reused_from_evidence_id is not null and deleted_at is null`),
    index('evidence_phash_b0_idx')
      .on(t.communeId, t.phashB0)
      .where(sql`deleted_at is null`),
    index('evidence_phash_b1_idx')
      .on(t.communeId, t.phashB1)
      .where(sql`deleted_at is null`),
    index('evidence_phash_b2_idx')
      .on(t.communeId, t.phashB2)
      .where(sql`deleted_at is null`),
    index('evidence_phash_b3_idx')
      .on(t.communeId, t.phashB3)
      .where(sql`deleted_at is null`),
  ],
);
