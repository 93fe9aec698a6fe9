import { formatNumber, roundHalfAway } from '@hoctap/shared';

/**
 * A share typed as a Vietnamese percentage: "77,5", "77,5 %", "85" → 0.775, 0.775, 0.85; blank →
 * null (no own value: the province's or the plan's applies). Decimal comma only: "77.5" is read
 * by a Vietnamese eye as seventy-seven thousand five hundred, so it is refused with a hint.
 */
export type PercentParse = { ok: true; share: number | null } | { ok: false; message: string };

export function parsePercent(text: string): PercentParse {
  const t = text.trim().replace(/\s*%$/, '').trim();
  if (t === '') return { ok: true, share: null };
  if (/^\d+\.\d+$/.test(t)) return { ok: false, message: 'Dùng dấu phẩy cho phần thập phân, ví dụ 77,5.' };
  const m = /^(\d{1,3})(?:,(\d+))?$/.exec(t);
  if (!m) return { ok: false, message: 'Nhập một số phần trăm, ví dụ 85 hoặc 77,5.' };
  if ((m[2] ?? '').length > 1) return { ok: false, message: 'Chỉ nhập tối đa một chữ số sau dấu phẩy.' };
  const percent = Number(`${m[1]}.${m[2] ?? '0'}`);
  if (percent > 100) return { ok: false, message: 'Tỷ lệ không được lớn hơn 100 %.' };
  return { ok: true, share: roundHalfAway(percent / 100, 3) };
}

/** 0.775 → "77,5" (the input's value; the % sign stands beside the box). */
export function percentInput(share: number | null | undefined): string {
  return share === null || share === undefined ? '' : formatNumber(share * 100, 1);
}
