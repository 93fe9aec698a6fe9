import { z } from 'zod';
import { compile, compileRules, isOnStep, scoringViews, roundPoints } from './compile.ts';
import { formatNumber } from '../format.ts';
import { CriteriaSetSchema, type CriteriaSet, type Indicator, type Provenance } from './schema.ts';
import { SHARE_KEYS_BY_SUBJECT } from './subject-types.ts';
import { SUBJECT_TYPE_LABELS } from '../i18n/labels.ts';

/*
 * parseCriteriaSet(): the one door for criteria data (shipped catalog and sets officers upload).
 * Shape errors come from zod (Vietnamese locale); the semantic checks below cover what a schema
 * cannot express. Every error has a path into the JSON ("criteria[1].indicators[0].floor") and a
 * Vietnamese reason, and all errors are reported at once so an officer fixes a file in one pass.
 */

export interface CriteriaSetError {
  path: string;
  message: string;
}

export type ParseCriteriaSetResult = { ok: true; set: CriteriaSet } | { ok: false; errors: CriteriaSetError[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(gốc)' : out;
}

const viLocale = z.locales.vi();

export function parseCriteriaSet(json: unknown): ParseCriteriaSetResult {
  const parsed = CriteriaSetSchema.safeParse(json, { error: viLocale.localeError });
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    };
  }
  const errors = checkSemantics(parsed.data);
  return errors.length === 0 ? { ok: true, set: parsed.data } : { ok: false, errors };
}

/** Same as parseCriteriaSet but throws with every error listed; for data that must be valid (the catalog). */
export function assertCriteriaSet(json: unknown, label = 'criteria set'): CriteriaSet {
  const r = parseCriteriaSet(json);
  if (!r.ok) {
    throw new Error(`Invalid ${label}:\n${r.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  }
  return r.set;
}

const EPS = 1e-9;

/** Semantic checks on a set whose shape is already valid. Exported for tests and tools. */
export function checkSemantics(set: CriteriaSet): CriteriaSetError[] {
  const errors: CriteriaSetError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });

  // --- sources and provenance -------------------------------------------------------------
  const sourceIds = new Set<string>();
  set.sources.forEach((s, i) => {
    if (sourceIds.has(s.id)) err(`sources[${i}].id`, `Mã nguồn "${s.id}" bị trùng`);
    sourceIds.add(s.id);
  });
  const checkProvenance = (p: Provenance, path: string) => {
    const base = path === '' ? 'provenance' : `${path}.provenance`;
    p.sources.forEach((id, i) => {
      if (!sourceIds.has(id)) err(`${base}.sources[${i}]`, `Nguồn "${id}" không có trong danh sách sources`);
    });
    if (p.status === 'official' && p.sources.length === 0) {
      err(`${base}.sources`, 'Giá trị chính thức (official) phải dẫn ít nhất một nguồn');
    }
  };
  checkProvenance(set.provenance, '');

  if (set.override && set.override.of === set.id) {
    err('override.of', 'Bộ tiêu chí không thể điều chỉnh chính nó');
  }

  // --- subject groups ---------------------------------------------------------------------
  const groupCodes = new Set<string>();
  (set.subjectGroups ?? []).forEach((g, i) => {
    if (groupCodes.has(g.code)) err(`subjectGroups[${i}].code`, `Mã nhóm đối tượng "${g.code}" bị trùng`);
    groupCodes.add(g.code);
    checkProvenance(g.provenance, `subjectGroups[${i}]`);
  });

  // --- criteria and indicators ------------------------------------------------------------
  const criterionCodes = new Map<string, number>();
  const indicatorCodes = new Map<string, string>();
  const rules = compileRules(set);
  const ruleTypes = new Set(set.ratingRules.map((r) => r.type));
  let conditionCount = 0;
  let pointCount = 0;

  set.criteria.forEach((criterion, ci) => {
    const cpath = `criteria[${ci}]`;
    if (criterionCodes.has(criterion.code)) err(`${cpath}.code`, `Mã tiêu chí "${criterion.code}" bị trùng`);
    criterionCodes.set(criterion.code, ci);
    checkProvenance(criterion.provenance, cpath);

    criterion.indicators.forEach((ind, ii) => {
      const ipath = `${cpath}.indicators[${ii}]`;
      const first = indicatorCodes.get(ind.code);
      if (first !== undefined) err(`${ipath}.code`, `Mã chỉ số "${ind.code}" bị trùng (đã dùng ở ${first})`);
      else indicatorCodes.set(ind.code, ipath);
      checkProvenance(ind.provenance, ipath);
      if (ind.kind === 'condition') conditionCount++;
      else pointCount++;
      checkIndicator(ind, ipath, err);

      if (ind.groups) {
        if (groupCodes.size === 0) {
          err(`${ipath}.groups`, 'Chỉ số giới hạn theo nhóm nhưng bộ tiêu chí không khai báo subjectGroups');
        }
        ind.groups.forEach((g, gi) => {
          if (groupCodes.size > 0 && !groupCodes.has(g))
            err(`${ipath}.groups[${gi}]`, `Nhóm đối tượng "${g}" không có trong subjectGroups`);
        });
      }
      if (ind.level !== undefined && !ruleTypes.has('levels')) {
        err(`${ipath}.level`, 'Chỉ số có mức độ (level) nhưng bộ tiêu chí không có quy tắc "levels"');
      }
      if (rules.indicatorFloor !== undefined && ind.kind !== 'condition' && rules.indicatorFloor > ind.maxPoints) {
        err(
          `${ipath}.maxPoints`,
          `Điểm sàn chung ${formatNumber(rules.indicatorFloor)} lớn hơn điểm tối đa ${formatNumber(ind.maxPoints)} của chỉ số ${ind.code}`,
        );
      }
    });
  });

  // Criterion maxima and totals are checked per form: one view per subject group (or one view).
  const compiled = compile(set);
  const views = scoringViews(compiled);
  set.criteria.forEach((criterion, ci) => {
    if (criterion.maxPoints === undefined) return;
    for (const view of views) {
      const sum = view.criterionMax[ci]!;
      if (Math.abs(sum - criterion.maxPoints) > EPS) {
        const where = view.group === null ? '' : ` (nhóm ${view.group})`;
        err(
          `criteria[${ci}].maxPoints`,
          `Tổng điểm tối đa các chỉ số${where} là ${formatNumber(sum)}, khác điểm tối đa của tiêu chí ${formatNumber(criterion.maxPoints)}`,
        );
      }
    }
  });
  for (const view of views) {
    if (view.indicators.length === 0) {
      err('criteria', `Nhóm đối tượng "${view.group}" không có chỉ số nào áp dụng`);
    }
  }
  const maxTotals = views.map((v) => v.maxTotal);
  const smallestMax = Math.min(...maxTotals);
  const largestMax = Math.max(...maxTotals);

  // --- rating rules ----------------------------------------------------------------------
  const seenRuleTypes = new Map<string, number>();
  set.ratingRules.forEach((rule, ri) => {
    const rpath = `ratingRules[${ri}]`;
    if (seenRuleTypes.has(rule.type))
      err(
        `${rpath}.type`,
        `Quy tắc "${rule.type}" khai báo hai lần (đã có ở ratingRules[${seenRuleTypes.get(rule.type)}])`,
      );
    seenRuleTypes.set(rule.type, ri);
    checkProvenance(rule.provenance, rpath);

    switch (rule.type) {
      case 'threshold':
        if (pointCount === 0) err(`${rpath}`, 'Quy tắc ngưỡng điểm cần ít nhất một chỉ số chấm điểm');
        else if (rule.minTotal > smallestMax + EPS) {
          err(
            `${rpath}.minTotal`,
            `Ngưỡng đạt ${formatNumber(rule.minTotal)} lớn hơn tổng điểm tối đa ${formatNumber(smallestMax)}`,
          );
        }
        break;
      case 'indicatorFloor':
        if (pointCount === 0) err(`${rpath}`, 'Điểm sàn chỉ số cần ít nhất một chỉ số chấm điểm');
        break;
      case 'bands':
        if (pointCount === 0) err(`${rpath}`, 'Xếp loại theo khoảng điểm cần ít nhất một chỉ số chấm điểm');
        else checkBands(rule.bands, rpath, largestMax, err);
        break;
      case 'allConditionsMet':
        if (conditionCount === 0)
          err(`${rpath}`, 'Quy tắc "đạt tất cả điều kiện" cần ít nhất một chỉ số loại điều kiện (kind: "condition")');
        break;
      case 'levels': {
        const sorted = rule.levels.map((l) => l.level).sort((a, b) => a - b);
        sorted.forEach((lv, i) => {
          if (lv !== i + 1) err(`${rpath}.levels`, 'Các mức độ phải liên tiếp từ 1 (1, 2, 3, …), không trùng');
        });
        const known = new Set(sorted);
        set.criteria.forEach((c, ci) =>
          c.indicators.forEach((ind, ii) => {
            if (ind.level !== undefined && !known.has(ind.level)) {
              err(`criteria[${ci}].indicators[${ii}].level`, `Mức độ ${ind.level} không có trong quy tắc levels`);
            }
          }),
        );
        break;
      }
      case 'consecutiveYears':
        break;
    }
  });
  const deciding = ['threshold', 'bands', 'allConditionsMet', 'levels'];
  if (!set.ratingRules.some((r) => deciding.includes(r.type))) {
    err(
      'ratingRules',
      'Cần ít nhất một quy tắc quyết định đạt/không đạt: threshold, bands, allConditionsMet hoặc levels',
    );
  }
  if (conditionCount > 0 && !ruleTypes.has('allConditionsMet') && !ruleTypes.has('levels')) {
    err('ratingRules', 'Có chỉ số loại điều kiện nhưng không có quy tắc allConditionsMet hoặc levels để xét chúng');
  }

  // --- prerequisites ---------------------------------------------------------------------
  const prereqCodes = new Set<string>();
  const allowedShares = SHARE_KEYS_BY_SUBJECT[set.subjectType];
  (set.prerequisites ?? []).forEach((p, pi) => {
    const ppath = `prerequisites[${pi}]`;
    if (prereqCodes.has(p.code)) err(`${ppath}.code`, `Mã điều kiện tiên quyết "${p.code}" bị trùng`);
    prereqCodes.add(p.code);
    checkProvenance(p.provenance, ppath);
    if (!Number.isFinite(p.minShare) || p.minShare < 0 || p.minShare > 1) {
      err(
        `${ppath}.minShare`,
        `Tỷ lệ tối thiểu phải nằm trong khoảng 0..1 (ví dụ 0.5 là 50%), nhận được ${p.minShare}`,
      );
    } else if (roundPoints(p.minShare) !== p.minShare) {
      err(`${ppath}.minShare`, 'Tỷ lệ tối thiểu chỉ được có tối đa 6 chữ số thập phân (để so sánh chính xác)');
    } else if (p.comparison === 'gt' && p.minShare === 1) {
      err(`${ppath}.comparison`, 'Điều kiện "trên 100%" không bao giờ đạt được');
    }
    if (!allowedShares.includes(p.share)) {
      err(`${ppath}.share`, `Tỷ lệ "${p.share}" không áp dụng cho đối tượng ${SUBJECT_TYPE_LABELS[set.subjectType]}`);
    }
  });

  return errors;
}

function checkIndicator(ind: Indicator, ipath: string, err: (path: string, message: string) => void): void {
  if (ind.kind === 'condition') {
    if (ind.maxPoints !== 1)
      err(`${ipath}.maxPoints`, 'Chỉ số loại điều kiện có maxPoints = 1 (1 = đạt, 0 = chưa đạt)');
    if (ind.step !== undefined || ind.allowedPoints !== undefined)
      err(`${ipath}`, 'Chỉ số loại điều kiện không dùng step/allowedPoints');
    if (ind.floor !== undefined) err(`${ipath}.floor`, 'Chỉ số loại điều kiện không có điểm sàn');
    return;
  }
  if (ind.step !== undefined && ind.allowedPoints !== undefined) {
    err(`${ipath}`, 'Chỉ dùng một trong hai: step hoặc allowedPoints');
  }
  if (ind.step !== undefined && !isOnStep(ind.maxPoints, ind.step)) {
    err(
      `${ipath}.step`,
      `Bước điểm ${formatNumber(ind.step)} không chia hết điểm tối đa ${formatNumber(ind.maxPoints)}: không thể chấm đủ điểm tối đa`,
    );
  }
  if (ind.step === undefined && ind.allowedPoints === undefined && !Number.isInteger(ind.maxPoints)) {
    err(
      `${ipath}.maxPoints`,
      `Điểm tối đa ${formatNumber(ind.maxPoints)} không nguyên: khai báo step (ví dụ 0.5) hoặc allowedPoints`,
    );
  }
  if (ind.allowedPoints !== undefined) {
    const a = ind.allowedPoints;
    for (let i = 1; i < a.length; i++) {
      if (!(a[i]! > a[i - 1]!)) {
        err(`${ipath}.allowedPoints`, 'Các mức điểm cho phép phải tăng dần và không trùng');
        break;
      }
    }
    if (a.some((v) => v > ind.maxPoints))
      err(`${ipath}.allowedPoints`, `Có mức điểm lớn hơn điểm tối đa ${formatNumber(ind.maxPoints)}`);
    if (!a.includes(ind.maxPoints))
      err(`${ipath}.allowedPoints`, `Các mức điểm cho phép phải có điểm tối đa ${formatNumber(ind.maxPoints)}`);
  }
  if (ind.floor !== undefined && ind.floor > ind.maxPoints) {
    err(`${ipath}.floor`, `Điểm sàn ${formatNumber(ind.floor)} lớn hơn điểm tối đa ${formatNumber(ind.maxPoints)}`);
  }
}

interface BandLike {
  code: string;
  label: string;
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
  passes: boolean;
}

function bound(value: number, inclusive: boolean, lower: boolean): string {
  return lower ? `${inclusive ? '[' : '('}${formatNumber(value)}` : `${formatNumber(value)}${inclusive ? ']' : ')'}`;
}

/**
 * Bands must tile [0, max total] exactly: sorted by lower bound, each band starts where the
 * previous ends, and the shared boundary belongs to exactly one of the two.
 */
function checkBands(
  bands: readonly BandLike[],
  rpath: string,
  maxTotal: number,
  err: (path: string, message: string) => void,
): void {
  const codes = new Set<string>();
  bands.forEach((b, i) => {
    if (codes.has(b.code)) err(`${rpath}.bands[${i}].code`, `Mã xếp loại "${b.code}" bị trùng`);
    codes.add(b.code);
    const empty = b.min > b.max || (b.min === b.max && !(b.minInclusive && b.maxInclusive));
    if (empty)
      err(
        `${rpath}.bands[${i}]`,
        `Khoảng ${bound(b.min, b.minInclusive, true)}, ${bound(b.max, b.maxInclusive, false)} của "${b.label}" rỗng`,
      );
  });
  if (!bands.some((b) => b.passes)) err(`${rpath}.bands`, 'Không có xếp loại nào được công nhận (passes: true)');

  const order = bands
    .map((b, i) => ({ b, i }))
    .sort((x, y) => x.b.min - y.b.min || Number(y.b.minInclusive) - Number(x.b.minInclusive));
  const firstEntry = order[0];
  if (!firstEntry) return;
  if (firstEntry.b.min !== 0 || !firstEntry.b.minInclusive) {
    err(
      `${rpath}.bands[${firstEntry.i}].min`,
      `Xếp loại thấp nhất phải bắt đầu từ 0 điểm (bao gồm 0), đang là ${bound(firstEntry.b.min, firstEntry.b.minInclusive, true)}`,
    );
  }
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    const p = prev.b;
    const c = cur.b;
    const at = `${rpath}.bands[${cur.i}].min`;
    if (c.min < p.max || (c.min === p.max && c.minInclusive && p.maxInclusive)) {
      err(
        at,
        `Xếp loại "${c.label}" (${bound(c.min, c.minInclusive, true)}) chồng lên "${p.label}" (${bound(p.max, p.maxInclusive, false)})`,
      );
    } else if (c.min > p.max || (!c.minInclusive && !p.maxInclusive)) {
      err(
        at,
        `Có khoảng trống giữa "${p.label}" (${bound(p.max, p.maxInclusive, false)}) và "${c.label}" (${bound(c.min, c.minInclusive, true)})`,
      );
    }
  }
  const last = order[order.length - 1]!;
  if (Math.abs(last.b.max - maxTotal) > EPS || !last.b.maxInclusive) {
    err(
      `${rpath}.bands[${last.i}].max`,
      `Xếp loại cao nhất phải kết thúc ở tổng điểm tối đa ${formatNumber(maxTotal)} (bao gồm), đang là ${bound(last.b.max, last.b.maxInclusive, false)}`,
    );
  }
}
