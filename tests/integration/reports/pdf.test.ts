import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfPages } from '../../helpers/pdf.ts';
import { placeDateLine } from '@hoctap/server/modules/exports/pdf.ts';
import { officialName, placeOf } from '@hoctap/server/modules/exports/files.ts';
import { reportContext, type ReportContext } from './setup.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

describe('decision PDFs', () => {
  it('list.pdf: the recognition list with names, diacritics intact, decision number, date and signer', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/decisions/${fx.decisions.household.id}/list.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe(
      'Danh sách kèm Quyết định 25/QĐ-UBND.pdf',
    );
    const text = (await pdfPages(res.rawPayload)).join('\n');
    for (const name of ['Nguyễn Thị Hường', 'Trần Văn Đức', 'Huỳnh Thị Mỹ Dung']) expect(text).toContain(name);
    expect(text).not.toContain('Bùi Văn Thành'); // not recognised by this decision
    expect(text).not.toContain('Phạm Văn Khác'); // other commune
    expect(text).toContain('25/QĐ-UBND');
    expect(text).toContain('10/11/2026');
    expect(text).toContain('Nguyễn Văn Quyết');
    expect(text).toContain('Gia đình học tập');
    expect(text).toContain('Ấp Mỹ Thạnh');
    expect(text).toContain('GĐHT-2026-001');
    // The commune as written officially, and the place and date line above the signature.
    expect(text).toContain('XÃ MỸ HÒA');
    expect(text).toContain('Mỹ Hòa, ngày 10 tháng 11 năm 2026');
    expect(text).toContain('(Ký, ghi rõ họ tên và đóng dấu)');
  });

  it('certificates.pdf: one landscape page per recognised subject, batch in one file', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/decisions/${fx.decisions.household.id}/certificates.pdf`);
    expect(res.statusCode).toBe(200);
    const pages = await pdfPages(res.rawPayload);
    const recognised = fx.assessments.filter(
      (a) => a.decisionId === fx.decisions.household.id && a.state === 'recognised',
    );
    expect(pages.length).toBe(recognised.length);
    const first = pages.find((p) => p.includes('Nguyễn Thị Hường'))!;
    expect(first).toContain('GIẤY CHỨNG NHẬN');
    expect(first).toContain('GIA ĐÌNH HỌC TẬP');
    expect(first).toContain('2026');
    expect(first).toContain('25/QĐ-UBND');
    expect(first).toContain('GĐHT-2026-001');
    expect(first).toContain('Quyết định số:');
    expect(first).toMatch(/Số:\s*GĐHT-2026-001/);
    expect(first).toContain('Mỹ Hòa, ngày 10 tháng 11 năm 2026');
    expect(first).toContain('Chủ tịch Ủy ban nhân dân xã Mỹ Hòa chứng nhận');
    expect(first).toContain('XÃ MỸ HÒA');
    for (const a of recognised)
      expect(pages.filter((p) => p.includes(a.certificateNo!)).length, a.certificateNo!).toBe(1);
    const doc = await getDocument({ data: new Uint8Array(res.rawPayload) }).promise;
    const vp = (await doc.getPage(1)).getViewport({ scale: 1 });
    expect(vp.width).toBeGreaterThan(vp.height); // landscape
    await doc.destroy();

    const units = await pdfPages(
      (await ctx.get('officer', `/decisions/${fx.decisions.unit.id}/certificates.pdf`)).rawPayload,
    );
    expect(units.length).toBe(1);
    expect(units[0]).toContain('Trường Tiểu học Mỹ Hòa');
    expect(units[0]).toContain('ĐƠN VỊ HỌC TẬP');
  });

  it("another commune's decision is 404 for this officer, and vice versa; non-officers 404", async () => {
    const { fx } = ctx;
    expect((await ctx.get('officer', `/decisions/${fx.decisions.other.id}/list.pdf`)).statusCode).toBe(404);
    expect((await ctx.get('officer2', `/decisions/${fx.decisions.household.id}/list.pdf`)).statusCode).toBe(404);
    expect((await ctx.get('officer2', `/decisions/${fx.decisions.household.id}/certificates.pdf`)).statusCode).toBe(
      404,
    );
    expect((await ctx.get('viewer', `/decisions/${fx.decisions.household.id}/list.pdf`)).statusCode).toBe(404);
    expect((await ctx.get('household', `/decisions/${fx.decisions.household.id}/certificates.pdf`)).statusCode).toBe(
      404,
    );
    const own = await ctx.get('officer2', `/decisions/${fx.decisions.other.id}/list.pdf`);
    expect(own.statusCode).toBe(200);
    const text = (await pdfPages(own.rawPayload)).join('\n');
    expect(text).toContain('Phạm Văn Khác');
    expect(text).not.toContain('Nguyễn Thị Hường');
  });
});

describe('place, date and official names', () => {
  it('a 0 before days under 10 and months 1 and 2 only (Nghị định 30/2020)', () => {
    expect(placeDateLine('Mỹ An', '2026-01-05')).toBe('Mỹ An, ngày 05 tháng 01 năm 2026');
    expect(placeDateLine('Mỹ An', '2026-03-15')).toBe('Mỹ An, ngày 15 tháng 3 năm 2026');
    expect(placeDateLine('Mỹ An', '2026-11-20')).toBe('Mỹ An, ngày 20 tháng 11 năm 2026');
  });

  it('the commune with its kind in headers, without it in the date line (a number stays whole)', () => {
    expect(officialName('xã', 'Mỹ An')).toBe('Xã Mỹ An');
    expect(officialName('xã', 'Xã Mỹ An')).toBe('Xã Mỹ An');
    expect(placeOf('xã', 'Xã Mỹ An')).toBe('Mỹ An');
    expect(placeOf('phường', '3')).toBe('Phường 3');
    expect(placeOf('thị trấn', 'Cái Bè')).toBe('Cái Bè');
  });
});
