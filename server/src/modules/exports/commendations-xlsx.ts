import ExcelJS from 'exceljs';
import { formatCount } from '@hoctap/shared';
import type { CommendationsDto } from '@hoctap/shared/api';
import { styleHeader } from './xlsx.ts';

/** Column headers of the commendation proposal (docs/transparency.md §5); tests read the sheet back by these. */
export const COMMENDATION_HEADERS = [
  'STT',
  'Họ tên / tên hộ',
  'Ấp/khóm',
  'Danh hiệu',
  'Số năm liên tục',
  'Các năm',
  'Ghi chú',
] as const;

export const PROVISIONAL_NOTE = 'Tạm thời (chưa có quyết định công nhận năm nay)';

/** Years are written as years ("2022, 2023"), never as counts with a thousands separator. */
export const yearsText = (years: number[]) => years.map(String).join(', ');

/** One sheet: the list a commune sends upward, one row per proposed subject, in the JSON's order. */
export function buildCommendationsWorkbook(data: CommendationsDto): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Học tập suốt đời';
  const ws = wb.addWorksheet('Đề xuất khen thưởng', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COMMENDATION_HEADERS.map((h, i) => ({
    header: h,
    key: `c${i}`,
    width: [6, 32, 20, 44, 10, 30, 28][i],
  }));
  styleHeader(ws.getRow(1));
  data.items.forEach((it, i) => {
    ws.addRow([
      i + 1,
      it.name,
      it.hamletName,
      it.honour ? `${it.title} — ${it.honour}` : it.title,
      it.consecutiveYears,
      yearsText(it.years),
      it.provisional ? PROVISIONAL_NOTE : '',
    ]);
  });
  ws.addRow([]);
  const rules = data.rules.map((r) => `${formatCount(r.years)} năm liên tục`).filter((v, i, a) => a.indexOf(v) === i);
  ws.addRow(['', `${data.communeName}, năm ${data.year}: danh hiệu giữ ${rules.join(' / ') || '—'}, tính cả năm nay.`]);
  return wb;
}
