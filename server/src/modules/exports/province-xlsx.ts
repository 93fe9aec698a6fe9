import ExcelJS from 'exceljs';
import { REPORTING_STATUS_LABELS, roundShare, shareNumFmt } from '@hoctap/shared';
import type { SummaryDto, TitleFigures } from '@hoctap/shared/api';
import { FIGURE_HEADERS, figureRow, formatShares, sheetName, styleHeader } from './xlsx.ts';
import { vnDate, vnDateTime } from './files.ts';

const share = (x: number | null | undefined) => (x === null || x === undefined ? null : roundShare(x));
const met = (f: TitleFigures | undefined) =>
  !f || f.gap === null ? '' : f.gap <= 0 ? 'Đạt' : `Chưa đạt (thiếu ${f.missing ?? 0})`;

/**
 * The province's consolidated workbook, the table a province sends upward: one row per commune
 * with each title's registry total, recognised count, share, target and whether it is met, and
 * whether the commune has reported; then a sheet per title with the full figures per commune.
 * Figures only, never a name: a province viewer may download it.
 */
export function buildProvinceWorkbook(input: { summary: SummaryDto; now: Date }): ExcelJS.Workbook {
  const { summary } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Học tập suốt đời';
  wb.created = input.now;
  wb.title = `Tổng hợp danh hiệu học tập năm ${summary.year} – ${summary.unit.name}`;
  const communes = [...summary.children].sort((a, b) => a.unit.name.localeCompare(b.unit.name, 'vi'));

  // ---- one row per commune
  const ws = wb.addWorksheet('Tổng hợp theo xã', { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  const perTitle = summary.titles.map((t) => [
    { header: `${t.title}: tổng số`, width: 14 },
    { header: `${t.title}: được công nhận`, width: 14 },
    { header: `${t.title}: tỷ lệ`, width: 12, share: true },
    { header: `${t.title}: chỉ tiêu`, width: 12, share: true },
    { header: `${t.title}: đánh giá`, width: 16 },
  ]);
  const columns = [
    { header: 'STT', width: 6 },
    { header: 'Xã/phường', width: 28 },
    ...perTitle.flat(),
    { header: 'Tình trạng báo cáo', width: 26 },
    { header: 'Hạn báo cáo', width: 13 },
    { header: 'Quyết định gần nhất', width: 14 },
  ];
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  styleHeader(ws.getRow(1));
  ws.getRow(1).height = 48;
  const shareCols = columns.flatMap((c, i) => ('share' in c && c.share ? [i + 1] : []));
  const titleCells = (titles: TitleFigures[]) =>
    summary.titles.flatMap((t) => {
      const f = titles.find((x) => x.subjectType === t.subjectType);
      return [f?.registryTotal ?? 0, f?.recognised ?? 0, share(f?.share), share(f?.target), met(f)];
    });
  const addRow = (values: unknown[]) => {
    const row = ws.addRow(values);
    for (const col of shareCols) {
      const cell = row.getCell(col);
      if (typeof cell.value === 'number') cell.numFmt = shareNumFmt(cell.value);
    }
    return row;
  };
  communes.forEach((c, i) => {
    const r = c.reporting;
    addRow([
      i + 1,
      c.unit.name,
      ...titleCells(c.titles),
      r ? REPORTING_STATUS_LABELS[r.status] : '',
      r?.reportDueAt ? vnDate(r.reportDueAt.slice(0, 10)) : '',
      r?.lastDecidedOn ? vnDate(r.lastDecidedOn) : '',
    ]);
  });
  const total = addRow(['', `Toàn tỉnh (${communes.length} xã/phường)`, ...titleCells(summary.titles), '', '', '']);
  total.font = { bold: true };
  ws.addRow([]);
  const late = communes.filter((c) => c.reporting && ['overdue', 'no_campaign'].includes(c.reporting.status));
  ws.addRow([
    '',
    `Mẫu số là toàn bộ đối tượng trong sổ của xã. ${late.length} xã/phường chưa báo cáo hoặc chưa mở đợt đánh giá.`,
  ]);
  ws.addRow(['', `Lập lúc ${vnDateTime(input.now)}`]);

  // ---- a sheet per title, the full figures by commune
  for (const f of summary.titles) {
    const sheet = wb.addWorksheet(sheetName(f.title), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = FIGURE_HEADERS.map((h, i) => ({
      header: i === 0 ? 'Xã/phường' : h,
      key: `c${i}`,
      width: i === 0 ? 30 : 13,
    }));
    styleHeader(sheet.getRow(1));
    for (const c of communes) {
      formatShares(
        sheet.addRow(
          figureRow(
            c.unit.name,
            c.titles.find((t) => t.subjectType === f.subjectType),
          ),
        ),
      );
    }
    const row = sheet.addRow(figureRow('Toàn tỉnh', f));
    row.font = { bold: true };
    formatShares(row);
  }
  return wb;
}
