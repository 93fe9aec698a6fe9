import { z } from 'zod';
import { formatNumber } from '../format.ts';

/*
 * Reasons explain a verdict to the people concerned: a stable machine `code` for the UI and
 * reports, and a Vietnamese `message` a household can read. Messages are built here only, so the
 * wording stays consistent between the mini app and the server.
 */

export const REASON_CODES = [
  'unanswered', // indicator not scored yet
  'points_above_max', // more points than the indicator allows
  'points_not_allowed', // negative, not a number, or not one of the allowed steps
  'evidence_missing', // points claimed without the required photos
  'group_required', // the set has per-group forms and no group was given
  'group_unknown', // the group is not one of the set's groups
  'below_floor', // an indicator under its hard floor
  'below_threshold', // total under the pass mark
  'band_not_passing', // total falls in a band that does not earn the title
  'condition_not_met', // a condition indicator answered "not met"
  'level_not_met', // an indicator needed for the first level not met
  'prerequisite_not_met', // share of members holding a title too low
  'prerequisite_facts_missing', // the share cannot be checked yet
  'prerequisite_facts_invalid', // counts that make no sense (negative, more holders than members)
  'removed_after_posting', // taken off the posted list after a resident's objection
] as const;
export const ReasonCodeSchema = z.enum(REASON_CODES);
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

export const ReasonSchema = z.object({
  code: ReasonCodeSchema,
  indicatorCode: z.string().optional(),
  prerequisiteCode: z.string().optional(),
  message: z.string(),
});
export type Reason = z.infer<typeof ReasonSchema>;

function listPoints(values: readonly number[]): string {
  return values.map((v) => formatNumber(v)).join('; ');
}

export const messages = {
  unanswered: (code: string, isCondition: boolean) =>
    isCondition ? `Chưa đánh giá điều kiện ${code}` : `Chưa chấm chỉ số ${code}`,
  pointsAboveMax: (code: string, points: number, max: number) =>
    `Chỉ số ${code} tối đa ${formatNumber(max)} điểm, không thể chấm ${formatNumber(points)} điểm`,
  pointsNotAllowed: (
    code: string,
    points: unknown,
    allowed: readonly number[] | undefined,
    step: number,
    isCondition: boolean,
  ) => {
    const shown = typeof points === 'number' && Number.isFinite(points) ? `${formatNumber(points, 6)} điểm` : 'đã nhập';
    if (isCondition) return `Điều kiện ${code}: chỉ chọn Đạt (1) hoặc Chưa đạt (0), giá trị ${shown} không hợp lệ`;
    if (allowed) return `Chỉ số ${code}: ${shown} không hợp lệ, chỉ được chấm ${listPoints(allowed)} điểm`;
    if (step === 1) return `Chỉ số ${code}: ${shown} không hợp lệ, chỉ chấm điểm nguyên từ 0`;
    return `Chỉ số ${code}: ${shown} không hợp lệ, chỉ chấm theo bước ${formatNumber(step)} điểm`;
  },
  evidenceMissing: (code: string, missing: number, hint: string | undefined) =>
    `Còn thiếu ${missing > 1 ? `${missing} ảnh` : 'ảnh'} minh chứng cho chỉ số ${code}${hint ? ` (${hint})` : ''}`,
  groupRequired: () => 'Chưa chọn nhóm đối tượng để chấm theo đúng mẫu phiếu',
  groupUnknown: (group: string) => `Nhóm đối tượng "${group}" không có trong bộ tiêu chí`,
  belowFloor: (code: string, points: number, floor: number) =>
    `Chỉ số ${code} dưới ${formatNumber(floor)} điểm (mới đạt ${formatNumber(points)} điểm)`,
  belowThreshold: (total: number, min: number, bestCase: boolean) =>
    bestCase
      ? `Dù chấm tối đa các chỉ số còn lại, tổng điểm chỉ đạt ${formatNumber(total)}, chưa đủ ${formatNumber(min)} điểm`
      : `Tổng điểm ${formatNumber(total)} chưa đạt mức ${formatNumber(min)} điểm`,
  bandNotPassing: (label: string, total: number) => `Xếp loại ${label} (tổng điểm ${formatNumber(total)})`,
  conditionNotMet: (code: string, text: string) => `Chưa đạt điều kiện ${code}: ${text}`,
  levelNotMet: (code: string, levelLabel: string) => `Chưa đạt chỉ số ${code} của ${levelLabel}`,
};

/** How a verdict reads in one line ("Đạt: 85/100 điểm"). */
export const summaries = {
  pass: (total: number, max: number, bandLabel: string | undefined) =>
    max > 0
      ? `Đạt${bandLabel ? ` (xếp loại ${bandLabel})` : ''}: ${formatNumber(total)}/${formatNumber(max)} điểm`
      : 'Đạt: đủ tất cả điều kiện',
  fail: (total: number, max: number, reasonCount: number) =>
    max > 0
      ? `Chưa đạt: ${formatNumber(total)}/${formatNumber(max)} điểm, ${reasonCount} lý do`
      : `Chưa đạt: ${reasonCount} điều kiện chưa đáp ứng`,
  incomplete: (missing: number, canStillPass: boolean) =>
    `Chưa chấm xong: còn ${missing} mục cần bổ sung${canStillPass ? '' : '; dù bổ sung cũng chưa thể đạt'}`,
};
