import { badRequest, unsupportedMediaType } from '../../lib/errors.ts';
import { fold } from '../registry/text.ts';

/**
 * Reads a commune's household list from XLSX or CSV into rows of named cells. Tolerant of the
 * spellings communes actually use for headers (ấp/khóm/thôn, tổ, chủ hộ, SĐT …), NFC or NFD text,
 * a UTF-8 BOM, and `,` `;` or tab separated CSV. Row numbers are the ones the officer sees in Excel.
 */

export const IMPORT_FIELDS = ['code', 'hamlet', 'group', 'head', 'address', 'members', 'phone', 'clan'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ParsedRow {
  row: number;
  cells: Partial<Record<ImportField, string>>;
  /** "C5 (gộp C4:C6)" for every read cell of this row inside a merged range (XLSX). */
  merged: string[];
}

export interface ParsedFile {
  kind: 'xlsx' | 'csv';
  headerRow: number;
  columns: Partial<Record<ImportField, string>>;
  rows: ParsedRow[];
}

export const MAX_IMPORT_ROWS = 20_000;

/** Which field a header cell names, or null. */
export function headerField(raw: string): ImportField | null {
  const h = fold(raw)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!h) return null;
  if (/\bdong ho\b|\bho toc\b/.test(h)) return 'clan';
  if (/\bma ho\b|\bma so ho\b|\bma hgd\b|^ma$|\bma ho gia dinh\b/.test(h)) return 'code';
  if (/\bchu ho\b|\bnguoi dai dien\b/.test(h)) return 'head';
  if (/\bdia chi\b|\bso nha\b/.test(h)) return 'address';
  if (/\bnhan khau\b|\bso nguoi\b|\bthanh vien\b/.test(h)) return 'members';
  if (/^sdt\b|^dt\b|\bdien thoai\b|^phone\b/.test(h)) return 'phone';
  if (/\bto dan pho\b|\bkhu pho\b/.test(h)) return 'hamlet';
  if (/^to\b|\bto nhan dan\b|\bto tu quan\b/.test(h)) return 'group';
  if (/^(ten )?(ap|khom|thon|xom|ban)\b/.test(h)) return 'hamlet';
  return null;
}

function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest('Tệp CSV không ở dạng UTF-8. Trong Excel, hãy chọn "Lưu thành" → "CSV UTF-8".', 'IMPORT_ENCODING');
  }
}

/** RFC 4180 CSV with the separator guessed from the first line. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  const sep = counts.sort((a, b) => b[1] - a[1])[0]![0];
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    out.push(row);
  }
  return out;
}

/** A merged range of the sheet, 1-based rows and columns (what Excel shows). */
export interface MergedRange {
  ref: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function parseRef(ref: string): MergedRange | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
  if (!m) return null;
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { ref, top: Number(m[2]), left: col(m[1]!), bottom: Number(m[4]), right: col(m[3]!) };
}

const columnLetter = (col: number) => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/**
 * The cells of one row (0-based grid row, 0-based columns) inside merged ranges. ExcelJS repeats a
 * merged value in every cell it covers, which would silently copy a name or a code onto several
 * rows, so the importers report these rows instead of guessing.
 */
export function mergedCells(merges: MergedRange[], gridRow: number, cols: Iterable<number>): string[] {
  const out: string[] = [];
  const r = gridRow + 1;
  for (const c0 of cols) {
    const c = c0 + 1;
    const range = merges.find((m) => m.top <= r && r <= m.bottom && m.left <= c && c <= m.right);
    if (range) out.push(`${columnLetter(c)}${r} (gộp ${range.ref})`);
  }
  return out;
}

async function readXlsx(buf: Buffer): Promise<{ grid: string[][]; merges: MergedRange[] }> {
  // Loaded on the first import, not at start: ~20 MB resident that most API processes never use.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw badRequest('Không đọc được tệp Excel. Hãy mở và lưu lại tệp ở dạng .xlsx.', 'IMPORT_UNREADABLE');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) return { grid: [], merges: [] };
  if (ws.rowCount > MAX_IMPORT_ROWS + 20)
    throw badRequest(`Tệp có quá nhiều dòng (tối đa ${MAX_IMPORT_ROWS}).`, 'IMPORT_TOO_MANY_ROWS');
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => {
    const cells: string[] = [];
    r.eachCell({ includeEmpty: true }, (c, col) => {
      cells[col - 1] = c.text ?? '';
    });
    out[n - 1] = Array.from(cells, (v) => v ?? '');
  });
  // ExcelJS repeats a merged range's value in every cell it covers; importers decide what that means.
  const refs = ((ws as unknown as { model?: { merges?: string[] } }).model?.merges ?? []) as string[];
  const merges = refs.map(parseRef).filter((m): m is MergedRange => m !== null);
  return { grid: Array.from(out, (r) => r ?? []), merges };
}

/** Any list file as a grid of strings (XLSX first sheet, or CSV), with the XLSX merged ranges. */
export async function readGrid(
  fileName: string,
  buf: Buffer,
): Promise<{ kind: 'xlsx' | 'csv'; grid: string[][]; merges: MergedRange[] }> {
  const lower = fileName.toLowerCase();
  let out: { kind: 'xlsx' | 'csv'; grid: string[][]; merges: MergedRange[] };
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    out = { kind: 'xlsx', ...(await readXlsx(buf)) };
  } else if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw unsupportedMediaType(
      'Định dạng Excel cũ (.xls) chưa được hỗ trợ. Hãy lưu thành .xlsx hoặc CSV UTF-8.',
      'IMPORT_XLS',
    );
  } else if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.tsv')) {
    out = { kind: 'csv', grid: parseCsv(decodeText(buf)), merges: [] };
  } else {
    throw unsupportedMediaType('Chỉ nhận tệp .xlsx hoặc .csv.', 'IMPORT_TYPE');
  }
  if (out.grid.length > MAX_IMPORT_ROWS + 20)
    throw badRequest(`Tệp có quá nhiều dòng (tối đa ${MAX_IMPORT_ROWS}).`, 'IMPORT_TOO_MANY_ROWS');
  return out;
}

export async function parseImportFile(fileName: string, buf: Buffer): Promise<ParsedFile> {
  const { kind, grid, merges } = await readGrid(fileName, buf);

  // The header is the first of the top 10 rows naming the head of household and two more fields.
  let headerIdx = -1;
  let colMap = new Map<number, ImportField>();
  for (let i = 0; i < Math.min(10, grid.length); i++) {
    const m = new Map<number, ImportField>();
    const seen = new Set<ImportField>();
    (grid[i] ?? []).forEach((v, col) => {
      const f = headerField(v);
      if (f && !seen.has(f)) {
        seen.add(f);
        m.set(col, f);
      }
    });
    if (seen.has('head') && seen.size >= 3) {
      headerIdx = i;
      colMap = m;
      break;
    }
  }
  if (headerIdx < 0) {
    throw badRequest(
      'Không tìm thấy dòng tiêu đề. Tệp cần các cột: Ấp, Tổ, Chủ hộ (có thể thêm Địa chỉ, Số nhân khẩu, SĐT, Dòng họ, Mã hộ).',
      'IMPORT_NO_HEADER',
    );
  }
  const columns: Partial<Record<ImportField, string>> = {};
  for (const [col, f] of colMap) columns[f] = (grid[headerIdx]![col] ?? '').normalize('NFC').trim();
  const rows: ParsedRow[] = [];
  for (let i = headerIdx + 1; i < grid.length; i++) {
    const line = grid[i] ?? [];
    if (line.every((v) => !v || !v.trim())) continue;
    const cells: ParsedRow['cells'] = {};
    for (const [col, f] of colMap) {
      const v = line[col];
      if (v && v.trim()) cells[f] = v;
    }
    // Rows with nothing in the known columns (totals, notes, an STT alone) are not households.
    if (Object.keys(cells).length) rows.push({ row: i + 1, cells, merged: mergedCells(merges, i, colMap.keys()) });
  }
  return { kind, headerRow: headerIdx + 1, columns, rows };
}
