import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECT_TYPES } from '@hoctap/server/db/schema/index.ts';
import { formatShare, roundShare, shareNumFmt, TITLE_LABELS } from '@hoctap/shared';
import { excelShareText } from '../../helpers/xlsx.ts';
import { reportContext, type ReportContext } from './setup.ts';
import { expectedTitle } from './expected.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

const cellText = (v: ExcelJS.CellValue) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

describe('GET /exports/report.xlsx', () => {
  it('reads back with exceljs to the same numbers as the fixture, with formats an officer can read', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe('Báo cáo danh hiệu học tập 2026 - Xã Mỹ Hòa.xlsx');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', ...SUBJECT_TYPES.map((t) => TITLE_LABELS[t])]);

    for (const type of SUBJECT_TYPES) {
      const ws = wb.getWorksheet(TITLE_LABELS[type])!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).getCell(1).value).toBe('Ấp/khóm');
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(20);
      // The figures table runs from row 2 to the first empty row; the recognised list follows.
      const rows = new Map<string, ExcelJS.Row>();
      for (let n = 2; n <= ws.rowCount && ws.getRow(n).cellCount > 0; n++)
        rows.set(cellText(ws.getRow(n).getCell(1).value), ws.getRow(n));
      expect(rows.size).toBe(fx.hamlets.length + 1);
      const check = (label: string, hamletId?: string) => {
        const row = rows.get(label)!;
        const e = expectedTitle(fx, type, hamletId);
        expect(
          [2, 3, 4, 5, 6].map((c) => row.getCell(c).value),
          `${type} ${label}`,
        ).toEqual([e.registryTotal, e.registered, e.submitted, e.verified, e.recognised]);
        // Shares are stored as shown (formatShare's rounding) with the format that shows them so.
        const share = row.getCell(7);
        if (e.share === null) expect(share.value).toBeNull();
        else {
          expect(share.value).toBe(roundShare(e.share));
          expect(share.numFmt).toBe(shareNumFmt(e.share));
          expect(excelShareText(share)).toBe(formatShare(e.share));
        }
        if (e.target !== null) expect(excelShareText(row.getCell(8))).toBe(formatShare(e.target));
        if (e.gap !== null) expect(row.getCell(9).value).toBe(roundShare(e.gap));
      };
      check('Toàn xã');
      for (const h of fx.hamlets) check(h.name, h.id);
    }

    // The recognised households, by hamlet, on the household sheet.
    const hhSheet = wb.getWorksheet(TITLE_LABELS.household)!;
    const names: string[] = [];
    hhSheet.eachRow((row) => names.push(cellText(row.getCell(3).value)));
    const recognised = fx.assessments.filter(
      (a) => a.campaignId === fx.campaign.id && a.subjectType === 'household' && a.state === 'recognised',
    );
    for (const a of recognised) expect(names).toContain(a.subjectName);
    expect(names).not.toContain('Bùi Văn Thành'); // not recognised
    // A formula-looking name stays a string cell, never a formula.
    const evil = recognised.find((a) => a.subjectName.startsWith('='))!;
    let evilCell: ExcelJS.Cell | undefined;
    hhSheet.eachRow((row) => row.eachCell((c) => void (c.value === evil.subjectName && (evilCell = c))));
    expect(evilCell?.type).toBe(ExcelJS.ValueType.String);
  });

  it("only the commune's officer: the other commune's names are absent from theirs, and they get 404 for this one", async () => {
    const { fx } = ctx;
    const other = await ctx.get('officer2', `/exports/report.xlsx?campaignId=${fx.campaign2.id}&unitId=${fx.ids.C2}`);
    expect(other.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(other.rawPayload as unknown as ArrayBuffer);
    const all: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => void all.push(cellText(c.value)))));
    expect(all).toContain('Phạm Văn Khác');
    expect(all.join('|')).not.toContain('Nguyễn Thị Hường');

    for (const [user, url] of [
      ['officer2', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`],
      ['officer2', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.H1}`],
      ['viewer', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`],
      ['hamletHead', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.H1}`],
      ['officer', `/exports/report.xlsx?campaignId=${fx.campaign2.id}&unitId=${fx.ids.C}`],
    ] as const) {
      expect((await ctx.get(user, url)).statusCode, `${user} ${url}`).toBe(404);
    }
  });
});

describe('GET /exports/report.xlsx for a province (consolidated)', () => {
  it('one row per commune with the same figures as the province summary, reporting status, no names', async () => {
    const { fx } = ctx;
    const url = `?campaignId=${fx.campaign.id}&unitId=${fx.ids.P}`;
    const summary = (await ctx.get('viewer', `/reports/summary${url}`)).json();
    const res = await ctx.get('viewer', `/exports/report.xlsx${url}`);
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toMatch(
      /^Tổng hợp danh hiệu học tập 2026 - .+\.xlsx$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Tổng hợp theo xã')!;
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).map(cellText);
    const col = (h: string) => header.indexOf(h);
    const rows = new Map<string, ExcelJS.Row>();
    for (let n = 2; n <= ws.rowCount && ws.getRow(n).cellCount > 0; n++)
      rows.set(cellText(ws.getRow(n).getCell(2).value), ws.getRow(n));
    expect([...rows.keys()]).toEqual(['Xã Bình Thạnh', 'Xã Mỹ Hòa', 'Toàn tỉnh (2 xã/phường)']);
    const places = [
      ...summary.children.map((c: { unit: { name: string } }) => [c.unit.name, c]),
      ['Toàn tỉnh (2 xã/phường)', summary],
    ] as [string, { titles: { title: string; registryTotal: number; recognised: number; share: number | null }[] }][];
    for (const [name, place] of places) {
      const row = rows.get(name)!;
      for (const t of place.titles) {
        expect(row.getCell(col(`${t.title}: tổng số`)).value, `${name} ${t.title}`).toBe(t.registryTotal);
        expect(row.getCell(col(`${t.title}: được công nhận`)).value).toBe(t.recognised);
        const shareCell = row.getCell(col(`${t.title}: tỷ lệ`));
        expect(excelShareText(shareCell)).toBe(t.share === null ? '—' : formatShare(t.share));
      }
    }
    // Both communes issued a household decision: reported, with the latest date.
    expect(cellText(rows.get('Xã Mỹ Hòa')!.getCell(col('Tình trạng báo cáo')).value)).toBe(
      'Đã có quyết định công nhận',
    );
    expect(cellText(rows.get('Xã Mỹ Hòa')!.getCell(col('Quyết định gần nhất')).value)).toBe('10/11/2026');
    expect(summary.children.every((c: { reporting?: unknown }) => c.reporting)).toBe(true);
    // Figures only: no household's name anywhere in the workbook.
    const text = wb.worksheets
      .flatMap((w) =>
        w
          .getSheetValues()
          .flat()
          .map((v) => cellText(v as ExcelJS.CellValue)),
      )
      .join('\n');
    for (const name of ['Phạm Văn Khác', 'Lý Thị Xa']) expect(text).not.toContain(name);
    expect(wb.worksheets.map((w) => w.name).slice(1)).toEqual(
      summary.titles.map((t: { title: string }) => t.title.slice(0, 31)),
    );
  });

  it("a commune officer gets 404 for the province's workbook, like its summary", async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.P}`);
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /exports/lists.csv', () => {
  it('UTF-8 with BOM, Vietnamese intact, formula cells neutralised, filtered by state', async () => {
    const { fx } = ctx;
    const res = await ctx.get(
      'officer',
      `/exports/lists.csv?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}&subjectType=household&state=recognised`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8').slice(1);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain('Tên,Ấp/khóm,Tổ,Trạng thái');
    const recognised = fx.assessments.filter(
      (a) => a.campaignId === fx.campaign.id && a.subjectType === 'household' && a.state === 'recognised',
    );
    expect(lines.length - 1).toBe(recognised.length);
    expect(text).toContain('Nguyễn Thị Hường');
    expect(text).toContain('Được công nhận');
    expect(text).not.toContain('Bùi Văn Thành');
    // '=HYPERLINK(…)' becomes "'=HYPERLINK(…)" (quoted because it holds a comma and quotes).
    const evil = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://x.invalid"",""Ngô Văn Hải"")"`);
    expect(lines.some((l) => /(^|,)=/.test(l))).toBe(false);

    const all = await ctx.get(
      'officer',
      `/exports/lists.csv?campaignId=${fx.campaign.id}&unitId=${fx.ids.H2}&subjectType=household`,
    );
    const allLines = all.rawPayload.toString('utf8').trim().split('\r\n');
    expect(allLines.length - 1).toBe(
      fx.assessments.filter(
        (a) => a.campaignId === fx.campaign.id && a.subjectType === 'household' && a.hamletId === fx.ids.H2,
      ).length,
    );
    expect(all.rawPayload.toString('utf8')).not.toContain('Nguyễn Thị Hường'); // H1

    expect(
      (
        await ctx.get(
          'officer',
          `/exports/lists.csv?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}&subjectType=household&state=bogus`,
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.get(
          'officer2',
          `/exports/lists.csv?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}&subjectType=household`,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await ctx.get(
          'leader',
          `/exports/lists.csv?campaignId=${fx.campaign.id}&unitId=${fx.ids.H1}&subjectType=household`,
        )
      ).statusCode,
    ).toBe(404);
  });
});
