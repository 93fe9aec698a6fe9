import { fold } from '../registry/text.ts';
import { mergedCells, readGrid } from './parse.ts';

/**
 * A list file (XLSX or CSV) as rows of named cells, for the person and unit-list imports: the
 * header is found among the first 10 rows by what its cells name; row numbers are Excel's.
 * Merged cells in the data area are reported per row (see mergedCells).
 */

export interface TableRow<F extends string> {
  row: number;
  cells: Partial<Record<F, string>>;
  /** "C5 (gộp C4:C6)" for every mapped cell of this row inside a merged range. */
  merged: string[];
}

export interface Table<F extends string> {
  kind: 'xlsx' | 'csv';
  headerRow: number;
  columns: Partial<Record<F, string>>;
  rows: TableRow<F>[];
}

/** Header text reduced to lowercase ASCII words ("Số ĐT" → "so dt"). */
export const headerWords = (raw: string) =>
  fold(raw)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export async function readTable<F extends string>(
  fileName: string,
  buf: Buffer,
  opts: { fieldOf: (header: string) => F | null; isHeader: (fields: Set<F>) => boolean; noHeader: () => Error },
): Promise<Table<F>> {
  const { kind, grid, merges } = await readGrid(fileName, buf);
  let headerIdx = -1;
  let colMap = new Map<number, F>();
  for (let i = 0; i < Math.min(10, grid.length); i++) {
    const m = new Map<number, F>();
    const seen = new Set<F>();
    (grid[i] ?? []).forEach((v, col) => {
      const f = opts.fieldOf(v ?? '');
      if (f && !seen.has(f)) {
        seen.add(f);
        m.set(col, f);
      }
    });
    if (opts.isHeader(seen)) {
      headerIdx = i;
      colMap = m;
      break;
    }
  }
  if (headerIdx < 0) throw opts.noHeader();
  const columns: Partial<Record<F, string>> = {};
  for (const [col, f] of colMap) columns[f] = (grid[headerIdx]![col] ?? '').normalize('NFC').trim();
  const rows: TableRow<F>[] = [];
  for (let i = headerIdx + 1; i < grid.length; i++) {
    const line = grid[i] ?? [];
    if (line.every((v) => !v || !v.trim())) continue;
    const cells: Partial<Record<F, string>> = {};
    for (const [col, f] of colMap) {
      const v = line[col];
      if (v && v.trim()) cells[f] = v;
    }
    const merged = mergedCells(merges, i, colMap.keys());
    // Rows with nothing in the known columns (totals, notes, an STT alone) are not data.
    if (Object.keys(cells).length) rows.push({ row: i + 1, cells, merged });
  }
  return { kind, headerRow: headerIdx + 1, columns, rows };
}

/** "x", "có", "1", "true" → true; "không", "0", "" → false/null. */
export function yesNo(v: string | undefined): boolean | null | 'invalid' {
  const f = fold(v);
  if (!f) return null;
  if (['x', 'co', '1', 'true', 'yes', 'dung'].includes(f)) return true;
  if (['khong', '0', 'false', 'no', 'sai', '-'].includes(f)) return false;
  return 'invalid';
}
