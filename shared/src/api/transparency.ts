import { z } from 'zod';
import { subjectTypeSchema } from './workflow.ts';

/**
 * Transparency: certificates anyone can verify, public posting (niêm yết) of the proposed lists
 * with residents' objections.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({ offset: true });

// ── Certificate verification ────────────────────────────────────────────────────────────────

/** Anything up to 64 characters: what is not a code is simply unknown (same answer as a wrong one). */
export const verifyParamsSchema = z.strictObject({ code: z.string().max(64) });

/** Exactly what the certificate prints about its subject, and whether the decision still stands. */
export const certificateVerificationSchema = z.object({
  status: z.enum(['genuine', 'revoked']),
  subjectType: subjectTypeSchema,
  /** "Gia đình học tập" … */
  title: z.string(),
  year: z.number().int(),
  /** The name as printed (a household: its head's name). */
  subjectName: z.string(),
  /** "Xã Mỹ An". */
  communeName: z.string(),
  decisionNumber: z.string(),
  /** yyyy-mm-dd */
  decidedOn: z.string(),
});
export type CertificateVerificationDto = z.infer<typeof certificateVerificationSchema>;

export const decisionRevokeSchema = z.strictObject({ reason: text(1000) });
export const decisionRevokedSchema = z.object({ id: z.uuid(), revokedAt: z.string(), reason: z.string() });

// ── Posting and objections ──────────────────────────────────────────────────────────────────

export const postingCreateSchema = z.strictObject({
  campaignId: z.uuid(),
  hamletId: z.uuid(),
  subjectType: subjectTypeSchema,
  /** Default: now. */
  startsAt: isoDateTime.optional(),
  /** Default: the campaign's `postingDays` setting after the start, else 5 days. */
  endsAt: isoDateTime.optional(),
});

export const postingSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  hamletId: z.uuid(),
  hamletName: z.string(),
  subjectType: subjectTypeSchema,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The window is running now. */
  open: z.boolean(),
  /** Unresolved objections and comments; null for residents (the queue is the officer's). */
  unresolved: z.number().int().nullable(),
});
export type PostingDto = z.infer<typeof postingSchema>;

export const postingListQuerySchema = z.strictObject({ campaignId: z.uuid().optional() });
export const postingListSchema = z.object({ items: z.array(postingSchema) });

export const OBJECTION_KINDS = ['objection', 'comment'] as const;
export const OBJECTION_STATUSES = ['open', 'kept', 'removed'] as const;
export const OBJECTION_REASON_MIN = 10;
export const OBJECTION_REASON_MAX = 1000;

export const myObjectionSchema = z.object({
  id: z.uuid(),
  kind: z.enum(OBJECTION_KINDS),
  status: z.enum(OBJECTION_STATUSES),
  resolution: z.string().nullable(),
});

/** One entry of a posted list: the name and the title, never points, photos, phone or address. */
export const postingEntrySchema = z.object({
  assessmentId: z.uuid(),
  subjectName: z.string(),
  subjectType: subjectTypeSchema,
  /** The caller's own objections about this entry (newest first). */
  mine: z.array(myObjectionSchema),
});
export const postingDetailSchema = postingSchema.extend({ entries: z.array(postingEntrySchema) });
export type PostingDetailDto = z.infer<typeof postingDetailSchema>;

export const objectionCreateSchema = z.strictObject({
  assessmentId: z.uuid(),
  kind: z.enum(OBJECTION_KINDS),
  reason: z.string().trim().min(OBJECTION_REASON_MIN).max(OBJECTION_REASON_MAX),
});

export const objectionQuerySchema = z.strictObject({
  campaignId: z.uuid(),
  status: z.enum(OBJECTION_STATUSES).optional(),
});

/** The officer's queue: the objection with the entry's record. */
export const objectionSchema = z.object({
  id: z.uuid(),
  postingId: z.uuid(),
  hamletId: z.uuid(),
  hamletName: z.string(),
  assessmentId: z.uuid(),
  subjectName: z.string(),
  subjectType: subjectTypeSchema,
  assessmentState: z.string(),
  verifiedTotal: z.number().nullable(),
  kind: z.enum(OBJECTION_KINDS),
  reason: z.string(),
  authorName: z.string(),
  status: z.enum(OBJECTION_STATUSES),
  resolution: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type ObjectionDto = z.infer<typeof objectionSchema>;
export const objectionListSchema = z.object({ items: z.array(objectionSchema) });

export const objectionResolveSchema = z.strictObject({
  outcome: z.enum(['kept', 'removed']),
  reason: text(1000),
});
