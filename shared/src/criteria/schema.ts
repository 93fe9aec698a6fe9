import { z } from 'zod';
import { MemberShareKeySchema, SubjectTypeSchema } from './subject-types.ts';

/*
 * The criteria model as data. Everything a commune or province may adapt (points, thresholds,
 * bands, prerequisite shares) lives here, never in code. Objects are strict so a typo in a
 * hand-written province JSON ("maxPoint") is reported instead of silently ignored.
 *
 * These schemas check shape only. Rules that relate several values (duplicate codes, floor above
 * max, bands with gaps, …) are in validate.ts; always go through parseCriteriaSet().
 */

/** Codes key answers and reasons ("1.1", "N1", "TC2.3"): short, no spaces. */
export const CodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'Mã chỉ được gồm chữ, số, dấu chấm, gạch ngang (tối đa 32 ký tự)');

/** Set ids are stable slugs used in URLs and stored with every assessment. */
export const SetIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Mã bộ tiêu chí chỉ gồm chữ thường, số và dấu gạch ngang')
  .max(64);

const TextSchema = z.string().trim().min(1);

export const PROVENANCE_STATUSES = ['official', 'provisional'] as const;
export const ProvenanceStatusSchema = z.enum(PROVENANCE_STATUSES);
export type ProvenanceStatus = z.infer<typeof ProvenanceStatusSchema>;

/**
 * Where a value comes from. `official` = read in the issuing document (or a faithful report of
 * it, said in `note`); `provisional` = completed or inferred by us so the system is usable, to be
 * replaced when the official text is obtained. The UI shows provisional values as such.
 */
export const ProvenanceSchema = z.strictObject({
  status: ProvenanceStatusSchema,
  /** Ids of entries in the set's `sources`. */
  sources: z.array(CodeSchema),
  note: TextSchema.optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const SourceSchema = z.strictObject({
  id: CodeSchema,
  /** The document as cited, e.g. "QĐ 448/QĐ-KHVN (bản đăng lại của Hội Khuyến học Yên Bái)". */
  document: TextSchema,
  url: z.url().optional(),
  note: TextSchema.optional(),
});
export type Source = z.infer<typeof SourceSchema>;

/**
 * Photos required before points above 0 count as substantiated. Claiming 0 points needs no proof,
 * so the rule only applies when the indicator is scored above 0. The rule is app configuration
 * (no published text prescribes evidence), which is why it carries no provenance of its own.
 */
export const EvidenceRuleSchema = z.strictObject({
  minPhotos: z.number().int().min(0).max(20),
  /** What to photograph, shown next to the upload button: "Ảnh giấy khen của con". */
  hint: TextSchema.optional(),
  /**
   * May last year's photos of this indicator be reused in a new campaign after the household
   * confirms they are still true (carry-over, docs/transparency.md §6)? Default true; false where
   * the proof is about the year itself (this year's school report, this year's title).
   */
  carryOver: z.boolean().optional(),
});
export type EvidenceRule = z.infer<typeof EvidenceRuleSchema>;

export const INDICATOR_KINDS = ['points', 'condition'] as const;

export const IndicatorSchema = z.strictObject({
  code: CodeSchema,
  /**
   * `points` (default): scored 0..maxPoints and summed into the total.
   * `condition`: met / not met, answered as 1 / 0, never part of the total; used by
   * all-conditions-met and level-based rules. A condition has maxPoints 1 and no step or floor.
   */
  kind: z.enum(INDICATOR_KINDS).optional(),
  text: TextSchema,
  guidance: TextSchema.optional(),
  maxPoints: z.number().positive().max(1000),
  /** Points must be a multiple of `step` (default 1). Mutually exclusive with allowedPoints. */
  step: z.number().positive().optional(),
  /** Explicit list of allowed points, ascending, ending at maxPoints (e.g. [0, 5, 10]). */
  allowedPoints: z.array(z.number().min(0)).min(1).optional(),
  /** Hard floor: scoring below it fails the title whatever the total. */
  floor: z.number().min(0).optional(),
  evidence: EvidenceRuleSchema.optional(),
  /** Subject groups this indicator applies to (codes from the set's subjectGroups); absent = all. */
  groups: z.array(CodeSchema).min(1).optional(),
  /** For level-based sets: the lowest level that requires this indicator. */
  level: z.number().int().min(1).optional(),
  provenance: ProvenanceSchema,
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const CriterionSchema = z.strictObject({
  code: CodeSchema,
  title: TextSchema,
  guidance: TextSchema.optional(),
  /** Published maximum of the criterion; when given it must equal the sum of its indicators. */
  maxPoints: z.number().positive().optional(),
  indicators: z.array(IndicatorSchema).min(1),
  provenance: ProvenanceSchema,
});
export type Criterion = z.infer<typeof CriterionSchema>;

/** A subject group with its own form (Công dân học tập: nông dân, công nhân, …). */
export const SubjectGroupSchema = z.strictObject({
  code: CodeSchema,
  label: TextSchema,
  provenance: ProvenanceSchema,
});
export type SubjectGroup = z.infer<typeof SubjectGroupSchema>;

/**
 * A band of totals, bounds written exactly as the text says: TT 22/2020 "Khá: từ 70 đến dưới 85"
 * is { min: 70, minInclusive: true, max: 85, maxInclusive: false }.
 */
export const BandSchema = z.strictObject({
  code: CodeSchema,
  label: TextSchema,
  min: z.number().min(0),
  minInclusive: z.boolean(),
  max: z.number().min(0),
  maxInclusive: z.boolean(),
  /** Whether a total in this band earns the title. */
  passes: z.boolean(),
});
export type Band = z.infer<typeof BandSchema>;

export const LevelSchema = z.strictObject({
  level: z.number().int().min(1),
  code: CodeSchema,
  label: TextSchema,
});
export type Level = z.infer<typeof LevelSchema>;

export const HonourSchema = z.strictObject({ code: CodeSchema, label: TextSchema });
export type Honour = z.infer<typeof HonourSchema>;

export const RatingRuleSchema = z.discriminatedUnion('type', [
  /** Total of point indicators must reach minTotal ("từ 80 điểm trở lên": inclusive). */
  z.strictObject({ type: z.literal('threshold'), minTotal: z.number().min(0), provenance: ProvenanceSchema }),
  /** No point indicator below minPoints ("không có chỉ số nào dưới 5 điểm"). */
  z.strictObject({ type: z.literal('indicatorFloor'), minPoints: z.number().positive(), provenance: ProvenanceSchema }),
  /** Classification of the total; the title is earned in bands with passes: true. */
  z.strictObject({ type: z.literal('bands'), bands: z.array(BandSchema).min(2), provenance: ProvenanceSchema }),
  /** Every condition indicator must be met. */
  z.strictObject({ type: z.literal('allConditionsMet'), provenance: ProvenanceSchema }),
  /** Level L is reached when every indicator of level ≤ L is met (full points); the title needs level 1. */
  z.strictObject({ type: z.literal('levels'), levels: z.array(LevelSchema).min(1), provenance: ProvenanceSchema }),
  /** Holding the title `years` years in a row (this one included) earns an honour. */
  z.strictObject({
    type: z.literal('consecutiveYears'),
    years: z.number().int().min(2).max(50),
    honour: HonourSchema,
    provenance: ProvenanceSchema,
  }),
]);
export type RatingRule = z.infer<typeof RatingRuleSchema>;
export type RatingRuleType = RatingRule['type'];

/**
 * A condition on other subjects in the same campaign year, e.g. a clan needs at least 50 % of
 * its member households recognised GĐHT. minShare is a fraction in 0..1 with at most 6 decimals
 * so it can be compared exactly as a rational number.
 */
export const PrerequisiteSchema = z.strictObject({
  type: z.literal('memberShare'),
  code: CodeSchema,
  share: MemberShareKeySchema,
  minShare: z.number(),
  /** gte: "từ 50% trở lên"; gt: "trên 50%". */
  comparison: z.enum(['gte', 'gt']),
  text: TextSchema,
  provenance: ProvenanceSchema,
});
export type Prerequisite = z.infer<typeof PrerequisiteSchema>;

/** A province's or commune's adapted version of another set. */
export const OverrideSchema = z.strictObject({
  of: SetIdSchema,
  scope: z.enum(['province', 'commune']),
  unitName: TextSchema,
  unitCode: TextSchema.optional(),
});
export type Override = z.infer<typeof OverrideSchema>;

export const CriteriaSetSchema = z.strictObject({
  /** Optional pointer for editors (JSON Schema); ignored by the engine. */
  $schema: z.string().optional(),
  id: SetIdSchema,
  title: TextSchema,
  subjectType: SubjectTypeSchema,
  /** Revision of this set's data; a changed set gets a new id (sets are immutable once used). */
  version: z.number().int().min(1),
  /** Year of the underlying decision. */
  year: z.number().int().min(1990).max(2100),
  issuer: TextSchema,
  decisionNumber: TextSchema,
  decisionDate: z.iso.date().optional(),
  effectiveFrom: z.iso.date().optional(),
  override: OverrideSchema.optional(),
  sources: z.array(SourceSchema).min(1),
  /** Provenance of the set as a whole (its existence, number, issuer). */
  provenance: ProvenanceSchema,
  notes: TextSchema.optional(),
  subjectGroups: z.array(SubjectGroupSchema).min(1).optional(),
  criteria: z.array(CriterionSchema).min(1),
  ratingRules: z.array(RatingRuleSchema).min(1),
  prerequisites: z.array(PrerequisiteSchema).optional(),
});
export type CriteriaSet = z.infer<typeof CriteriaSetSchema>;

/** One answer per indicator code. null / missing points = not answered yet (a draft). */
export const AnswerSchema = z.strictObject({
  points: z.number().nullable(),
  evidenceCount: z.number().int().min(0).optional(),
});
export type Answer = z.infer<typeof AnswerSchema>;
export const AnswersSchema = z.record(z.string(), AnswerSchema);
export type Answers = Readonly<Record<string, Answer | undefined>>;
