import { z } from 'zod';
import { SubjectTypeSchema } from '../criteria/subject-types.ts';

/*
 * Reports, targets and timeliness: what the mini app charts. Shares are 0..1 (the app formats
 * them as %), null when the denominator is 0. Every figure names its denominator: the registry
 * (all households, clans, hamlets, units, persons), never only those who submitted.
 */

export const TARGET_INDICATORS = [
  'households_gdht',
  'clans_dhht',
  'hamlets_cdht',
  'units_dvht',
  'workers_cdht',
  'unit_staff_cdht',
] as const;
export const TargetIndicatorSchema = z.enum(TARGET_INDICATORS);
export type TargetIndicator = z.infer<typeof TargetIndicatorSchema>;

export const TARGET_INDICATOR_LABELS: Readonly<Record<TargetIndicator, string>> = {
  households_gdht: 'Tỷ lệ hộ đạt Gia đình học tập',
  clans_dhht: 'Tỷ lệ dòng họ đạt Dòng họ học tập',
  hamlets_cdht: 'Tỷ lệ ấp/khóm đạt Cộng đồng học tập',
  units_dvht: 'Tỷ lệ đơn vị đạt Đơn vị học tập',
  workers_cdht: 'Tỷ lệ người lao động trong GĐHT/DHHT/CĐHT đạt Công dân học tập',
  unit_staff_cdht: 'Tỷ lệ cán bộ, người lao động trong ĐVHT đạt Công dân học tập',
};

/** Built-in target sets used when neither the commune nor its province set a value. */
export const TARGET_PRESETS = ['plan-415', 'qd-387'] as const;
export const TargetPresetSchema = z.enum(TARGET_PRESETS);
export type TargetPreset = z.infer<typeof TargetPresetSchema>;

/** Where an effective target came from: the commune's own row, its province's, or a preset. */
export const TargetSourceSchema = z.enum(['commune', 'province', 'default']);

export const targetValueSchema = z
  .object({
    indicator: TargetIndicatorSchema,
    label: z.string(),
    share: z.number().min(0).max(1),
    source: TargetSourceSchema,
    /** e.g. "Xã Mỹ Hòa, năm 2026", "Kế hoạch 415/KH-UBND (2024)". */
    sourceLabel: z.string(),
    /** The preset the defaults come from for this unit (also when a row overrides it). */
    preset: TargetPresetSchema,
    /** The national bar (QĐ 387) for comparison, whatever applies. */
    national: z.number(),
  })
  .meta({ id: 'TargetValue' });
export type TargetValue = z.infer<typeof targetValueSchema>;

export const targetsQuerySchema = z.object({
  unitId: z.uuid(),
  year: z.coerce.number().int().min(2000).max(2100),
});
export const targetsSchema = z
  .object({ unitId: z.uuid(), unitName: z.string(), year: z.number().int(), targets: z.array(targetValueSchema) })
  .meta({ id: 'Targets' });
export type TargetsDto = z.infer<typeof targetsSchema>;

/** PUT body: set (share 0..1) or clear (null → inherit again) indicators of this unit and year. */
export const targetsPutSchema = z.strictObject({
  targets: z
    .array(z.strictObject({ indicator: TargetIndicatorSchema, share: z.number().min(0).max(1).nullable() }))
    .min(1)
    .max(TARGET_INDICATORS.length),
});

/** snapshot: the registry kept when the campaign closed; registry_now: today's registry. */
export const DenominatorSourceSchema = z.enum(['snapshot', 'registry_now']);

export const reportUnitSchema = z.object({
  id: z.uuid(),
  level: z.enum(['province', 'commune', 'hamlet', 'group']),
  name: z.string(),
});

/** Counts of one title in one unit. */
export const titleFiguresSchema = z
  .object({
    subjectType: SubjectTypeSchema,
    title: z.string(),
    indicator: TargetIndicatorSchema,
    /** Denominator: every subject in the registry of the unit. */
    registryTotal: z.number().int(),
    registered: z.number().int(),
    submitted: z.number().int(),
    verified: z.number().int(),
    recognised: z.number().int(),
    share: z.number().nullable(),
    target: z.number().nullable(),
    targetSource: TargetSourceSchema.nullable(),
    /** target − share (≤ 0: met); null without a denominator or target. */
    gap: z.number().nullable(),
    /** How many more subjects must be recognised to reach the target. */
    missing: z.number().int().nullable(),
  })
  .meta({ id: 'TitleFigures' });
export type TitleFigures = z.infer<typeof titleFiguresSchema>;

/** CDHT among workers of recognised households/clans/hamlets, and staff of recognised units. */
export const cdhtShareSchema = z.object({
  indicator: z.enum(['workers_cdht', 'unit_staff_cdht']),
  label: z.string(),
  population: z.number().int(),
  holders: z.number().int(),
  share: z.number().nullable(),
  target: z.number().nullable(),
  targetSource: TargetSourceSchema.nullable(),
  gap: z.number().nullable(),
});

export const REPORTING_STATUSES = ['no_campaign', 'pending', 'overdue', 'decided', 'closed'] as const;

/**
 * Whether a commune has reported (province view): no campaign that year; open without a
 * recognition decision, before or after its report deadline; at least one decision; closed.
 */
export const communeReportingSchema = z
  .object({
    status: z.enum(REPORTING_STATUSES),
    reportDueAt: z.string().nullable(),
    decisions: z.number().int(),
    lastDecidedOn: z.string().nullable(),
  })
  .meta({ id: 'CommuneReporting' });
export type CommuneReporting = z.infer<typeof communeReportingSchema>;

export const summaryRowSchema = z.object({
  unit: reportUnitSchema,
  titles: z.array(titleFiguresSchema),
  /** Communes of a province only. */
  reporting: communeReportingSchema.optional(),
});

export const reportQuerySchema = z.object({ campaignId: z.uuid(), unitId: z.uuid() });

export const summarySchema = z
  .object({
    unit: reportUnitSchema,
    year: z.number().int(),
    /** The campaigns counted: one for a commune or hamlet, every commune's of that year for a province. */
    campaignIds: z.array(z.uuid()),
    titles: z.array(titleFiguresSchema),
    cdht: z.array(cdhtShareSchema),
    /** Hamlets of a commune, communes of a province; empty for a hamlet. */
    children: z.array(summaryRowSchema),
    targets: z.array(targetValueSchema),
    /** Where the denominators come from: the snapshot kept when the campaign closed, or today's registry. */
    denominator: DenominatorSourceSchema,
    generatedAt: z.string(),
  })
  .meta({ id: 'ReportSummary' });
export type SummaryDto = z.infer<typeof summarySchema>;

const durationStatsSchema = z.object({
  count: z.number().int(),
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});

export const timelinessSchema = z
  .object({
    unit: reportUnitSchema,
    campaignId: z.uuid(),
    selfAssessmentDueAt: z.string(),
    verificationDueAt: z.string(),
    asOf: z.string(),
    /** Reporter timeliness (DHIS2's reporting rate), per title: expected = registry. */
    submission: z.array(
      z.object({
        subjectType: SubjectTypeSchema,
        expected: z.number().int(),
        submitted: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int(),
        onTimeShare: z.number().nullable(),
      }),
    ),
    /** Reviewer timeliness: verifiedAt − submittedAt. */
    turnaround: durationStatsSchema,
    turnaroundByHamlet: z.array(z.object({ hamlet: reportUnitSchema }).extend(durationStatsSchema.shape)),
    /** Submitted, not yet verified, per tổ and its leaders. */
    queues: z.array(
      z.object({
        group: reportUnitSchema,
        hamletName: z.string(),
        leaders: z.array(z.string()),
        waiting: z.number().int(),
        overdue: z.number().int(),
        oldestWaitingHours: z.number().nullable(),
      }),
    ),
    /** Self-score vs verified score, per hamlet (households and other subjects with both). */
    scoreDifferences: z.array(
      z.object({
        hamlet: reportUnitSchema,
        count: z.number().int(),
        adjusted: z.number().int(),
        meanSelf: z.number().nullable(),
        meanVerified: z.number().nullable(),
        meanDifference: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'ReportTimeliness' });
export type TimelinessDto = z.infer<typeof timelinessSchema>;

export const historyQuerySchema = z.object({
  unitId: z.uuid(),
  /** Comma-separated years, e.g. "2023,2024,2025"; at most 10. */
  years: z
    .string()
    .regex(/^\d{4}(,\d{4}){0,9}$/)
    .transform((s) => [...new Set(s.split(',').map(Number))].sort((a, b) => a - b)),
});

export const historySchema = z
  .object({
    unit: reportUnitSchema,
    /** Units whose earlier campaigns roll up into this one (merged communes/provinces). */
    predecessors: z.array(reportUnitSchema),
    /**
     * A year whose campaigns all closed is divided by the registry as it was when they closed
     * (`snapshot`); other years by today's registry. `mixed` when the years differ.
     */
    denominator: z.enum(['snapshot', 'registry_now', 'mixed']),
    years: z.array(
      z.object({
        year: z.number().int(),
        campaignIds: z.array(z.uuid()),
        denominator: DenominatorSourceSchema,
        titles: z.array(titleFiguresSchema),
      }),
    ),
  })
  .meta({ id: 'ReportHistory' });
export type HistoryDto = z.infer<typeof historySchema>;

export const listsCsvQuerySchema = z.object({
  campaignId: z.uuid(),
  unitId: z.uuid(),
  subjectType: SubjectTypeSchema,
  state: z.string().max(40).optional(),
});

export const evidenceZipQuerySchema = z.object({ campaignId: z.uuid(), hamletId: z.uuid() });
