import { compile, isAllowedPoints, score, type Answers, type CriteriaSet, type ScoreResult } from '@hoctap/shared';
import type { AssessmentRow } from './assessments.repo.ts';

/** Engine glue: answers in its shape, scores, and per-indicator point checks. */
/** Answers in the engine's shape; `photos` feeds the evidence rules. */
export function toEngineAnswers(
  rows: { indicatorCode: string; points: number | null; photos?: number }[],
): Record<string, { points: number | null; evidenceCount?: number }> {
  const out: Record<string, { points: number | null; evidenceCount?: number }> = {};
  for (const r of rows)
    out[r.indicatorCode] =
      r.photos === undefined ? { points: r.points } : { points: r.points, evidenceCount: r.photos };
  return out;
}

export function scoreOf(set: CriteriaSet, a: AssessmentRow, answers: Answers, checkEvidence = true): ScoreResult {
  return score(set, answers, { ...(a.subjectGroup ? { group: a.subjectGroup } : {}), checkEvidence });
}

/** The indicator codes that apply to this assessment (its subject group's form). */
export function applicableCodes(
  set: CriteriaSet,
  group: string | null,
): Map<string, { maxPoints: number; isCondition: boolean }> {
  const compiled = compile(set);
  const view = compiled.views.get(group ?? '') ?? compiled.views.get('')!;
  const out = new Map<string, { maxPoints: number; isCondition: boolean }>();
  for (const ci of view.indicators) out.set(ci.code, { maxPoints: ci.maxPoints, isCondition: ci.isCondition });
  return out;
}

export function checkPoints(set: CriteriaSet, group: string | null, code: string, points: number): string | null {
  const compiled = compile(set);
  const view = compiled.views.get(group ?? '') ?? compiled.views.get('')!;
  const ci = view.indicators.find((i) => i.code === code);
  if (!ci) return `Chỉ số ${code} không có trong bộ tiêu chí của hồ sơ này`;
  if (points > ci.maxPoints) return `Chỉ số ${code} tối đa ${ci.maxPoints} điểm, không thể chấm ${points} điểm`;
  if (!isAllowedPoints(ci, points)) {
    if (ci.isCondition) return `Điều kiện ${code}: chỉ chọn Đạt (1) hoặc Chưa đạt (0)`;
    if (ci.allowed) return `Chỉ số ${code}: chỉ được chấm ${ci.allowed.join('; ')} điểm`;
    return `Chỉ số ${code}: ${points} điểm không hợp lệ (bước chấm ${ci.step})`;
  }
  return null;
}
