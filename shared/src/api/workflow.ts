import { z } from 'zod';
import { SUBJECT_TYPES } from '../criteria/subject-types.ts';
import { VerdictSchema } from '../criteria/score.ts';
import { TitleDecisionSchema } from '../criteria/evaluate.ts';
import { ASSESSMENT_STATES } from '../i18n/labels.ts';

/**
 * Workflow: criteria sets, campaigns, assessments (answers per layer, verification, review,
 * recognition decisions, appeals), evidence and the timeline. Request bodies are strict (no mass
 * assignment: state, totals, version, certificate numbers are never client-writable); response
 * schemas are the allow-list of what leaves the server.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({ offset: true });
export const subjectTypeSchema = z.enum(SUBJECT_TYPES);
export const assessmentStateSchema = z.enum(ASSESSMENT_STATES);
export const scoreLayerSchema = z.enum(['self', 'verifier', 'commune']);
export const indicatorCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/);
const points = z.number().min(0).max(1000);

// ---- criteria sets ---------------------------------------------------------------------------

export const criteriaSetSummarySchema = z.object({
  id: z.string(),
  subjectType: subjectTypeSchema,
  version: z.string(),
  title: z.string(),
  source: z.enum(['catalog', 'uploaded']),
  ownerUnitId: z.uuid().nullable(),
  /** Referenced by a campaign: immutable from then on. */
  inUse: z.boolean(),
  createdAt: z.string(),
});
export type CriteriaSetSummaryDto = z.infer<typeof criteriaSetSummarySchema>;
export const criteriaSetListSchema = z.object({ items: z.array(criteriaSetSummarySchema) });
export const criteriaSetListQuerySchema = z.strictObject({ subjectType: subjectTypeSchema.optional() });
export const criteriaSetDetailSchema = criteriaSetSummarySchema.extend({ body: z.record(z.string(), z.unknown()) });
export type CriteriaSetDetailDto = z.infer<typeof criteriaSetDetailSchema>;
export const criteriaSetIdParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });
export const criteriaSetGetQuerySchema = z.strictObject({ download: z.enum(['1', 'true']).optional() });
/** Upload: the set JSON itself is the body; the owner unit defaults to the officer's commune. */
export const criteriaSetUploadQuerySchema = z.strictObject({ ownerUnitId: z.uuid().optional() });
export const criteriaSetBodySchema = z.record(z.string(), z.unknown());

// ---- campaigns -------------------------------------------------------------------------------

export const campaignSettingsSchema = z.strictObject({
  /** Nobody verifies households of their own clan. */
  clanConflictCheck: z.boolean().optional(),
  /** Years in a row (this one included) that put a subject on the commendation proposal (docs/transparency.md §5). */
  commendationYears: z.number().int().min(2).max(50).optional(),
});

export const REOPEN_PHASES = ['selfAssessment', 'verification'] as const;
export const reopenPhaseSchema = z.enum(REOPEN_PHASES);

export const campaignSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid(),
  year: z.number().int(),
  title: z.string(),
  criteriaSetIds: z.partialRecord(subjectTypeSchema, z.string()),
  registrationOpensAt: z.string(),
  selfAssessmentDueAt: z.string(),
  verificationDueAt: z.string(),
  recognitionDueAt: z.string(),
  reportDueAt: z.string(),
  status: z.enum(['open', 'closed']),
  reopenedUntil: z.partialRecord(reopenPhaseSchema, z.string()),
  settings: z.object({ clanConflictCheck: z.boolean().optional(), commendationYears: z.number().int().optional() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignDto = z.infer<typeof campaignSchema>;
export const campaignListSchema = z.object({ items: z.array(campaignSchema) });
export const campaignListQuerySchema = z.strictObject({
  communeId: z.uuid().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

const milestones = {
  registrationOpensAt: isoDateTime,
  selfAssessmentDueAt: isoDateTime,
  verificationDueAt: isoDateTime,
  recognitionDueAt: isoDateTime,
  reportDueAt: isoDateTime,
};
export const campaignCreateSchema = z.strictObject({
  /** Optional client id so a retried create is idempotent. */
  id: z.uuid().optional(),
  communeId: z.uuid(),
  year: z.number().int().min(2000).max(2100),
  title: text(200),
  /** Defaults to the shipped catalog set of each subject type. */
  criteriaSetIds: z.partialRecord(subjectTypeSchema, z.string().min(1).max(64)).optional(),
  ...milestones,
  settings: campaignSettingsSchema.optional(),
});
export const campaignPatchSchema = z.strictObject({
  title: text(200).optional(),
  criteriaSetIds: z.partialRecord(subjectTypeSchema, z.string().min(1).max(64)).optional(),
  registrationOpensAt: isoDateTime.optional(),
  selfAssessmentDueAt: isoDateTime.optional(),
  verificationDueAt: isoDateTime.optional(),
  recognitionDueAt: isoDateTime.optional(),
  reportDueAt: isoDateTime.optional(),
  settings: campaignSettingsSchema.optional(),
});
export const campaignCloseSchema = z.strictObject({ reason: text(500).optional() });
export const campaignReopenSchema = z.strictObject({
  /** Reopen a phase whose milestone has passed (absent: only reopen a closed campaign). */
  phase: reopenPhaseSchema.optional(),
  until: isoDateTime.optional(),
  reason: text(500),
});

// ---- assessments -----------------------------------------------------------------------------

export const assessmentCreateSchema = z.strictObject({
  id: z.uuid(),
  campaignId: z.uuid(),
  subjectType: subjectTypeSchema,
  subjectId: z.uuid(),
  /** Công dân học tập: the subject group whose form applies. */
  subjectGroup: z.string().min(1).max(32).optional(),
});

export const assessmentSummarySchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  subjectType: subjectTypeSchema,
  subjectId: z.uuid(),
  subjectName: z.string(),
  communeId: z.uuid(),
  hamletId: z.uuid().nullable(),
  groupId: z.uuid().nullable(),
  criteriaSetId: z.string(),
  subjectGroup: z.string().nullable(),
  state: assessmentStateSchema,
  stateLabel: z.string(),
  version: z.number().int(),
  selfTotal: z.number().nullable(),
  verifiedTotal: z.number().nullable(),
  communeTotal: z.number().nullable(),
  /** Outcome of the stored verdict: pass | fail | incomplete | recognised | not_recognised. */
  outcome: z.string().nullable(),
  submittedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  certificateNo: z.string().nullable(),
  updatedAt: z.string(),
});
export type AssessmentSummaryDto = z.infer<typeof assessmentSummarySchema>;

/**
 * What an assessment stores as its verdict: the engine's score verdict (outcome pass | fail |
 * incomplete) until the commune decides, then the title decision (recognised | not_recognised).
 */
export const storedVerdictSchema = z.union([VerdictSchema, TitleDecisionSchema]);
export type StoredVerdict = z.infer<typeof storedVerdictSchema>;

/** Answer of submit and verify: the new summary with the verdict just computed. */
export const assessmentWithVerdictSchema = assessmentSummarySchema.extend({ verdict: storedVerdictSchema });
export type AssessmentWithVerdictDto = z.infer<typeof assessmentWithVerdictSchema>;

export const answerSchema = z.object({
  indicatorCode: z.string(),
  points: z.number().nullable(),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  updatedAt: z.string(),
});
export type AnswerDto = z.infer<typeof answerSchema>;

export const nearDuplicateSchema = z.object({
  evidenceId: z.uuid(),
  distance: z.number().int(),
  /** The very same file (same bytes), not just a similar picture. */
  exact: z.boolean().optional(),
});
export const EVIDENCE_STATES = ['processing', 'ready', 'failed'] as const;
export const evidenceStateSchema = z.enum(EVIDENCE_STATES);
export type EvidenceState = z.infer<typeof evidenceStateSchema>;
/** What a person reads for each state (the mini app shows "Đang xử lý" until the photo is ready). */
export const EVIDENCE_STATE_LABELS: Readonly<Record<EvidenceState, string>> = {
  processing: 'Đang xử lý',
  ready: 'Đã xử lý',
  failed: 'Ảnh lỗi',
};
export const evidenceSchema = z.object({
  id: z.uuid(),
  assessmentId: z.uuid(),
  indicatorCode: z.string(),
  /**
   * `processing` right after the upload: the photo is stored but not yet re-encoded, and its image
   * and thumbnail answer 409 until it is `ready`. `failed`: see `failureReason` (Vietnamese).
   */
  state: evidenceStateSchema,
  failureReason: z.string().nullable(),
  /** Of the stored image; null while processing. */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  capturedAt: z.string().nullable(),
  /** The original carried GPS coordinates. They are removed and never stored or shown. */
  hasLocation: z.boolean(),
  nearDuplicates: z.array(nearDuplicateSchema),
  createdAt: z.string(),
  /** Upload answer only: the same photo was already attached to this indicator. */
  deduplicated: z.boolean().optional(),
  /**
   * Set when the photo was carried over from an earlier campaign (the household confirmed it is
   * still true): the year it was taken for. The verifier sees "Ảnh năm <year>".
   */
  reusedFromYear: z.number().int().optional(),
});
export type EvidenceDto = z.infer<typeof evidenceSchema>;

export const commentSchema = z.object({
  id: z.uuid(),
  indicatorCode: z.string().nullable(),
  authorId: z.uuid(),
  body: z.string(),
  createdAt: z.string(),
});
export type CommentDto = z.infer<typeof commentSchema>;

export const assessmentDetailSchema = assessmentSummarySchema.extend({
  /** The engine's stored verdict (score verdict, or the title decision once decided). */
  verdict: storedVerdictSchema.nullable(),
  layers: z.object({ self: z.array(answerSchema), verifier: z.array(answerSchema), commune: z.array(answerSchema) }),
  evidence: z.array(evidenceSchema),
  comments: z.array(commentSchema),
  decision: z.object({ id: z.uuid(), number: z.string(), decidedOn: z.string() }).nullable(),
});
export type AssessmentDetailDto = z.infer<typeof assessmentDetailSchema>;

export const assessmentListQuerySchema = z.strictObject({
  campaignId: z.uuid().optional(),
  subjectType: subjectTypeSchema.optional(),
  /** Commune, hamlet or tổ: narrows to subjects located there. */
  unitId: z.uuid().optional(),
  state: assessmentStateSchema.optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const assessmentListSchema = z.object({
  items: z.array(assessmentSummarySchema),
  nextCursor: z.string().nullable(),
});

export const answerParamsSchema = z.strictObject({ id: z.uuid(), indicatorCode: indicatorCodeSchema });
export const answerPutSchema = z.strictObject({ points, note: z.string().trim().max(1000).optional() });
export const answerPutResultSchema = z.object({
  answer: answerSchema,
  version: z.number().int(),
  /** Live verdict of the self layer after this change (same engine as the mini app). */
  verdict: VerdictSchema,
  selfTotal: z.number(),
  changed: z.boolean(),
});

export const verifyBodySchema = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        indicatorCode: indicatorCodeSchema,
        points,
        reason: z.string().trim().min(1).max(1000).optional(),
      }),
    )
    .max(200),
  comment: z.string().trim().min(1).max(2000).optional(),
  /** Optimistic lock: the version the verifier looked at (defaults to the current one). */
  version: z.number().int().optional(),
});
export const returnBodySchema = z.strictObject({
  items: z
    .array(z.strictObject({ indicatorCode: indicatorCodeSchema, comment: text(2000) }))
    .min(1)
    .max(200),
  comment: z.string().trim().min(1).max(2000).optional(),
  version: z.number().int().optional(),
});
export const versionBodySchema = z.strictObject({ version: z.number().int().optional() });
export const withdrawBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(1000).optional(),
  version: z.number().int().optional(),
});
export const appealBodySchema = z.strictObject({ reason: text(2000) });
export const appealResolveSchema = z.strictObject({
  /** accepted: the commune re-scores (optional answers) and the assessment goes back to verified. */
  outcome: z.enum(['accepted', 'rejected']),
  reason: text(2000),
  answers: z
    .array(z.strictObject({ indicatorCode: indicatorCodeSchema, points }))
    .max(200)
    .optional(),
});
export const commentCreateSchema = z.strictObject({ indicatorCode: indicatorCodeSchema.optional(), body: text(2000) });
export const commentListSchema = z.object({ items: z.array(commentSchema) });

export const reviewBodySchema = z.strictObject({
  campaignId: z.uuid(),
  hamletId: z.uuid(),
  subjectType: subjectTypeSchema,
});
export const reviewResultSchema = z.object({ reviewed: z.number().int(), assessmentIds: z.array(z.uuid()) });

// ---- decisions -------------------------------------------------------------------------------

export const decisionCreateSchema = z.strictObject({
  subjectType: subjectTypeSchema,
  number: text(60),
  decidedOn: z.iso.date(),
  signer: text(200),
  signerTitle: text(200).optional(),
  /** Default: every reviewed assessment of that subject type in the campaign. */
  assessmentIds: z.array(z.uuid()).min(1).max(20000).optional(),
  /**
   * Issue the decision although a hamlet's posting window is still open or objections are
   * unresolved; the reason is recorded in the audit trail.
   */
  postingOverrideReason: text(1000).optional(),
});
export const decisionSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  subjectType: subjectTypeSchema,
  number: z.string(),
  decidedOn: z.string(),
  signer: z.string(),
  signerTitle: z.string(),
  recognisedCount: z.number().int(),
  notRecognisedCount: z.number().int(),
  createdAt: z.string(),
});
export type DecisionDto = z.infer<typeof decisionSchema>;
export const decisionResultSchema = decisionSchema.extend({
  results: z.array(
    z.object({
      assessmentId: z.uuid(),
      subjectName: z.string(),
      recognised: z.boolean(),
      certificateNo: z.string().nullable(),
      reasons: z.array(z.string()),
    }),
  ),
});
export const decisionListSchema = z.object({ items: z.array(decisionSchema) });

// ---- timeline --------------------------------------------------------------------------------

export const timelineEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  /** Vietnamese, e.g. "Đã nộp → Trả lại để bổ sung". */
  label: z.string(),
  actorId: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export const timelineSchema = z.object({ items: z.array(timelineEntrySchema) });

export const evidenceUploadQuerySchema = z.strictObject({ indicatorCode: indicatorCodeSchema });

/**
 * Carry-over (docs/transparency.md §6): what the subject's assessment of an earlier campaign can
 * give a new draft, indicator by indicator, and the confirmation that copies the chosen ones.
 */
export const carryOverIndicatorSchema = z.object({
  indicatorCode: z.string(),
  /** The indicator's text in this year's criteria set. */
  text: z.string(),
  points: z.number(),
  note: z.string().nullable(),
  /** Processed photos of last year for this indicator (reused only when `photoReusable`). */
  photos: z.array(z.object({ id: z.uuid(), width: z.number().int().nullable(), height: z.number().int().nullable() })),
  /** The criteria set lets last year's photos stand for this year (evidence.carryOver, default true). */
  photoReusable: z.boolean(),
  /** Already copied into this draft (same points, and every reusable photo linked). */
  carried: z.boolean(),
});
export const carryOverSchema = z.object({
  /** False when there is nothing to carry (no earlier assessment, or nothing matches this year's set). */
  available: z.boolean(),
  fromAssessmentId: z.uuid().nullable(),
  fromYear: z.number().int().nullable(),
  /** This draft still has no answers (the mini app offers carry-over only then). */
  draftEmpty: z.boolean(),
  indicators: z.array(carryOverIndicatorSchema),
});
export type CarryOverDto = z.infer<typeof carryOverSchema>;
export const carryOverBodySchema = z.strictObject({
  /** The indicators the household confirmed "vẫn đúng năm nay". */
  indicators: z.array(indicatorCodeSchema).min(1).max(200),
});
export const carryOverResultSchema = z.object({
  carried: z.array(z.string()),
  answersCopied: z.number().int(),
  photosLinked: z.number().int(),
  version: z.number().int(),
  verdict: VerdictSchema,
  selfTotal: z.number(),
});
export type CarryOverResultDto = z.infer<typeof carryOverResultSchema>;
