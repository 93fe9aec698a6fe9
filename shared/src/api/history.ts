import { z } from 'zod';
import { SubjectTypeSchema } from '../criteria/subject-types.ts';

/*
 * Years that build on each other (docs/transparency.md §3–§5): one subject's titles year by year,
 * and the commendation proposals drawn from them.
 */

export const subjectHistoryParamsSchema = z.object({ subjectType: SubjectTypeSchema, subjectId: z.uuid() });

/** recognised / not_recognised: decided; not_assessed: no decided assessment that year; in_progress: the year is still running. */
export const HISTORY_STATES = ['recognised', 'not_recognised', 'not_assessed', 'in_progress'] as const;
export const HistoryStateSchema = z.enum(HISTORY_STATES);
export type HistoryState = z.infer<typeof HistoryStateSchema>;

export const subjectHistorySchema = z
  .object({
    subjectType: SubjectTypeSchema,
    subjectId: z.uuid(),
    name: z.string(),
    /** Years in a row the title is held up to the latest decided year. */
    currentRun: z.number().int(),
    years: z.array(
      z.object({
        year: z.number().int(),
        campaignId: z.uuid(),
        /** The commune that ran that year's campaign (a predecessor before the 2025 merger). */
        communeName: z.string(),
        state: HistoryStateSchema,
        decision: z.object({ number: z.string(), decidedOn: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'SubjectHistory' });
export type SubjectHistoryDto = z.infer<typeof subjectHistorySchema>;

export const commendationsQuerySchema = z.object({
  /** Years in a row, this campaign's year included; default: the campaign's settings, the criteria set's rule, else 5. */
  years: z.coerce.number().int().min(2).max(50).optional(),
});

export const COMMENDATION_RULE_SOURCES = ['query', 'settings', 'criteria', 'default'] as const;

export const commendationsSchema = z
  .object({
    campaignId: z.uuid(),
    year: z.number().int(),
    communeName: z.string(),
    rules: z.array(
      z.object({
        subjectType: SubjectTypeSchema,
        years: z.number().int(),
        source: z.enum(COMMENDATION_RULE_SOURCES),
        /** The honour the criteria set names for the run (e.g. "Công dân học tập tiêu biểu xuất sắc"). */
        honour: z.string().nullable(),
      }),
    ),
    items: z.array(
      z.object({
        assessmentId: z.uuid(),
        subjectType: SubjectTypeSchema,
        subjectId: z.uuid(),
        name: z.string(),
        hamletName: z.string(),
        title: z.string(),
        honour: z.string().nullable(),
        consecutiveYears: z.number().int(),
        years: z.array(z.number().int()),
        /** This year's decision is not issued yet: the entry is "tạm thời". */
        provisional: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Commendations' });
export type CommendationsDto = z.infer<typeof commendationsSchema>;
