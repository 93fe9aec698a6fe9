import type { Band, CriteriaSet, Criterion, Honour, Indicator, Level, Prerequisite } from './schema.ts';

/*
 * A criteria set flattened once into what scoring needs, so score() does no searching per call
 * (100,000 household drafts must score well under a second). Compiled forms are cached per set
 * object: treat sets as immutable (the catalog freezes its sets).
 */

export interface CompiledIndicator {
  readonly indicator: Indicator;
  readonly code: string;
  readonly criterionIndex: number;
  readonly criterionCode: string;
  readonly isCondition: boolean;
  readonly maxPoints: number;
  /** Effective hard floor: the indicator's own floor or the set-wide indicatorFloor, whichever is higher. */
  readonly floor: number | undefined;
  readonly step: number;
  readonly allowed: readonly number[] | undefined;
  readonly minPhotos: number;
}

export interface CompiledView {
  /** Subject group of this view, or null for sets without groups. */
  readonly group: string | null;
  readonly indicators: readonly CompiledIndicator[];
  /** Maximum total of the point indicators applicable in this view. */
  readonly maxTotal: number;
  /** Per criterion (same order as set.criteria): maximum of its applicable point indicators. */
  readonly criterionMax: readonly number[];
  /** Per criterion: how many of its indicators apply in this view. */
  readonly criterionIndicatorCount: readonly number[];
  readonly codes: ReadonlySet<string>;
}

export interface CompiledRules {
  readonly threshold: number | undefined;
  readonly indicatorFloor: number | undefined;
  /** Sorted ascending by lower bound. */
  readonly bands: readonly Band[] | undefined;
  readonly allConditionsMet: boolean;
  /** Sorted ascending by level. */
  readonly levels: readonly Level[] | undefined;
  readonly consecutiveYears: { readonly years: number; readonly honour: Honour } | undefined;
}

export interface CompiledSet {
  readonly set: CriteriaSet;
  readonly rules: CompiledRules;
  readonly criteria: readonly Criterion[];
  /** Keyed by group code; the key '' is the view for sets without subject groups. */
  readonly views: ReadonlyMap<string, CompiledView>;
  readonly hasGroups: boolean;
  /** Whether any indicator is limited to some groups (then scoring needs a group). */
  readonly hasGroupSpecificIndicators: boolean;
  readonly indicatorCodes: ReadonlySet<string>;
  readonly prerequisites: readonly Prerequisite[];
}

export function compileRules(set: CriteriaSet): CompiledRules {
  let threshold: number | undefined;
  let indicatorFloor: number | undefined;
  let bands: Band[] | undefined;
  let allConditionsMet = false;
  let levels: Level[] | undefined;
  let consecutiveYears: CompiledRules['consecutiveYears'];
  for (const rule of set.ratingRules) {
    switch (rule.type) {
      case 'threshold':
        threshold = rule.minTotal;
        break;
      case 'indicatorFloor':
        indicatorFloor = rule.minPoints;
        break;
      case 'bands':
        bands = [...rule.bands].sort((a, b) => a.min - b.min || Number(b.minInclusive) - Number(a.minInclusive));
        break;
      case 'allConditionsMet':
        allConditionsMet = true;
        break;
      case 'levels':
        levels = [...rule.levels].sort((a, b) => a.level - b.level);
        break;
      case 'consecutiveYears':
        consecutiveYears = { years: rule.years, honour: rule.honour };
        break;
    }
  }
  return { threshold, indicatorFloor, bands, allConditionsMet, levels, consecutiveYears };
}

function compileIndicator(
  indicator: Indicator,
  criterionIndex: number,
  criterionCode: string,
  rules: CompiledRules,
): CompiledIndicator {
  const isCondition = indicator.kind === 'condition';
  const floors = isCondition ? [] : [indicator.floor, rules.indicatorFloor].filter((f): f is number => f !== undefined);
  return {
    indicator,
    code: indicator.code,
    criterionIndex,
    criterionCode,
    isCondition,
    maxPoints: indicator.maxPoints,
    floor: floors.length > 0 ? Math.max(...floors) : undefined,
    step: indicator.step ?? 1,
    allowed: indicator.allowedPoints,
    minPhotos: indicator.evidence?.minPhotos ?? 0,
  };
}

function buildView(set: CriteriaSet, group: string | null, rules: CompiledRules): CompiledView {
  const indicators: CompiledIndicator[] = [];
  const criterionMax: number[] = [];
  const criterionIndicatorCount: number[] = [];
  let maxTotal = 0;
  set.criteria.forEach((criterion, ci) => {
    let cmax = 0;
    let count = 0;
    for (const indicator of criterion.indicators) {
      const applies = indicator.groups === undefined || (group !== null && indicator.groups.includes(group));
      if (!applies) continue;
      const compiled = compileIndicator(indicator, ci, criterion.code, rules);
      indicators.push(compiled);
      count++;
      if (!compiled.isCondition) cmax += compiled.maxPoints;
    }
    criterionMax.push(roundPoints(cmax));
    criterionIndicatorCount.push(count);
    maxTotal += cmax;
  });
  return {
    group,
    indicators,
    maxTotal: roundPoints(maxTotal),
    criterionMax,
    criterionIndicatorCount,
    codes: new Set(indicators.map((i) => i.code)),
  };
}

const cache = new WeakMap<CriteriaSet, CompiledSet>();

export function compile(set: CriteriaSet): CompiledSet {
  const cached = cache.get(set);
  if (cached) return cached;
  const rules = compileRules(set);
  const views = new Map<string, CompiledView>();
  const groups = set.subjectGroups ?? [];
  views.set('', buildView(set, null, rules));
  for (const g of groups) views.set(g.code, buildView(set, g.code, rules));
  const indicatorCodes = new Set<string>();
  let hasGroupSpecificIndicators = false;
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      indicatorCodes.add(i.code);
      if (i.groups !== undefined) hasGroupSpecificIndicators = true;
    }
  }
  const compiled: CompiledSet = {
    set,
    rules,
    criteria: set.criteria,
    views,
    hasGroups: groups.length > 0,
    hasGroupSpecificIndicators,
    indicatorCodes,
    prerequisites: set.prerequisites ?? [],
  };
  cache.set(set, compiled);
  return compiled;
}

/** The views a set can be scored in: one per subject group, or the single group-less view. */
export function scoringViews(compiled: CompiledSet): CompiledView[] {
  if (!compiled.hasGroups) return [compiled.views.get('')!];
  return [...compiled.views.entries()].filter(([k]) => k !== '').map(([, v]) => v);
}

/**
 * Sums of decimal steps (0.1 + 0.2) drift in binary floating point; rounding to 6 decimals keeps
 * totals exact for any step a form would use, so "80" compares equal to the threshold 80.
 */
export function roundPoints(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Whether `points` is an allowed score for the indicator (range and steps), with no clamping. */
export function isAllowedPoints(ci: CompiledIndicator, points: number): boolean {
  if (!Number.isFinite(points) || points < 0 || points > ci.maxPoints) return false;
  if (ci.allowed !== undefined) return ci.allowed.includes(points);
  return isOnStep(points, ci.step);
}

/**
 * Whether value is a whole number of steps. Compares the value with the nearest step multiple
 * after the same 6-decimal rounding as totals, so 0.3 is on a 0.1 grid but 5e-10 is not on a
 * grid of 1 (a plain epsilon test on value/step would accept it).
 */
export function isOnStep(value: number, step: number): boolean {
  return roundPoints(Math.round(value / step) * step) === value;
}
