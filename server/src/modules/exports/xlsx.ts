import ExcelJS from 'exceljs';
import { roundShare, shareNumFmt, TITLE_LABELS, SUBJECT_TYPE_LABELS } from '@hoctap/shared';
import type { SummaryDto, TitleFigures } from '@hoctap/shared/api';
import type { SubjectType } from '../../db/schema/index.ts';
import { vnDateTime } from './files.ts';

export interface RecognisedItem {
  subjectType: SubjectType;
  hamletName: string;
  name: string;
  certificateNo: string | null;
  decisionNumber: string | null;
}

/** Column headers of the per-title tables; tests read the sheets back by these. */
export const FIGURE_HEADERS = [
  'Ấp/khóm',
  'Tổng số (theo sổ)',
  'Đăng ký',
  'Đã nộp',
  'Đã xác minh',
  'Được công nhận',
  'Tỷ lệ công nhận',
  'Chỉ tiêu',
  'Chênh lệch',
  'Còn thiếu',
] as const;

/** Share columns (share, target, gap): 1-based, in FIGURE_HEADERS order. */
const SHARE_COLUMNS = [7, 8, 9];
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** Sheet names: ≤ 31 characters, none of : \ / ? * [ ]. */
export const sheetName = (s: string) => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

export function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = { bottom: { style: 'thin' } };
  });
}

const share = (x: number | null | undefined) => (x === null || x === undefined ? null : roundShare(x));

/**
 * Shares are real numbers, rounded as formatShare rounds them, each with the format that shows
 * the same text ("77,5 %", "85 %") in a Vietnamese Excel or LibreOffice.
 */
export function formatShares(row: ExcelJS.Row) {
  for (const col of SHARE_COLUMNS) {
    const cell = row.getCell(col);
    if (typeof cell.value === 'number') cell.numFmt = shareNumFmt(cell.value);
  }
}

export function figureRow(name: string, f: TitleFigures | undefined) {
  return [
    name,
    f?.registryTotal ?? 0,
    f?.registered ?? 0,
    f?.submitted ?? 0,
    f?.verified ?? 0,
    f?.recognised ?? 0,
    share(f?.share),
    share(f?.target),
    share(f?.gap),
    f?.missing ?? null,
  ];
}

/**
 * The commune's report workbook, for an officer who does not edit spreadsheets: an overview, a
 * sheet per title with the figures by hamlet and the recognised list below, real numbers (not
 * text) with percent formats that show what every other reader shows, Vietnamese headers, fixed widths, header row frozen.
 */
export function buildReportWorkbook(input: {
  summary: SummaryDto;
  communeName: string;
  recognised: RecognisedItem[];
  now: Date;
}): ExcelJS.Workbook {
  const { summary } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Học tập suốt đời';
  wb.created = input.now;
  wb.title = `Báo cáo danh hiệu học tập năm ${summary.year} – ${summary.unit.name}`;

  // ---- overview
  const ov = wb.addWorksheet('Tổng hợp', { views: [{ state: 'frozen', ySplit: 1 }] });
  ov.columns = [
    { header: 'Danh hiệu', key: 'title', width: 34 },
    ...FIGURE_HEADERS.slice(1).map((h, i) => ({ header: h, key: `c${i}`, width: i >= 5 ? 13 : 12 })),
    { header: 'Nguồn chỉ tiêu', key: 'source', width: 36 },
  ];
  styleHeader(ov.getRow(1));
  for (const f of summary.titles) {
    const target = summary.targets.find((t) => t.indicator === f.indicator);
    formatShares(ov.addRow([...figureRow(f.title, f), f.subjectType === 'citizen' ? '' : (target?.sourceLabel ?? '')]));
  }
  for (const c of summary.cdht) {
    const target = summary.targets.find((t) => t.indicator === c.indicator);
    formatShares(
      ov.addRow([
        c.label,
        c.population,
        null,
        null,
        null,
        c.holders,
        share(c.share),
        share(c.target),
        share(c.gap),
        null,
        target?.sourceLabel ?? '',
      ]),
    );
  }
  ov.addRow([]);
  ov.addRow([
    `${summary.unit.name} – năm ${summary.year}. Mẫu số là toàn bộ đối tượng trong sổ, không chỉ những đối tượng đã nộp.`,
  ]);
  ov.addRow([`Lập lúc ${vnDateTime(input.now)}`]);

  // ---- a sheet per title
  for (const f of summary.titles) {
    const type = f.subjectType;
    const ws = wb.addWorksheet(sheetName(TITLE_LABELS[type]), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = FIGURE_HEADERS.map((h, i) => ({ header: h, key: `c${i}`, width: i === 0 ? 34 : 13 }));
    styleHeader(ws.getRow(1));
    for (const child of summary.children) {
      formatShares(
        ws.addRow(
          figureRow(
            child.unit.name,
            child.titles.find((t) => t.subjectType === type),
          ),
        ),
      );
    }
    const total = ws.addRow(figureRow(`Toàn ${summary.unit.level === 'hamlet' ? 'ấp' : 'xã'}`, f));
    total.font = { bold: true };
    formatShares(total);

    const items = input.recognised.filter((r) => r.subjectType === type);
    if (type === 'citizen' && items.length === 0) continue;
    ws.addRow([]);
    const caption = ws.addRow([
      `Danh sách ${SUBJECT_TYPE_LABELS[type].toLowerCase()} được công nhận “${TITLE_LABELS[type]}” theo ấp`,
    ]);
    caption.font = { bold: true };
    const head = ws.addRow(['Ấp/khóm', 'STT', 'Tên', 'Số giấy chứng nhận', 'Số quyết định']);
    styleHeader(head);
    let n = 0;
    let lastHamlet = '';
    for (const r of items) {
      n = r.hamletName === lastHamlet ? n + 1 : 1;
      lastHamlet = r.hamletName;
      // Names are written as plain strings: a cell value is never parsed as a formula.
      ws.addRow([r.hamletName, n, r.name, r.certificateNo ?? '', r.decisionNumber ?? '']);
    }
    if (items.length === 0) ws.addRow(['(chưa có)']);
  }
  return wb;
}
