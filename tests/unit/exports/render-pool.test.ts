import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createRenderPool } from '@hoctap/server/modules/exports/render-pool.ts';
import { renderJob, type RenderJob } from '@hoctap/server/modules/exports/render.ts';
import { pdfPages } from '../../helpers/pdf.ts';

const info = {
  number: '25/QĐ-UBND',
  decidedOn: '2026-11-10',
  signer: 'Nguyễn Văn Quyết',
  signerTitle: 'Chủ tịch UBND xã Mỹ Hòa',
  subjectType: 'household' as const,
  year: 2026,
  communeName: 'Xã Mỹ Hòa',
  placeName: 'Mỹ Hòa',
};
const certificates = (n: number): RenderJob => ({
  kind: 'certificates-pdf',
  info,
  items: Array.from({ length: n }, (_, i) => ({
    name: `Hộ ông Nguyễn Văn ${i + 1}`,
    hamletName: 'Ấp Mỹ Thạnh',
    certificateNo: `${i + 1}/GCN`,
    honour: null,
  })),
});
const summary = {
  unit: { id: '00000000-0000-4000-8000-000000000001', level: 'commune' as const, name: 'Xã Mỹ Hòa' },
  year: 2026,
  campaignIds: [],
  titles: [],
  cdht: [],
  children: [],
  targets: [],
  denominator: 'registry' as const,
  generatedAt: '2026-11-10T00:00:00.000Z',
};
const workbook: RenderJob = {
  kind: 'report-xlsx',
  summary: summary as never,
  communeName: 'Xã Mỹ Hòa',
  recognised: [],
  now: new Date('2026-11-10T02:00:00Z'),
};

const pool = createRenderPool(1);
afterAll(() => pool.close());

describe('export rendering on a worker thread', () => {
  it('builds the same PDF pages as the main thread, and queues jobs behind a busy thread', async () => {
    const jobs = [certificates(3), certificates(2), certificates(1)];
    const fromPool = await Promise.all(jobs.map((j) => pool.render(j)));
    const inProcess = await Promise.all(jobs.map((j) => renderJob(j)));
    for (let i = 0; i < jobs.length; i++) {
      const pages = await pdfPages(fromPool[i]!);
      expect(pages).toHaveLength(3 - i);
      expect(pages).toEqual(await pdfPages(inProcess[i]!));
      expect(pages[0]).toContain('Nguyễn Văn 1');
    }
  });

  it('builds a workbook that reads back', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await pool.render(workbook)) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.name).toBe('Tổng hợp');
  });

  it('a failing job rejects with its reason and the thread keeps serving', async () => {
    await expect(pool.render({ kind: 'province-xlsx', summary: null as never, now: new Date() })).rejects.toThrow(
      /export render failed/,
    );
    expect((await pdfPages(await pool.render(certificates(1)))).length).toBe(1);
  });

  it('after close, jobs are refused', async () => {
    const closing = createRenderPool(1);
    await closing.close();
    await expect(closing.render(certificates(1))).rejects.toThrow(/closed/);
  });

  it('0 threads renders on the main thread', async () => {
    const inline = createRenderPool(0);
    expect((await pdfPages(await inline.render(certificates(2)))).length).toBe(2);
  });
});
