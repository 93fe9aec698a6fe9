import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../catalog/index.ts';
import { compile, scoringViews } from './compile.ts';
import { score, type Outcome } from './score.ts';
import { parseCriteriaSet } from './validate.ts';
import type { Answers, Band, CriteriaSet, Indicator, RatingRule } from './schema.ts';
import { OFFICIAL, makeSet } from './__fixtures__/sets.ts';

/*
 * Properties of the engine over the shipped sets and over randomly generated valid sets:
 * totals stay within bounds, scoring is deterministic, raising one indicator never worsens the
 * verdict, and a draft's canStillPass is never wrong about a completion that passes.
 */

const RUNS = { numRuns: 300 };

function allowedValues(ind: Indicator): number[] {
  if (ind.allowedPoints) return ind.allowedPoints;
  const step = ind.step ?? 1;
  const n = Math.round(ind.maxPoints / step);
  return Array.from({ length: n + 1 }, (_, k) => Math.round(k * step * 1e6) / 1e6);
}

function indicatorsOf(set: CriteriaSet, group: string | undefined): Indicator[] {
  return set.criteria
    .flatMap((c) => c.indicators)
    .filter((i) => !i.groups || (group !== undefined && i.groups.includes(group)));
}

/** Complete valid answers (enough photos) for a set, as index choices into each allowed list. */
function completeAnswers(
  set: CriteriaSet,
  group: string | undefined,
): fc.Arbitrary<Record<string, { points: number; evidenceCount: number }>> {
  const inds = indicatorsOf(set, group);
  return fc.tuple(...inds.map((i) => fc.constantFrom(...allowedValues(i)))).map((pts) => {
    const out: Record<string, { points: number; evidenceCount: number }> = {};
    inds.forEach((ind, k) => (out[ind.code] = { points: pts[k]!, evidenceCount: ind.evidence?.minPhotos ?? 0 }));
    return out;
  });
}

/** Anything a client might send: valid, unanswered, out of range, off-step, garbage numbers. */
function messyAnswers(set: CriteriaSet): fc.Arbitrary<Answers> {
  const inds = set.criteria.flatMap((c) => c.indicators);
  const points = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -5, max: 30 }),
    fc.double({ noNaN: false }),
    fc.constantFrom(0.5, 2.5, 1e9, -0),
  );
  return fc
    .tuple(
      ...inds.map(() =>
        fc.option(fc.record({ points, evidenceCount: fc.integer({ min: 0, max: 3 }) }), { nil: undefined }),
      ),
    )
    .map((list) => {
      const out: Record<string, { points: number | null; evidenceCount: number } | undefined> = {};
      inds.forEach((ind, k) => {
        if (list[k] !== undefined) out[ind.code] = list[k];
      });
      return out;
    });
}

function groupsOf(set: CriteriaSet): Array<string | undefined> {
  return set.subjectGroups ? set.subjectGroups.map((g) => g.code) : [undefined];
}

const rank: Record<Outcome, number> = { fail: 0, incomplete: 1, pass: 2 };

function bandRank(set: CriteriaSet, code: string | undefined): number {
  const bands = set.ratingRules.find((r) => r.type === 'bands');
  if (!bands || bands.type !== 'bands' || code === undefined) return -1;
  return [...bands.bands].sort((a, b) => a.min - b.min).findIndex((b) => b.code === code);
}

/** Random valid point/condition sets: random maxima and steps, threshold, floor and bands. */
const arbSet: fc.Arbitrary<CriteriaSet> = fc
  .record({
    indicators: fc.array(
      fc.record({
        kind: fc.constantFrom('points', 'points', 'points', 'condition'),
        max: fc.integer({ min: 1, max: 10 }),
        stepKind: fc.constantFrom('one', 'half', 'list'),
        floorFrac: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        photos: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    thresholdFrac: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    cuts: fc.uniqueArray(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { maxLength: 3 }),
    cutInclusive: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    setFloor: fc.option(fc.integer({ min: 1, max: 1 }), { nil: undefined }),
  })
  .map(({ indicators, thresholdFrac, cuts, cutInclusive, setFloor }) => {
    const inds: Indicator[] = indicators.map((d, k) => {
      const code = `i${k}`;
      if (d.kind === 'condition') return { code, kind: 'condition', text: code, maxPoints: 1, provenance: OFFICIAL };
      const ind: Indicator = {
        code,
        text: code,
        maxPoints: d.max,
        provenance: OFFICIAL,
        evidence: { minPhotos: d.photos },
      };
      if (d.stepKind === 'half') ind.step = 0.5;
      if (d.stepKind === 'list')
        ind.allowedPoints = [...new Set([0, Math.floor(d.max / 2), d.max])].sort((a, b) => a - b);
      if (d.floorFrac !== undefined) ind.floor = Math.floor(d.floorFrac * d.max);
      return ind;
    });
    const pointMax = inds.filter((i) => i.kind !== 'condition').reduce((s, i) => s + i.maxPoints, 0);
    const hasConditions = inds.some((i) => i.kind === 'condition');
    const rules: RatingRule[] = [];
    if (pointMax > 0) {
      if (thresholdFrac !== undefined || cuts.length === 0) {
        rules.push({
          type: 'threshold',
          minTotal: Math.round((thresholdFrac ?? 0.5) * pointMax),
          provenance: OFFICIAL,
        });
      }
      if (cuts.length > 0) {
        const points = [...new Set(cuts.map((c) => Math.round(c * pointMax * 2) / 2))]
          .filter((p) => p > 0 && p < pointMax)
          .sort((a, b) => a - b);
        const edges = [0, ...points, pointMax];
        const bands: Band[] = [];
        for (let k = 0; k < edges.length - 1; k++) {
          const upperInclusive = k === edges.length - 2 ? true : cutInclusive[k % 3]!;
          const lowerInclusive = k === 0 ? true : !bands[k - 1]!.maxInclusive;
          bands.push({
            code: `b${k}`,
            label: `B${k}`,
            min: edges[k]!,
            minInclusive: lowerInclusive,
            max: edges[k + 1]!,
            maxInclusive: upperInclusive,
            passes: k >= Math.floor((edges.length - 1) / 2),
          });
        }
        if (bands.length >= 2) rules.push({ type: 'bands', bands, provenance: OFFICIAL });
        else if (!rules.some((r) => r.type === 'threshold'))
          rules.push({ type: 'threshold', minTotal: Math.round(pointMax / 2), provenance: OFFICIAL });
      }
      if (setFloor !== undefined) rules.push({ type: 'indicatorFloor', minPoints: setFloor, provenance: OFFICIAL });
    }
    if (hasConditions) rules.push({ type: 'allConditionsMet', provenance: OFFICIAL });
    return makeSet({
      id: 'random-v1',
      criteria: [{ code: 'C', title: 'C', provenance: OFFICIAL, indicators: inds }],
      ratingRules: rules,
    });
  });

describe('generated sets are valid', () => {
  it('every generated set passes parseCriteriaSet', () => {
    fc.assert(
      fc.property(arbSet, (set) => {
        const r = parseCriteriaSet(set);
        expect(r.ok ? [] : r.errors).toEqual([]);
      }),
      RUNS,
    );
  });
});

const sets: Array<[string, fc.Arbitrary<CriteriaSet>]> = [
  ...catalog.map((s): [string, fc.Arbitrary<CriteriaSet>] => [s.id, fc.constant(s)]),
  ['random sets', arbSet],
];

describe.each(sets)('score properties: %s', (_name, arbitrarySet) => {
  it('total never exceeds the maximum and equals the sum of valid points', () => {
    fc.assert(
      fc.property(
        arbitrarySet.chain((set) => fc.tuple(fc.constant(set), messyAnswers(set), fc.constantFrom(...groupsOf(set)))),
        ([set, answers, group]) => {
          const r = score(set, answers, group === undefined ? {} : { group });
          expect(r.total).toBeGreaterThanOrEqual(0);
          expect(r.total).toBeLessThanOrEqual(r.maxTotal);
          const valid = r.indicators
            .filter((i) => !i.isCondition && i.points !== null)
            .reduce((s, i) => s + i.points!, 0);
          expect(r.total).toBeCloseTo(valid, 9);
          for (const c of r.criteria) expect(c.points).toBeLessThanOrEqual(c.maxPoints);
          // Incomplete exactly when something is open.
          const open = r.unanswered.length + r.invalid.length + r.missingEvidence.length > 0;
          expect(r.verdict.outcome === 'incomplete').toBe(open);
          // Deterministic.
          expect(score(set, answers, group === undefined ? {} : { group })).toEqual(r);
        },
      ),
      RUNS,
    );
  });

  it('raising one indicator never worsens the verdict (complete answers)', () => {
    fc.assert(
      fc.property(
        arbitrarySet.chain((set) =>
          fc
            .constantFrom(...groupsOf(set))
            .chain((group) =>
              fc.tuple(fc.constant(set), fc.constant(group), completeAnswers(set, group), fc.nat(), fc.nat()),
            ),
        ),
        ([set, group, answers, pick, up]) => {
          const opts = group === undefined ? {} : { group };
          const inds = indicatorsOf(set, group);
          const ind = inds[pick % inds.length]!;
          const values = allowedValues(ind);
          const current = answers[ind.code]!.points;
          const higher = values.filter((v) => v > current);
          if (higher.length === 0) return;
          const raised = {
            ...answers,
            [ind.code]: { points: higher[up % higher.length]!, evidenceCount: ind.evidence?.minPhotos ?? 0 },
          };
          const before = score(set, answers, opts);
          const after = score(set, raised, opts);
          expect(after.total).toBeGreaterThanOrEqual(before.total);
          expect(rank[after.verdict.outcome]).toBeGreaterThanOrEqual(rank[before.verdict.outcome]);
          expect(bandRank(set, after.verdict.band?.code)).toBeGreaterThanOrEqual(
            bandRank(set, before.verdict.band?.code),
          );
          expect(after.floorViolations.length).toBeLessThanOrEqual(before.floorViolations.length);
        },
      ),
      RUNS,
    );
  });

  it('a draft that says it cannot pass never passes once completed', () => {
    fc.assert(
      fc.property(
        arbitrarySet.chain((set) =>
          fc
            .constantFrom(...groupsOf(set))
            .chain((group) =>
              fc.tuple(
                fc.constant(set),
                fc.constant(group),
                completeAnswers(set, group),
                fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
              ),
            ),
        ),
        ([set, group, complete, hide]) => {
          const opts = group === undefined ? {} : { group };
          const draft: Record<string, { points: number; evidenceCount: number } | undefined> = { ...complete };
          Object.keys(complete).forEach((code, k) => {
            if (hide[k % hide.length]) delete draft[code];
          });
          const partial = score(set, draft, opts);
          const full = score(set, complete, opts);
          if (full.verdict.outcome === 'pass') expect(partial.verdict.canStillPass).toBe(true);
          if (partial.verdict.outcome !== 'incomplete') expect(partial.verdict.outcome).toBe(full.verdict.outcome);
        },
      ),
      RUNS,
    );
  });
});

describe('maximum totals of the shipped sets', () => {
  it('point sets total 100 in every group form', () => {
    for (const set of catalog) {
      for (const view of scoringViews(compile(set))) {
        const expected = set.subjectType === 'clan' || set.subjectType === 'community' ? 0 : 100;
        expect([set.id, view.maxTotal]).toEqual([set.id, expected]);
      }
    }
  });
});
