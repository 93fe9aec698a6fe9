import { describe, expect, it } from 'vitest';
import { requireCatalogSet, CATALOG_IDS } from '../catalog/index.ts';
import { score } from './score.ts';
import {
  citizenLikeSet,
  conditionIndicator,
  makeSet,
  OFFICIAL,
  pointIndicator,
  TT22_BANDS,
  uniformAnswers,
  withAnswer,
} from './__fixtures__/sets.ts';

const cdht = requireCatalogSet(CATALOG_IDS.citizen);
const gdht = requireCatalogSet(CATALOG_IDS.household);
const dvht = requireCatalogSet(CATALOG_IDS.unit);
const dhht = requireCatalogSet(CATALOG_IDS.clan);

/** CDHT answers summing to `total` with every indicator ≥ 5 (total in 50..100). */
function cdhtAnswers(total: number): Record<string, { points: number }> {
  const codes = cdht.criteria.flatMap((c) => c.indicators.map((i) => i.code));
  let rest = total - 5 * codes.length;
  const out: Record<string, { points: number }> = {};
  for (const code of codes) {
    const extra = Math.min(5, rest);
    rest -= extra;
    out[code] = { points: 5 + extra };
  }
  return out;
}

describe('score: Công dân học tập (QĐ 244) boundaries', () => {
  const group = 'nong-dan';

  it('79 points → no title', () => {
    const r = score(cdht, cdhtAnswers(79), { group });
    expect(r.total).toBe(79);
    expect(r.verdict.outcome).toBe('fail');
    expect(r.verdict.reasons).toEqual([{ code: 'below_threshold', message: 'Tổng điểm 79 chưa đạt mức 80 điểm' }]);
  });

  it('80 points → title', () => {
    const r = score(cdht, cdhtAnswers(80), { group });
    expect(r.total).toBe(80);
    expect(r.verdict.outcome).toBe('pass');
    expect(r.verdict.reasons).toEqual([]);
    expect(r.verdict.summary).toBe('Đạt: 80/100 điểm');
  });

  it('80 points with one indicator at 4 → no title, reason names the indicator', () => {
    // 4 + 9×… = 80: nine indicators share 76 points.
    const answers: Record<string, { points: number }> = { ...cdhtAnswers(80) };
    answers['2.1'] = { points: 4 };
    answers['1.1'] = { points: 10 };
    answers['1.2'] = { points: 10 };
    answers['1.3'] = { points: 10 };
    answers['1.4'] = { points: 10 };
    answers['2.2'] = { points: 10 };
    answers['2.3'] = { points: 10 };
    answers['2.4'] = { points: 6 };
    answers['3.1'] = { points: 5 };
    answers['3.2'] = { points: 5 };
    const r = score(cdht, answers, { group });
    expect(r.total).toBe(80);
    expect(r.verdict.outcome).toBe('fail');
    expect(r.floorViolations).toEqual([{ indicatorCode: '2.1', points: 4, floor: 5 }]);
    expect(r.verdict.reasons).toEqual([
      { code: 'below_floor', indicatorCode: '2.1', message: 'Chỉ số 2.1 dưới 5 điểm (mới đạt 4 điểm)' },
    ]);
  });

  it('exactly 5 on an indicator is not below the floor', () => {
    const r = score(cdht, { ...cdhtAnswers(85), '3.2': { points: 5 } }, { group });
    expect(r.floorViolations).toEqual([]);
  });

  it('reports the per-criterion sums', () => {
    const r = score(cdht, cdhtAnswers(100), { group });
    expect(r.criteria.map((c) => [c.code, c.points, c.maxPoints])).toEqual([
      ['1', 40, 40],
      ['2', 40, 40],
      ['3', 20, 20],
    ]);
    expect(r.maxTotal).toBe(100);
  });
});

describe('score: drafts and live verdict', () => {
  it('an empty draft is incomplete and still passable', () => {
    const r = score(gdht, {});
    expect(r.verdict.outcome).toBe('incomplete');
    expect(r.verdict.canStillPass).toBe(true);
    expect(r.total).toBe(0);
    expect(r.unanswered).toHaveLength(10);
    expect(r.verdict.reasons[0]).toEqual({ code: 'unanswered', indicatorCode: '1.1', message: 'Chưa chấm chỉ số 1.1' });
  });

  it('asks for the photo with its hint when points are claimed without evidence', () => {
    const answers = uniformAnswers(gdht, 10);
    const r = score(gdht, withAnswer(answers, '1.2', 10, 0));
    expect(r.verdict.outcome).toBe('incomplete');
    expect(r.missingEvidence).toEqual([
      { indicatorCode: '1.2', required: 1, provided: 0, hint: 'Ảnh học bạ, phiếu liên lạc hoặc giấy khen của con' },
    ]);
    expect(r.verdict.reasons).toEqual([
      {
        code: 'evidence_missing',
        indicatorCode: '1.2',
        message: 'Còn thiếu ảnh minh chứng cho chỉ số 1.2 (Ảnh học bạ, phiếu liên lạc hoặc giấy khen của con)',
      },
    ]);
    // The points still count toward the live total.
    expect(r.total).toBe(100);
  });

  it('needs no photo for 0 points, and none when evidence checks are off', () => {
    const answers = uniformAnswers(gdht, 10);
    expect(score(gdht, withAnswer(answers, '1.2', 0, 0)).missingEvidence).toEqual([]);
    expect(score(gdht, withAnswer(answers, '1.2', 10, 0), { checkEvidence: false }).verdict.outcome).toBe('pass');
  });

  it('shows a definitive floor failure while the draft is still incomplete', () => {
    const r = score(cdht, { '2.1': { points: 4 } }, { group: 'can-bo' });
    expect(r.verdict.outcome).toBe('incomplete');
    expect(r.verdict.canStillPass).toBe(false);
    expect(r.verdict.reasons).toContainEqual({
      code: 'below_floor',
      indicatorCode: '2.1',
      message: 'Chỉ số 2.1 dưới 5 điểm (mới đạt 4 điểm)',
    });
  });

  it('says when even full points on the rest cannot reach the threshold', () => {
    const answers = uniformAnswers(gdht, 0);
    delete answers['4.2'];
    const r = score(gdht, answers);
    expect(r.verdict.canStillPass).toBe(false);
    expect(r.verdict.reasons).toContainEqual({
      code: 'below_threshold',
      message: 'Dù chấm tối đa các chỉ số còn lại, tổng điểm chỉ đạt 10, chưa đủ 80 điểm',
    });
  });
});

describe('score: invalid points are flagged, never clamped', () => {
  it('above max: reason, not counted', () => {
    const r = score(gdht, withAnswer(uniformAnswers(gdht, 10), '1.1', 12, 1));
    expect(r.invalid).toEqual(['1.1']);
    expect(r.total).toBe(90);
    expect(r.verdict.outcome).toBe('incomplete');
    expect(r.verdict.reasons).toEqual([
      { code: 'points_above_max', indicatorCode: '1.1', message: 'Chỉ số 1.1 tối đa 10 điểm, không thể chấm 12 điểm' },
    ]);
  });

  it('off-step, negative and non-finite points', () => {
    for (const bad of [7.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = score(gdht, withAnswer(uniformAnswers(gdht, 10), '3.1', bad, 1));
      expect(r.invalid).toEqual(['3.1']);
      expect(r.verdict.reasons[0]!.code).toBe('points_not_allowed');
      expect(r.total).toBeLessThanOrEqual(r.maxTotal);
    }
    // Tiny off-grid values are not "almost 0": found by the property test.
    expect(score(gdht, withAnswer(uniformAnswers(gdht, 10), '3.1', 5e-10)).invalid).toEqual(['3.1']);
    expect(score(gdht, withAnswer(uniformAnswers(gdht, 10), '3.1', 7.5)).verdict.reasons[0]!.message).toBe(
      'Chỉ số 3.1: 7,5 điểm không hợp lệ, chỉ chấm điểm nguyên từ 0',
    );
  });

  it('explicit allowed points and half-point steps', () => {
    const set = makeSet({
      criteria: [
        {
          code: '1',
          title: 'A',
          provenance: OFFICIAL,
          indicators: [pointIndicator('a', 10, { allowedPoints: [0, 5, 10] }), pointIndicator('b', 2, { step: 0.5 })],
        },
      ],
      ratingRules: [{ type: 'threshold', minTotal: 11.5, provenance: OFFICIAL }],
    });
    expect(score(set, { a: { points: 7 }, b: { points: 1.5 } }).verdict.reasons[0]!.message).toBe(
      'Chỉ số a: 7 điểm không hợp lệ, chỉ được chấm 0; 5; 10 điểm',
    );
    const ok = score(set, { a: { points: 10 }, b: { points: 1.5 } });
    expect(ok.total).toBe(11.5);
    expect(ok.verdict.outcome).toBe('pass');
    expect(score(set, { a: { points: 10 }, b: { points: 1.25 } }).invalid).toEqual(['b']);
  });
});

describe('score: bands (TT 22/2020 bounds as written)', () => {
  // Ten indicators × 10; total t = sum.
  const set = makeSet({
    subjectType: 'unit',
    criteria: [
      {
        code: '1',
        title: 'A',
        provenance: OFFICIAL,
        indicators: Array.from({ length: 10 }, (_, i) => pointIndicator(`i${i}`)),
      },
    ],
    ratingRules: [TT22_BANDS],
  });
  const total = (t: number) => {
    const a: Record<string, { points: number }> = {};
    for (let i = 0; i < 10; i++) a[`i${i}`] = { points: Math.min(10, Math.max(0, t - 10 * i)) };
    return a;
  };
  const cases: Array<[number, string, 'pass' | 'fail']> = [
    [100, 'Tốt', 'pass'],
    [85, 'Tốt', 'pass'],
    [84, 'Khá', 'pass'],
    [70, 'Khá', 'pass'],
    [69, 'Trung bình', 'pass'],
    [50, 'Trung bình', 'pass'],
    [49, 'Không đạt', 'fail'],
    [0, 'Không đạt', 'fail'],
  ];
  it.each(cases)('total %i → %s', (t, label, outcome) => {
    const r = score(set, total(t));
    expect(r.total).toBe(t);
    expect(r.verdict.band?.label).toBe(label);
    expect(r.verdict.outcome).toBe(outcome);
  });

  it('the shipped ĐVHT set: full marks → Tốt, 84 → Khá', () => {
    const answers = uniformAnswers(dvht, (_c, max) => max);
    expect(score(dvht, answers).verdict.band?.label).toBe('Tốt');
    const r = score(dvht, withAnswer(answers, '3.1', 0));
    expect(r.total).toBe(90);
    const r2 = score(dvht, withAnswer(withAnswer(answers, '3.1', 0), '2.2', 4));
    expect(r2.total).toBe(89);
    const khá = score(dvht, withAnswer(withAnswer(answers, '3.1', 0), '3.2', 4));
    expect(khá.total).toBe(84);
    expect(khá.verdict.band?.label).toBe('Khá');
    expect(khá.verdict.outcome).toBe('pass');
  });
});

describe('score: conditions and levels', () => {
  it('clan: all four conditions must be met', () => {
    const all = uniformAnswers(dhht, 1);
    expect(score(dhht, all).verdict.outcome).toBe('pass');
    expect(score(dhht, all).verdict.summary).toBe('Đạt: đủ tất cả điều kiện');
    const r = score(dhht, withAnswer(all, 'N3', 0));
    expect(r.verdict.outcome).toBe('fail');
    expect(r.verdict.reasons).toEqual([
      {
        code: 'condition_not_met',
        indicatorCode: 'N3',
        message: 'Chưa đạt điều kiện N3: Không để con em trong dòng họ lưu ban, bỏ học hoặc học kém',
      },
    ]);
    expect(score(dhht, withAnswer(all, 'N3', null)).verdict.reasons[0]!.message).toBe('Chưa đánh giá điều kiện N3');
    expect(score(dhht, withAnswer(all, 'N3', 2)).verdict.reasons[0]!.code).toBe('points_above_max');
    expect(r.maxTotal).toBe(0);
  });

  it('levels: the highest level whose indicators (and all lower ones) are met', () => {
    const set = makeSet({
      subjectType: 'unit',
      criteria: [
        {
          code: '1',
          title: 'A',
          provenance: OFFICIAL,
          indicators: [
            conditionIndicator('a', { level: 1 }),
            conditionIndicator('b', { level: 1 }),
            conditionIndicator('c', { level: 2 }),
          ],
        },
      ],
      ratingRules: [
        {
          type: 'levels',
          provenance: OFFICIAL,
          levels: [
            { level: 1, code: 'md1', label: 'Mức độ 1' },
            { level: 2, code: 'md2', label: 'Mức độ 2' },
          ],
        },
      ],
    });
    expect(score(set, { a: { points: 1 }, b: { points: 1 }, c: { points: 1 } }).verdict.level?.label).toBe('Mức độ 2');
    const l1 = score(set, { a: { points: 1 }, b: { points: 1 }, c: { points: 0 } });
    expect(l1.verdict.outcome).toBe('pass');
    expect(l1.verdict.level?.label).toBe('Mức độ 1');
    const none = score(set, { a: { points: 1 }, b: { points: 0 }, c: { points: 1 } });
    expect(none.verdict.outcome).toBe('fail');
    expect(none.verdict.level).toBeUndefined();
    expect(none.verdict.reasons).toEqual([
      { code: 'level_not_met', indicatorCode: 'b', message: 'Chưa đạt chỉ số b của Mức độ 1' },
    ]);
  });
});

describe('score: subject groups', () => {
  const set = makeSet({
    subjectType: 'citizen',
    subjectGroups: [
      { code: 'nd', label: 'Nông dân', provenance: OFFICIAL },
      { code: 'hs', label: 'Học sinh', provenance: OFFICIAL },
    ],
    criteria: [
      {
        code: '1',
        title: 'A',
        maxPoints: 20,
        provenance: OFFICIAL,
        indicators: [
          pointIndicator('x', 10),
          pointIndicator('nd-1', 10, { groups: ['nd'] }),
          pointIndicator('hs-1', 10, { groups: ['hs'] }),
        ],
      },
    ],
    ratingRules: [{ type: 'threshold', minTotal: 15, provenance: OFFICIAL }],
  });

  it('scores only the indicators of the given group', () => {
    const answers = { x: { points: 10 }, 'nd-1': { points: 6 }, 'hs-1': { points: 0 } };
    const r = score(set, answers, { group: 'nd' });
    expect(r.indicators.map((i) => i.code)).toEqual(['x', 'nd-1']);
    expect(r.total).toBe(16);
    expect(r.maxTotal).toBe(20);
    expect(r.ignoredAnswers).toEqual(['hs-1']);
    expect(r.verdict.outcome).toBe('pass');
    expect(score(set, answers, { group: 'hs' }).verdict.outcome).toBe('fail');
  });

  it('needs a group when the forms differ, and rejects an unknown one', () => {
    const r = score(set, { x: { points: 10 } });
    expect(r.verdict.outcome).toBe('incomplete');
    expect(r.verdict.reasons[0]).toEqual({
      code: 'group_required',
      message: 'Chưa chọn nhóm đối tượng để chấm theo đúng mẫu phiếu',
    });
    const u = score(set, { x: { points: 10 } }, { group: 'zz' });
    expect(u.verdict.reasons[0]!.code).toBe('group_unknown');
    expect(u.verdict.canStillPass).toBe(false);
  });

  it('a set whose groups share one form scores without a group', () => {
    expect(score(cdht, cdhtAnswers(90)).verdict.outcome).toBe('pass');
    expect(score(citizenLikeSet(), uniformAnswers(citizenLikeSet(), 8)).verdict.outcome).toBe('pass');
  });
});
