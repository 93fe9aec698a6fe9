import { z } from 'zod';
import {
  compile,
  isAllowedPoints,
  roundPoints,
  type CompiledRules,
  type CompiledSet,
  type CompiledView,
} from './compile.ts';
import { messages, ReasonSchema, summaries, type Reason } from './reasons.ts';
import type { Answers, CriteriaSet } from './schema.ts';
import type { SubjectType } from './subject-types.ts';

/*
 * score(): pure, deterministic, no I/O. Given a set and the answers so far it returns totals,
 * per-criterion sums, floor violations, missing evidence and a verdict that is meaningful for an
 * unfinished draft too (the household sees it live while filling in the form).
 *
 * Verdict semantics:
 * - `incomplete` while any applicable indicator is unanswered or invalid, or a photo is missing.
 *   Its reasons list what to add, plus the failures that remain even if every open indicator got
 *   full points (so "Chỉ số 2.1 dưới 5 điểm" shows up at once); `canStillPass` says whether the
 *   title is still reachable.
 * - `pass` / `fail` once complete, from the rating rules: every rule present must pass.
 * Invalid points are never clamped: they count 0 and carry a reason, so totals never exceed max.
 */

export const OUTCOMES = ['pass', 'fail', 'incomplete'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const VerdictSchema = z.object({
  outcome: OutcomeSchema,
  /** Whether the title is still reachable by completing the open items (= outcome pass when complete). */
  canStillPass: z.boolean(),
  band: z.object({ code: z.string(), label: z.string() }).optional(),
  level: z.object({ level: z.number(), code: z.string(), label: z.string() }).optional(),
  reasons: z.array(ReasonSchema),
  summary: z.string(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export type IndicatorStatus = 'answered' | 'unanswered' | 'invalid';

export interface IndicatorScore {
  code: string;
  criterionCode: string;
  isCondition: boolean;
  maxPoints: number;
  /** The points as answered when valid; null when unanswered or invalid. */
  points: number | null;
  status: IndicatorStatus;
  floor?: number;
  belowFloor: boolean;
  evidenceRequired: number;
  evidenceProvided: number;
  evidenceMissing: boolean;
}

export interface CriterionScore {
  code: string;
  title: string;
  /** Sum of valid points of the criterion's point indicators. */
  points: number;
  maxPoints: number;
  answered: number;
  indicators: number;
}

export interface FloorViolation {
  indicatorCode: string;
  points: number;
  floor: number;
}

export interface MissingEvidence {
  indicatorCode: string;
  required: number;
  provided: number;
  hint?: string;
}

export interface ScoreResult {
  setId: string;
  subjectType: SubjectType;
  group: string | null;
  /** Sum of valid points of applicable point indicators; never above maxTotal. */
  total: number;
  maxTotal: number;
  criteria: CriterionScore[];
  indicators: IndicatorScore[];
  unanswered: string[];
  invalid: string[];
  floorViolations: FloorViolation[];
  missingEvidence: MissingEvidence[];
  /** Answer codes that are not applicable indicators of this set/group (not scored). */
  ignoredAnswers: string[];
  verdict: Verdict;
}

export interface ScoreOptions {
  /** Subject group code for sets with per-group forms (Công dân học tập). */
  group?: string;
  /** Require photos as the evidence rules say (default true; false for e.g. an officer's re-score). */
  checkEvidence?: boolean;
}

interface RuleOutcome {
  passed: boolean;
  band: Verdict['band'];
  level: Verdict['level'];
  failures: Reason[];
}

/**
 * Applies the rating rules to one vector of points (index-aligned with view.indicators).
 * Called with the actual points, and for drafts with the best case (open items at maximum).
 */
function applyRules(
  view: CompiledView,
  rules: CompiledRules,
  points: ArrayLike<number>,
  total: number,
  bestCase: boolean,
): RuleOutcome {
  const failures: Reason[] = [];
  let band: Verdict['band'];
  let level: Verdict['level'];

  if (rules.threshold !== undefined && total < rules.threshold) {
    failures.push({ code: 'below_threshold', message: messages.belowThreshold(total, rules.threshold, bestCase) });
  }

  const inds = view.indicators;
  for (let i = 0; i < inds.length; i++) {
    const ci = inds[i]!;
    const p = points[i]!;
    if (ci.isCondition) {
      if (rules.allConditionsMet && p < ci.maxPoints) {
        failures.push({
          code: 'condition_not_met',
          indicatorCode: ci.code,
          message: messages.conditionNotMet(ci.code, ci.indicator.text),
        });
      }
    } else if (ci.floor !== undefined && p < ci.floor) {
      failures.push({
        code: 'below_floor',
        indicatorCode: ci.code,
        message: messages.belowFloor(ci.code, p, ci.floor),
      });
    }
  }

  if (rules.bands !== undefined) {
    const found = rules.bands.find((b) => inBand(b, total));
    if (found) {
      band = { code: found.code, label: found.label };
      if (!found.passes)
        failures.push({ code: 'band_not_passing', message: messages.bandNotPassing(found.label, total) });
    }
  }

  if (rules.levels !== undefined) {
    // Level L needs every indicator with level ≤ L at full points; levels are cumulative.
    for (const lv of rules.levels) {
      let met = true;
      for (let i = 0; i < inds.length; i++) {
        const ci = inds[i]!;
        if ((ci.indicator.level ?? 1) <= lv.level && points[i]! < ci.maxPoints) {
          met = false;
          break;
        }
      }
      if (!met) break;
      level = { level: lv.level, code: lv.code, label: lv.label };
    }
    if (level === undefined) {
      const first = rules.levels[0]!;
      for (let i = 0; i < inds.length; i++) {
        const ci = inds[i]!;
        if ((ci.indicator.level ?? 1) <= first.level && points[i]! < ci.maxPoints) {
          failures.push({
            code: 'level_not_met',
            indicatorCode: ci.code,
            message: messages.levelNotMet(ci.code, first.label),
          });
        }
      }
    }
  }

  return { passed: failures.length === 0, band, level, failures };
}

export function inBand(
  band: { min: number; minInclusive: boolean; max: number; maxInclusive: boolean },
  total: number,
): boolean {
  const aboveMin = band.minInclusive ? total >= band.min : total > band.min;
  const belowMax = band.maxInclusive ? total <= band.max : total < band.max;
  return aboveMin && belowMax;
}

/*
 * Scratch buffers reused across calls: score() is synchronous and never re-entered, and reusing
 * them keeps the garbage per call down when a report scores a whole commune at once.
 */
let scratch = {
  actual: new Float64Array(64),
  best: new Float64Array(64),
  criterionPoints: new Float64Array(16),
  criterionAnswered: new Int32Array(16),
};

function scratchFor(nIndicators: number, nCriteria: number): typeof scratch {
  if (scratch.actual.length < nIndicators || scratch.criterionPoints.length < nCriteria) {
    const n = Math.max(nIndicators, scratch.actual.length);
    const c = Math.max(nCriteria, scratch.criterionPoints.length);
    scratch = {
      actual: new Float64Array(n),
      best: new Float64Array(n),
      criterionPoints: new Float64Array(c),
      criterionAnswered: new Int32Array(c),
    };
  }
  scratch.criterionPoints.fill(0, 0, nCriteria);
  scratch.criterionAnswered.fill(0, 0, nCriteria);
  return scratch;
}

function selectView(compiled: CompiledSet, group: string | undefined): { view: CompiledView; reason?: Reason } {
  const neutral = compiled.views.get('')!;
  if (group !== undefined) {
    const view = compiled.views.get(group);
    if (view && group !== '') return { view };
    return { view: neutral, reason: { code: 'group_unknown', message: messages.groupUnknown(group) } };
  }
  if (compiled.hasGroupSpecificIndicators) {
    return { view: neutral, reason: { code: 'group_required', message: messages.groupRequired() } };
  }
  return { view: neutral };
}

export function score(set: CriteriaSet, answers: Answers, options: ScoreOptions = {}): ScoreResult {
  const compiled = compile(set);
  const checkEvidence = options.checkEvidence ?? true;
  const { view, reason: groupReason } = selectView(compiled, options.group);
  const inds = view.indicators;

  const nCriteria = compiled.criteria.length;
  const { actual, best, criterionPoints, criterionAnswered } = scratchFor(inds.length, nCriteria);
  const indicatorScores: IndicatorScore[] = [];
  const unanswered: string[] = [];
  const invalid: string[] = [];
  const floorViolations: FloorViolation[] = [];
  const missingEvidence: MissingEvidence[] = [];
  // Items the user must still act on, in form order.
  const openReasons: Reason[] = groupReason ? [groupReason] : [];
  let total = 0;
  let bestTotal = 0;
  let matched = 0;

  for (let i = 0; i < inds.length; i++) {
    const ci = inds[i]!;
    const answer = answers[ci.code];
    if (answer !== undefined) matched++;
    const raw = answer?.points;
    const evidenceProvided = answer?.evidenceCount ?? 0;
    let status: IndicatorStatus;
    let points: number | null = null;
    let belowFloor = false;
    let evidenceMissing = false;

    if (raw === null || raw === undefined) {
      status = 'unanswered';
      unanswered.push(ci.code);
      openReasons.push({
        code: 'unanswered',
        indicatorCode: ci.code,
        message: messages.unanswered(ci.code, ci.isCondition),
      });
    } else if (typeof raw === 'number' && Number.isFinite(raw) && raw > ci.maxPoints) {
      status = 'invalid';
      invalid.push(ci.code);
      openReasons.push({
        code: 'points_above_max',
        indicatorCode: ci.code,
        message: messages.pointsAboveMax(ci.code, raw, ci.maxPoints),
      });
    } else if (!isAllowedPoints(ci, raw)) {
      status = 'invalid';
      invalid.push(ci.code);
      openReasons.push({
        code: 'points_not_allowed',
        indicatorCode: ci.code,
        message: messages.pointsNotAllowed(ci.code, raw, ci.allowed, ci.step, ci.isCondition),
      });
    } else {
      status = 'answered';
      points = raw;
      criterionAnswered[ci.criterionIndex]!++;
      if (!ci.isCondition) criterionPoints[ci.criterionIndex]! += raw;
      if (ci.floor !== undefined && raw < ci.floor) {
        belowFloor = true;
        floorViolations.push({ indicatorCode: ci.code, points: raw, floor: ci.floor });
      }
      if (checkEvidence && ci.minPhotos > 0 && raw > 0 && evidenceProvided < ci.minPhotos) {
        evidenceMissing = true;
        const hint = ci.indicator.evidence?.hint;
        missingEvidence.push(
          hint === undefined
            ? { indicatorCode: ci.code, required: ci.minPhotos, provided: evidenceProvided }
            : { indicatorCode: ci.code, required: ci.minPhotos, provided: evidenceProvided, hint },
        );
        openReasons.push({
          code: 'evidence_missing',
          indicatorCode: ci.code,
          message: messages.evidenceMissing(ci.code, ci.minPhotos - evidenceProvided, hint),
        });
      }
    }

    actual[i] = points ?? 0;
    best[i] = points ?? ci.maxPoints;
    if (!ci.isCondition) {
      total += actual[i]!;
      bestTotal += best[i]!;
    }
    const s: IndicatorScore = {
      code: ci.code,
      criterionCode: ci.criterionCode,
      isCondition: ci.isCondition,
      maxPoints: ci.maxPoints,
      points,
      status,
      belowFloor,
      evidenceRequired: ci.minPhotos,
      evidenceProvided,
      evidenceMissing,
      // Always present (possibly undefined) so every result object has the same shape.
      floor: ci.floor,
    };
    indicatorScores.push(s);
  }

  total = roundPoints(total);
  bestTotal = roundPoints(bestTotal);

  // Usually every answer belongs to the form: count first, list only when some do not.
  const ignoredAnswers: string[] = [];
  const keys = Object.keys(answers);
  if (keys.length > matched) {
    for (const code of keys) if (!view.codes.has(code)) ignoredAnswers.push(code);
  }

  const criteria: CriterionScore[] = compiled.criteria.map((c, ci) => ({
    code: c.code,
    title: c.title,
    points: roundPoints(criterionPoints[ci]!),
    maxPoints: view.criterionMax[ci]!,
    answered: criterionAnswered[ci]!,
    indicators: view.criterionIndicatorCount[ci]!,
  }));

  let verdict: Verdict;
  if (openReasons.length === 0) {
    const r = applyRules(view, compiled.rules, actual, total, false);
    verdict = {
      outcome: r.passed ? 'pass' : 'fail',
      canStillPass: r.passed,
      reasons: r.failures,
      summary: r.passed
        ? summaries.pass(total, view.maxTotal, r.band?.label)
        : summaries.fail(total, view.maxTotal, r.failures.length),
    };
    if (r.band) verdict.band = r.band;
    if (r.level) verdict.level = r.level;
  } else {
    // Failures that survive the best case are definitive for these answers: show them now.
    const b = applyRules(view, compiled.rules, best, bestTotal, true);
    const canStillPass = b.passed && groupReason === undefined;
    verdict = {
      outcome: 'incomplete',
      canStillPass,
      reasons: [...openReasons, ...b.failures],
      summary: summaries.incomplete(openReasons.length, canStillPass),
    };
  }

  return {
    setId: set.id,
    subjectType: set.subjectType,
    group: view.group,
    total,
    maxTotal: view.maxTotal,
    criteria,
    indicators: indicatorScores,
    unanswered,
    invalid,
    floorViolations,
    missingEvidence,
    ignoredAnswers,
    verdict,
  };
}
