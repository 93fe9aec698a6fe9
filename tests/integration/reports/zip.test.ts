import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportContext, type ReportContext } from './setup.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Minimal CSV reader for the manifest (quoted fields, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r') continue;
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('GET /exports/evidence.zip', () => {
  it('photos of one hamlet with a manifest that matches the files (names and sha256)', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/exports/evidence.zip?campaignId=${fx.campaign.id}&hamletId=${fx.ids.H1}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe(
      'Minh chứng 2026 - Ấp Mỹ Thạnh.zip',
    );
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const manifestBytes = files['manifest.csv']!;
    expect([...manifestBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(strFromU8(manifestBytes).replace(/^\uFEFF/, ''));
    expect(header!.slice(0, 2)).toEqual(['Tệp', 'SHA-256']);

    const photos = Object.keys(files).filter((n) => n !== 'manifest.csv');
    expect(rows.map((r) => r[0]).sort()).toEqual(photos.sort());
    for (const r of rows) expect(sha(files[r[0]!]!), r[0]).toBe(r[1]);

    // Exactly the fixture's live photos of this hamlet, each linked to its household and indicator.
    const expected = fx.evidence.filter((e) => e.hamletId === fx.ids.H1 && !e.deleted);
    expect(rows.length).toBe(expected.length);
    for (const e of expected) {
      const row = rows.find((r) => r[2] === e.id)!;
      expect(row, e.id).toBeDefined();
      expect(row[4]).toBe(e.householdId);
      expect(row[5]).toBe(e.householdName);
      expect(row[7]).toBe(e.indicatorCode);
      expect(row[1]).toBe(e.sha256);
      expect(Buffer.from(files[row[0]!]!).equals(e.bytes)).toBe(true);
    }
    expect(rows.some((r) => r[5] === 'Nguyễn Thị Hường')).toBe(true);
    expect(photos.every((p) => /^[a-z0-9/_.-]+$/.test(p))).toBe(true); // ASCII paths for any unzip tool
    const deleted = fx.evidence.find((e) => e.deleted)!;
    expect(rows.some((r) => r[2] === deleted.id)).toBe(false);
  });

  it('only the commune officer; a commune id instead of a hamlet is refused', async () => {
    const { fx } = ctx;
    expect(
      (await ctx.get('officer2', `/exports/evidence.zip?campaignId=${fx.campaign.id}&hamletId=${fx.ids.H1}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await ctx.get('hamletHead', `/exports/evidence.zip?campaignId=${fx.campaign.id}&hamletId=${fx.ids.H1}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await ctx.get('officer', `/exports/evidence.zip?campaignId=${fx.campaign.id}&hamletId=${fx.ids.C}`)).statusCode,
    ).toBe(400);
    const h2 = await ctx.get('officer', `/exports/evidence.zip?campaignId=${fx.campaign.id}&hamletId=${fx.ids.H2}`);
    const files = unzipSync(new Uint8Array(h2.rawPayload));
    expect(Object.keys(files).length).toBe(
      fx.evidence.filter((e) => e.hamletId === fx.ids.H2 && !e.deleted).length + 1,
    );
  });
});
