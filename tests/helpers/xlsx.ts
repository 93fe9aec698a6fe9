import type ExcelJS from 'exceljs';

/**
 * What a Vietnamese-locale Excel or LibreOffice shows for a share cell: the cell's number format
 * applied to its value, decimal comma. Knows only the share formats the exports use, and fails
 * on any other, so a new format cannot slip past the consistency tests.
 */
export function excelShareText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') throw new Error(`not a number: ${JSON.stringify(v)}`);
  const decimals = { '0 %': 0, '0.0 %': 1 }[cell.numFmt ?? ''];
  if (decimals === undefined) throw new Error(`unexpected share format ${cell.numFmt}`);
  // Excel works on 15 significant digits before rounding for display.
  return `${Number((v * 100).toPrecision(15))
    .toFixed(decimals)
    .replace('.', ',')} %`;
}
