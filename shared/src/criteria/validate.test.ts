import { describe, expect, it } from 'vitest';
import { parseCriteriaSet, type CriteriaSetError } from './validate.ts';
import type { CriteriaSet } from './schema.ts';
import {
  citizenLikeSet,
  conditionIndicator,
  makeSet,
  OFFICIAL,
  pointIndicator,
  TT22_BANDS,
} from './__fixtures__/sets.ts';

/** Clone a valid set, break it, and return the errors (asserting it was rejected). */
function errorsOf(mutate: (s: any) => void, base: CriteriaSet = citizenLikeSet()): CriteriaSetError[] {
  const copy = structuredClone(base);
  mutate(copy);
  const r = parseCriteriaSet(copy);
  if (r.ok) throw new Error('expected the set to be rejected');
  return r.errors;
}

const bandSet = () =>
  makeSet({
    subjectType: 'unit',
    criteria: [
      {
        code: '1',
        title: 'A',
        provenance: OFFICIAL,
        indicators: Array.from({ length: 10 }, (_, i) => pointIndicator(`i${i}`)),
      },
    ],
    ratingRules: [structuredClone(TT22_BANDS)],
  });

describe('parseCriteriaSet accepts valid sets', () => {
  it.each([
    ['citizen-like', citizenLikeSet()],
    ['bands', bandSet()],
    [
      'conditions',
      makeSet({
        subjectType: 'clan',
        criteria: [{ code: 'N', title: 'N', provenance: OFFICIAL, indicators: [conditionIndicator('N1')] }],
        ratingRules: [{ type: 'allConditionsMet', provenance: OFFICIAL }],
        prerequisites: [
          {
            type: 'memberShare',
            code: 'P1',
            share: 'householdsWithGdht',
            minShare: 0.5,
            comparison: 'gte',
            text: '≥ 50%',
            provenance: OFFICIAL,
          },
        ],
      }),
    ],
  ])('%s', (_name, set) => {
    const r = parseCriteriaSet(set);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });
});

describe('parseCriteriaSet: shape errors carry a path and a Vietnamese reason', () => {
  it('non-object input', () => {
    const r = parseCriteriaSet('not json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('(gốc)');
  });

  it('missing field, wrong type, unknown key (typo)', () => {
    const errors = errorsOf((s) => {
      delete s.title;
      s.criteria[0].indicators[1].maxPoints = '10';
      s.criteria[1].indicators[0].maxPoint = 10;
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toContain('title');
    expect(paths).toContain('criteria[0].indicators[1].maxPoints');
    expect(paths).toContain('criteria[1].indicators[0]');
    expect(errors.find((e) => e.path === 'criteria[1].indicators[0]')!.message).toContain('maxPoint');
  });

  it('unknown subject type and rule type', () => {
    const errors = errorsOf((s) => {
      s.subjectType = 'village';
      s.ratingRules.push({ type: 'magic', provenance: OFFICIAL });
    });
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['subjectType', 'ratingRules[2].type']));
  });
});

describe('parseCriteriaSet: semantic checks', () => {
  const cases: Array<[string, (s: any) => void, string, RegExp, CriteriaSet?]> = [
    [
      'duplicate indicator codes across criteria',
      (s) => (s.criteria[2].indicators[0].code = '1.1'),
      'criteria[2].indicators[0].code',
      /Mã chỉ số "1.1" bị trùng \(đã dùng ở criteria\[0\]\.indicators\[0\]\)/,
    ],
    ['duplicate criterion codes', (s) => (s.criteria[1].code = '1'), 'criteria[1].code', /Mã tiêu chí "1" bị trùng/],
    [
      'floor above max',
      (s) => (s.criteria[0].indicators[0].floor = 11),
      'criteria[0].indicators[0].floor',
      /Điểm sàn 11 lớn hơn điểm tối đa 10/,
    ],
    [
      'set-wide floor above an indicator max',
      (s) => (s.ratingRules[1].minPoints = 12),
      'criteria[0].indicators[0].maxPoints',
      /Điểm sàn chung 12 lớn hơn điểm tối đa 10/,
    ],
    [
      'step not reaching max',
      (s) => (s.criteria[0].indicators[0].step = 3),
      'criteria[0].indicators[0].step',
      /Bước điểm 3 không chia hết điểm tối đa 10/,
    ],
    [
      'allowed points without max',
      (s) => (s.criteria[0].indicators[0].allowedPoints = [0, 5]),
      'criteria[0].indicators[0].allowedPoints',
      /phải có điểm tối đa 10/,
    ],
    [
      'allowed points not ascending',
      (s) => (s.criteria[0].indicators[0].allowedPoints = [0, 10, 5, 10]),
      'criteria[0].indicators[0].allowedPoints',
      /tăng dần/,
    ],
    [
      'threshold above total max',
      (s) => (s.ratingRules[0].minTotal = 101),
      'ratingRules[0].minTotal',
      /Ngưỡng đạt 101 lớn hơn tổng điểm tối đa 100/,
    ],
    [
      'criterion max not the sum of its indicators',
      (s) => (s.criteria[2].maxPoints = 25),
      'criteria[2].maxPoints',
      /Tổng điểm tối đa các chỉ số là 20, khác điểm tối đa của tiêu chí 25/,
    ],
    [
      'duplicate rule type',
      (s) => s.ratingRules.push({ type: 'threshold', minTotal: 70, provenance: OFFICIAL }),
      'ratingRules[2].type',
      /khai báo hai lần/,
    ],
    [
      'no deciding rule',
      (s) => (s.ratingRules = [{ type: 'indicatorFloor', minPoints: 5, provenance: OFFICIAL }]),
      'ratingRules',
      /ít nhất một quy tắc quyết định/,
    ],
    [
      'unknown source id',
      (s) => (s.criteria[0].provenance = { status: 'official', sources: ['S99'] }),
      'criteria[0].provenance.sources[0]',
      /Nguồn "S99" không có/,
    ],
    [
      'official value without a source',
      (s) => (s.criteria[0].indicators[0].provenance = { status: 'official', sources: [] }),
      'criteria[0].indicators[0].provenance.sources',
      /phải dẫn ít nhất một nguồn/,
    ],
    [
      'indicator group without subject groups',
      (s) => (s.criteria[0].indicators[0].groups = ['nd']),
      'criteria[0].indicators[0].groups',
      /không khai báo subjectGroups/,
    ],
    [
      'override of itself',
      (s) => (s.override = { of: s.id, scope: 'province', unitName: 'Đồng Tháp' }),
      'override.of',
      /chính nó/,
    ],
    // Bands
    [
      'bands overlapping',
      (s) => (s.ratingRules[0].bands[1].max = 86),
      'ratingRules[0].bands[0].min',
      /"Tốt" \(\[85\) chồng lên "Khá" \(86\)\)/,
      bandSet(),
    ],
    [
      'bands sharing an inclusive bound',
      (s) => (s.ratingRules[0].bands[1].maxInclusive = true),
      'ratingRules[0].bands[0].min',
      /chồng lên "Khá"/,
      bandSet(),
    ],
    [
      'bands leaving a gap',
      (s) => (s.ratingRules[0].bands[1].max = 84),
      'ratingRules[0].bands[0].min',
      /khoảng trống giữa "Khá" \(84\)\) và "Tốt" \(\[85\)/,
      bandSet(),
    ],
    [
      'bands with an open boundary on both sides',
      (s) => (s.ratingRules[0].bands[0].minInclusive = false),
      'ratingRules[0].bands[0].min',
      /khoảng trống giữa "Khá" \(85\)\) và "Tốt" \(\(85\)/,
      bandSet(),
    ],
    [
      'bands not starting at 0',
      (s) => (s.ratingRules[0].bands[3].min = 1),
      'ratingRules[0].bands[3].min',
      /bắt đầu từ 0 điểm/,
      bandSet(),
    ],
    [
      'bands not reaching the total',
      (s) => (s.ratingRules[0].bands[0].max = 99),
      'ratingRules[0].bands[0].max',
      /kết thúc ở tổng điểm tối đa 100/,
      bandSet(),
    ],
    [
      'no band passes',
      (s) => s.ratingRules[0].bands.forEach((b: any) => (b.passes = false)),
      'ratingRules[0].bands',
      /Không có xếp loại nào được công nhận/,
      bandSet(),
    ],
    // Prerequisites
    [
      'share above 1 (percent written as 50)',
      (s) =>
        s.prerequisites.push({
          type: 'memberShare',
          code: 'P1',
          share: 'householdsWithGdht',
          minShare: 50,
          comparison: 'gte',
          text: 'x',
          provenance: OFFICIAL,
        }),
      'prerequisites[0].minShare',
      /trong khoảng 0\.\.1/,
      makeSet({ ...bandSet(), subjectType: 'clan', prerequisites: [] }),
    ],
    [
      'negative share',
      (s) =>
        s.prerequisites.push({
          type: 'memberShare',
          code: 'P1',
          share: 'householdsWithGdht',
          minShare: -0.1,
          comparison: 'gte',
          text: 'x',
          provenance: OFFICIAL,
        }),
      'prerequisites[0].minShare',
      /trong khoảng 0\.\.1/,
      makeSet({ ...bandSet(), subjectType: 'clan', prerequisites: [] }),
    ],
    [
      'share with too many decimals',
      (s) =>
        s.prerequisites.push({
          type: 'memberShare',
          code: 'P1',
          share: 'householdsWithGdht',
          minShare: 1 / 3,
          comparison: 'gte',
          text: 'x',
          provenance: OFFICIAL,
        }),
      'prerequisites[0].minShare',
      /6 chữ số thập phân/,
      makeSet({ ...bandSet(), subjectType: 'clan', prerequisites: [] }),
    ],
    [
      'share key not for this subject',
      (s) =>
        s.prerequisites.push({
          type: 'memberShare',
          code: 'P1',
          share: 'staffWithCdht',
          minShare: 0.6,
          comparison: 'gte',
          text: 'x',
          provenance: OFFICIAL,
        }),
      'prerequisites[0].share',
      /không áp dụng cho đối tượng Dòng họ/,
      makeSet({ ...bandSet(), subjectType: 'clan', prerequisites: [] }),
    ],
  ];

  it.each(cases)('%s', (_name, mutate, path, message, base) => {
    const errors = errorsOf(mutate, base);
    const hit = errors.find((e) => e.path === path);
    expect(hit, `no error at ${path}; got ${JSON.stringify(errors)}`).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf((s) => {
      s.criteria[0].indicators[0].floor = 11;
      s.criteria[0].indicators[1].step = 3;
      s.ratingRules[0].minTotal = 150;
    });
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it('conditions need a rule that looks at them', () => {
    const set = makeSet({
      criteria: [
        { code: '1', title: 'A', provenance: OFFICIAL, indicators: [pointIndicator('a'), conditionIndicator('c')] },
      ],
      ratingRules: [{ type: 'threshold', minTotal: 5, provenance: OFFICIAL }],
    });
    expect(errorsOf(() => {}, set).map((e) => e.message)).toContain(
      'Có chỉ số loại điều kiện nhưng không có quy tắc allConditionsMet hoặc levels để xét chúng',
    );
    expect(errorsOf((s) => (s.criteria[0].indicators[1].maxPoints = 2), set).map((e) => e.path)).toContain(
      'criteria[0].indicators[1].maxPoints',
    );
  });
});
