import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { households, persons } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { counts, onboardingWorld, uploadTo } from './helpers.ts';

const clock = manualClock('2026-03-02T02:00:00Z');
let t: TestApp;
let w: Awaited<ReturnType<typeof onboardingWorld>>;
let head0: { headName: string; hamlet: string; group: string };
const db = () => t.db.database.db;
const HEADER = 'Mã hộ,Ấp,Tổ,Chủ hộ,Họ và tên,Năm sinh,Quan hệ với chủ hộ,Đơn vị công tác,SĐT,Đang đi học\n';

beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  w = await onboardingWorld(t.app, db(), clock);
  const [h] = await db()
    .select()
    .from(households)
    .where(eq(households.id, DEMO.householdId(0)));
  head0 = { headName: h!.headName, hamlet: DEMO.hamlets[0]!.name, group: 'Tổ 1' };
});
afterAll(async () => t?.close());

const preview = (who = w.officer, file: string | Buffer, name = 'nhan-khau.csv', query = '') =>
  uploadTo(t.app, who, `/person-imports${query}`, name, file);

describe('person list import: bad input is reported per row, nothing is written', () => {
  it('a file without the needed columns is refused with the list of columns', async () => {
    const res = await preview(w.officer, 'STT,Tên\n1,An\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_NO_HEADER_PERSONS');
  });

  it('unknown hamlets, households and units, bad phones and years, duplicates: one Vietnamese line each', async () => {
    const before = await counts(db());
    const rows = [
      'MYAN-0001,,,,Nguyễn Văn Một,1980,con,,+84 912 345 678,',
      `,Ấp Không Có,Tổ 1,${head0.headName},Trần Thị Hai,1990,vợ,,,`,
      'MYAN-9999,,,,Lê Văn Ba,1985,,,,',
      ',,,,Phạm Văn Bốn,1970,,Trường Không Tên,,',
      'MYAN-0002,,,,Võ Thị Năm,19xx,,,0912 34,',
      'MYAN-0001,,,,Nguyễn Văn Một,1980,con,,,',
      'MYAN-0003,,,,,2001,,,,',
      'MYAN-0004,,,,Đỗ Văn Sáu,2015,con,,,có lẽ',
    ];
    const res = await preview(w.officer, HEADER + rows.join('\n'));
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ kind: 'persons', communeId: DEMO.communeId, committable: false });
    expect(p.summary).toMatchObject({ total: 8, create: 1, error: 7 });
    expect(p.rows.flatMap((r: { messages: string[] }) => r.messages)).toEqual([
      "Dòng 3: ấp 'Ấp Không Có' không có trong xã",
      "Dòng 4: không có hộ mã 'MYAN-9999' trong danh sách hộ của xã",
      "Dòng 5: không có đơn vị 'Trường Không Tên' trong xã (hãy thêm đơn vị trước)",
      "Dòng 6: năm sinh '19xx' không hợp lệ",
      "Dòng 6: số điện thoại '0912 34' không hợp lệ",
      'Dòng 7: trùng với dòng 2 (cùng hộ/đơn vị, họ tên và năm sinh)',
      'Dòng 8: thiếu họ tên',
      'Dòng 9: cột đang đi học \'có lẽ\' phải là "có" hoặc "không"',
    ]);
    const commit = await w.officer.post(`/person-imports/${p.id}/commit`);
    expect([commit.statusCode, commit.json().code]).toEqual([409, 'IMPORT_HAS_ERRORS']);
    expect(await counts(db())).toEqual(before);
  });

  it('merged cells in an XLSX name the cells on each row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Nhân khẩu');
    ws.addRow(['DANH SÁCH NHÂN KHẨU']);
    ws.addRow(['Mã hộ', 'Họ và tên', 'Năm sinh']);
    ws.addRow(['MYAN-0005', 'Ngô Văn Bảy', '1975']);
    ws.addRow(['', 'Ngô Thị Tám', '1978']);
    ws.mergeCells('A3:A4');
    const res = await preview(w.officer, Buffer.from(await wb.xlsx.writeBuffer()), 'nhan-khau.xlsx');
    expect(res.statusCode).toBe(201);
    expect(res.json().rows.flatMap((r: { messages: string[] }) => r.messages)).toEqual([
      'Dòng 3: ô A3 (gộp A3:A4) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng',
      'Dòng 4: ô A4 (gộp A3:A4) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng',
    ]);
  });
});

describe('household list import: merged cells', () => {
  it('an ấp merged over several rows is an error on each of them, not a silent copy', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hộ');
    ws.addRow(['Ấp', 'Tổ', 'Chủ hộ', 'Địa chỉ']);
    ws.addRow(['Mỹ Hòa', 'Tổ 1', 'Hộ Gộp Một', '1 đường A']);
    ws.addRow(['', 'Tổ 1', 'Hộ Gộp Hai', '2 đường A']);
    ws.addRow(['Mỹ Lợi', 'Tổ 1', 'Hộ Không Gộp', '3 đường B']);
    ws.mergeCells('A2:A3');
    const res = await uploadTo(t.app, w.officer, '/imports', 'ho.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode).toBe(201);
    expect(res.json().summary).toMatchObject({ error: 2, create: 1 });
    expect(res.json().rows.flatMap((r: { messages: string[] }) => r.messages)).toEqual([
      'Dòng 2: ô A2 (gộp A2:A3) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng',
      'Dòng 3: ô A3 (gộp A2:A3) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng',
    ]);
  });
});

describe('person list import: commit', () => {
  it('NFD text is stored NFC, every phone format is one form, ấp+tổ+chủ hộ finds the household; re-import is unchanged', async () => {
    const nfd = (s: string) => s.normalize('NFD');
    const rows = [
      `MYAN-0001,,,,${nfd('Nguyễn Văn Một')},1980,con,,+84 912 345 678,`,
      `MYAN-0001,,,,Nguyễn Thị Hai,1982,con,,84912345679,không`,
      `,${nfd(`ấp ${head0.hamlet.toLowerCase()}`)},tổ 01,${nfd(head0.headName.toUpperCase())},Bé Ba,2016,con,,0912.345.680,x`,
      `,,,,Thầy Bốn,1975,,${DEMO.units[0].name},0912 345 681,`,
    ];
    const p = (await preview(w.officer, HEADER + rows.join('\n'))).json();
    expect(p.summary).toMatchObject({ total: 4, create: 4, error: 0 });
    expect(p.committable).toBe(true);
    const c = await w.officer.post(`/person-imports/${p.id}/commit`);
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ created: 4, updated: 0 });
    const got = await db().select().from(persons).where(eq(persons.communeId, DEMO.communeId));
    const by = (n: string) => got.find((x) => x.fullName === n)!;
    expect(by('Nguyễn Văn Một')).toMatchObject({
      phone: '0912345678',
      householdId: DEMO.householdId(0),
      relation: 'con',
    });
    expect(by('Nguyễn Thị Hai').phone).toBe('0912345679');
    expect(by('Bé Ba')).toMatchObject({ householdId: DEMO.householdId(0), inSchool: true, phone: '0912345680' });
    expect(by('Thầy Bốn')).toMatchObject({ unitId: DEMO.units[0].id, householdId: null });

    const again = (await preview(w.officer, HEADER + rows.join('\n'))).json();
    expect(again.summary).toMatchObject({ create: 0, update: 0, unchanged: 4 });
    const before = await counts(db());
    expect((await w.officer.post(`/person-imports/${again.id}/commit`)).json()).toMatchObject({
      created: 0,
      updated: 0,
    });
    expect(await counts(db())).toEqual(before);
    // A changed cell is an update of the same person, named in the report.
    const changed = (await preview(w.officer, HEADER + rows[0]!.replace('con,', 'cháu,'))).json();
    expect(changed.summary, JSON.stringify(changed)).toMatchObject({ update: 1 });
    expect(changed.rows[0]).toMatchObject({ action: 'update', changes: ['quan hệ'] });
  });

  it('10,000 rows: previewed with nothing written, then committed in one go', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const hh = `MYAN-${String((i % 400) + 1).padStart(4, '0')}`;
      lines.push(`${hh},,,,Thành viên số ${i + 1},${1950 + (i % 70)},con,,,`);
    }
    const before = await counts(db());
    const res = await preview(w.officer, HEADER + lines.join('\n'));
    expect(res.statusCode).toBe(201);
    expect(res.json().summary).toMatchObject({ total: 10_000, create: 10_000, error: 0 });
    expect(await counts(db())).toEqual(before);
    const c = await w.officer.post(`/person-imports/${res.json().id}/commit`);
    expect(c.json()).toMatchObject({ created: 10_000 });
    const after = (await counts(db())) as { persons: number };
    expect(after.persons).toBe((before as { persons: number }).persons + 10_000);
  }, 120_000);
});

describe('person list import: scope', () => {
  it('only officers of the commune (and admins) preview, read and commit it', async () => {
    const file = `${HEADER}MYAN-0010,,,,Người Thử Quyền,1990,,,,`;
    const x = `?communeId=${DEMO.communeId}`;
    const y = await preview(w.officerY, file, 'a.csv', x);
    expect([y.statusCode, y.json().code]).toEqual([404, 'UNIT_NOT_FOUND']);
    expect((await preview(w.viewer, file, 'a.csv', x)).statusCode).toBe(404);
    expect((await preview(w.household, file)).json().code).toBe('NOT_AN_OFFICER');
    expect((await preview(w.leader, file)).statusCode).toBe(404);
    const p = (await preview(w.officer, file)).json();
    for (const who of [w.officerY, w.viewer, w.household, w.leader]) {
      expect((await who.get(`/person-imports/${p.id}`)).statusCode).toBe(404);
      expect((await who.post(`/person-imports/${p.id}/commit`)).statusCode).toBe(404);
    }
    // The household-list routes do not know a person import.
    expect((await w.officer.get(`/imports/${p.id}`)).statusCode).toBe(404);
    expect((await w.officer.post(`/imports/${p.id}/commit`)).statusCode).toBe(404);
    expect((await w.admin.get(`/person-imports/${p.id}`)).statusCode).toBe(200);
    expect((await w.officer.post(`/person-imports/${p.id}/commit`)).statusCode).toBe(200);
  });
});
