import type { Answers, CriteriaSet, Indicator, Provenance, RatingRule } from '../schema.ts';

/* Small hand-made sets for tests; each must pass parseCriteriaSet (checked in validate.test.ts). */

export const OFFICIAL: Provenance = { status: 'official', sources: ['T'] };
export const PROVISIONAL: Provenance = { status: 'provisional', sources: [] };

export function pointIndicator(code: string, maxPoints = 10, extra: Partial<Indicator> = {}): Indicator {
  return { code, text: `Chỉ số ${code}`, maxPoints, provenance: { ...OFFICIAL, sources: ['T'] }, ...extra };
}

export function conditionIndicator(code: string, extra: Partial<Indicator> = {}): Indicator {
  return {
    code,
    kind: 'condition',
    text: `Điều kiện ${code}`,
    maxPoints: 1,
    provenance: { ...OFFICIAL, sources: ['T'] },
    ...extra,
  };
}

export function makeSet(partial: Partial<CriteriaSet> & Pick<CriteriaSet, 'criteria' | 'ratingRules'>): CriteriaSet {
  return {
    id: 'test-set-v1',
    title: 'Bộ tiêu chí thử',
    subjectType: 'household',
    version: 1,
    year: 2024,
    issuer: 'Test',
    decisionNumber: '1/QĐ-TEST',
    sources: [{ id: 'T', document: 'Tài liệu thử' }],
    provenance: { status: 'official', sources: ['T'] },
    ...partial,
  };
}

/** A CDHT-like set: 10 indicators × 10 points, ≥ 80 and no indicator below 5. */
export function citizenLikeSet(): CriteriaSet {
  const codes = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2'];
  return makeSet({
    id: 'citizen-like-v1',
    subjectType: 'citizen',
    criteria: [
      {
        code: '1',
        title: 'A',
        maxPoints: 40,
        provenance: OFFICIAL,
        indicators: codes.slice(0, 4).map((c) => pointIndicator(c)),
      },
      {
        code: '2',
        title: 'B',
        maxPoints: 40,
        provenance: OFFICIAL,
        indicators: codes.slice(4, 8).map((c) => pointIndicator(c)),
      },
      {
        code: '3',
        title: 'C',
        maxPoints: 20,
        provenance: OFFICIAL,
        indicators: codes.slice(8).map((c) => pointIndicator(c)),
      },
    ],
    ratingRules: [
      { type: 'threshold', minTotal: 80, provenance: OFFICIAL },
      { type: 'indicatorFloor', minPoints: 5, provenance: OFFICIAL },
    ],
  });
}

export const TT22_BANDS: RatingRule = {
  type: 'bands',
  provenance: OFFICIAL,
  bands: [
    { code: 'tot', label: 'Tốt', min: 85, minInclusive: true, max: 100, maxInclusive: true, passes: true },
    { code: 'kha', label: 'Khá', min: 70, minInclusive: true, max: 85, maxInclusive: false, passes: true },
    { code: 'tb', label: 'Trung bình', min: 50, minInclusive: true, max: 70, maxInclusive: false, passes: true },
    { code: 'kd', label: 'Không đạt', min: 0, minInclusive: true, max: 50, maxInclusive: false, passes: false },
  ],
};

/** Answers giving every indicator of the set the given points (and enough photos). */
export function uniformAnswers(
  set: CriteriaSet,
  points: number | ((code: string, max: number) => number),
): Record<string, { points: number; evidenceCount: number }> {
  const out: Record<string, { points: number; evidenceCount: number }> = {};
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      out[i.code] = {
        points: typeof points === 'number' ? points : points(i.code, i.maxPoints),
        evidenceCount: i.evidence?.minPhotos ?? 0,
      };
    }
  }
  return out;
}

export function withAnswer(answers: Answers, code: string, points: number | null, evidenceCount = 0): Answers {
  return { ...answers, [code]: { points, evidenceCount } };
}
