import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { adminUnits, auditEvents, campaigns, households } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { counts, onboardingWorld, uploadTo } from './helpers.ts';

const SAMPLE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/units-sample.csv'));
const clock = manualClock('2026-03-02T02:00:00Z');
let t: TestApp;
let w: Awaited<ReturnType<typeof onboardingWorld>>;
const db = () => t.db.database.db;

beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  w = await onboardingWorld(t.app, db(), clock);
});
afterAll(async () => t?.close());

const HEADER = 'Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Loại,Hiệu lực từ\n';

describe('official province/commune list: dry run → commit', () => {
  it('refuses non-admins: officers, province viewers and households get 403, and nothing is stored', async () => {
    for (const who of [w.officer, w.viewer, w.household]) {
      const res = await uploadTo(t.app, who, '/admin-unit-imports', 'dvhc.csv', SAMPLE);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('UNIT_ADMIN_ONLY');
    }
  });

  it('a province already present under its pre-2025 code is reported until the admin re-codes it', async () => {
    const res = await uploadTo(t.app, w.admin, '/admin-unit-imports', 'units-sample.csv', SAMPLE);
    expect(res.json().summary.error).toBe(4);
    expect(res.json().rows[0].messages).toEqual([
      "Dòng 2: đã có 'Tỉnh Đồng Tháp' với mã 87; hãy sửa mã tỉnh hoặc sáp nhập trước khi nhập",
    ]);
    // The demo province is Đồng Tháp (code 87 before 2025; 82 since the merger with Tiền Giang).
    expect((await w.admin.patch(`/admin-units/${DEMO.provinceId}`, { code: '82' })).statusCode).toBe(200);
  });

  it('wrong columns answer one clear Vietnamese error', async () => {
    const res = await uploadTo(t.app, w.admin, '/admin-unit-imports', 'dvhc.csv', 'Tỉnh,Xã\nĐồng Tháp,Mỹ Hòa\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_NO_HEADER_UNITS');
    expect(res.json().message).toContain('Mã tỉnh');
  });

  it('reports every bad row (bad codes, duplicates, a province named twice, NFD text is NFC) and writes nothing', async () => {
    const before = await counts(db());
    const nfd = 'Xã Tân Phước'.normalize('NFD');
    const file =
      HEADER +
      [
        `82,Tỉnh Đồng Tháp,28101,${nfd},xã,01/07/2025`,
        '82,Tỉnh Đồng Tháp,2810,Xã Thiếu Số,xã,01/07/2025',
        '82,Tỉnh Đồng Tháp,28101,Xã Trùng Mã,xã,01/07/2025',
        '82,Tỉnh Cao Lãnh,28102,Xã Khác Tên Tỉnh,xã,01/07/2025',
        '82,Tỉnh Đồng Tháp,28103,,xã,01/07/2025',
        '82,Tỉnh Đồng Tháp,28104,Xã Ngày Sai,xã,31/02/2025x',
      ].join('\n');
    const res = await uploadTo(t.app, w.admin, '/admin-unit-imports', 'dvhc.csv', file);
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p.kind).toBe('units');
    expect(p.committable).toBe(false);
    expect(p.summary).toMatchObject({ total: 6, create: 1, error: 5 });
    const msgs = p.rows.flatMap((r: { messages: string[] }) => r.messages);
    expect(msgs).toEqual(
      expect.arrayContaining([
        "Dòng 3: mã xã '2810' phải gồm 5 chữ số",
        'Dòng 4: trùng mã xã 28101 với dòng 2',
        "Dòng 5: mã tỉnh 82 đã mang tên 'Tỉnh Đồng Tháp' ở dòng 2",
        'Dòng 6: thiếu tên xã',
        "Dòng 7: ngày hiệu lực '31/02/2025x' không hợp lệ (dd/mm/yyyy)",
      ]),
    );
    const created = p.rows.find((r: { action: string }) => r.action === 'create');
    expect(created.label).toBe('Xã Tân Phước (28101)'.normalize('NFC'));
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin-unit-imports/${p.id}/commit`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expect(commit.statusCode).toBe(409);
    expect(commit.json().code).toBe('IMPORT_HAS_ERRORS');
    expect(await counts(db())).toEqual(before);
  });

  it('merged cells in an XLSX are reported on every row they cover', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('DVHC');
    ws.addRow(['Mã tỉnh', 'Tên tỉnh', 'Mã xã', 'Tên xã']);
    ws.addRow(['82', 'Tỉnh Đồng Tháp', '28201', 'Xã A']);
    ws.addRow(['82', 'Tỉnh Đồng Tháp', '28202', 'Xã B']);
    ws.addRow(['82', 'Tỉnh Đồng Tháp', '28203', 'Xã C']);
    ws.mergeCells('D3:D4');
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await uploadTo(t.app, w.admin, '/admin-unit-imports', 'dvhc.xlsx', bytes);
    expect(res.statusCode).toBe(201);
    const msgs = res.json().rows.flatMap((r: { messages: string[] }) => r.messages);
    expect(msgs).toContain('Dòng 3: ô D3 (gộp D3:D4) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng');
    expect(msgs).toContain('Dòng 4: ô D4 (gộp D3:D4) là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng');
    expect(res.json().summary.error).toBe(2);
  });

  it('the sample file commits all or nothing, and again is unchanged (idempotent)', async () => {
    const before = await counts(db());
    const p = (await uploadTo(t.app, w.admin, '/admin-unit-imports', 'units-sample.csv', SAMPLE)).json();
    expect(p.committable).toBe(true);
    expect(p.summary).toMatchObject({ total: 6, create: 6, error: 0 });
    expect(await counts(db())).toEqual(before); // the dry run wrote nothing
    // Another admin caller cannot see someone's import without being admin.
    expect((await w.officer.get(`/admin-unit-imports/${p.id}`)).statusCode).toBe(404);
    const c = await w.admin.post(`/admin-unit-imports/${p.id}/commit`);
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ created: 7, updated: 0 }); // Vĩnh Long + 6 communes (Đồng Tháp exists)
    expect((await w.admin.post(`/admin-unit-imports/${p.id}/commit`)).json().code).toBe('IMPORT_ALREADY_COMMITTED');
    const [cl] = await db().select().from(adminUnits).where(eq(adminUnits.code, '28003'));
    expect(cl).toMatchObject({
      name: 'Phường Cao Lãnh',
      kind: 'phường',
      level: 'commune',
      effectiveFrom: '2025-07-01',
    });
    const [prov] = await db().select().from(adminUnits).where(eq(adminUnits.id, cl!.parentId!));
    expect(prov).toMatchObject({ code: '82', level: 'province' });
    expect(cl!.path).toBe(`${prov!.path}${cl!.id}/`);

    const again = (await uploadTo(t.app, w.admin, '/admin-unit-imports', 'units-sample.csv', SAMPLE)).json();
    expect(again.summary).toMatchObject({ create: 0, update: 0, unchanged: 6, error: 0 });
    const mid = await counts(db());
    expect((await w.admin.post(`/admin-unit-imports/${again.id}/commit`)).json()).toMatchObject({
      created: 0,
      updated: 0,
    });
    expect(await counts(db())).toEqual(mid);

    // A renamed commune in a later list renames in place (same id).
    const renamed = SAMPLE.toString('utf8').replace('Xã Mỹ Thọ,xã', 'Phường Mỹ Thọ,phường');
    const r = (await uploadTo(t.app, w.admin, '/admin-unit-imports', 'dvhc.csv', renamed)).json();
    expect(r.summary).toMatchObject({ update: 1, unchanged: 5 });
    expect(r.rows[0].changes).toEqual(['tên xã: Xã Mỹ Thọ → Phường Mỹ Thọ', 'loại: phường']);
    await w.admin.post(`/admin-unit-imports/${r.id}/commit`);
    const [mt] = await db().select().from(adminUnits).where(eq(adminUnits.code, '28002'));
    expect(mt).toMatchObject({ name: 'Phường Mỹ Thọ', kind: 'phường' });
  });
});

describe('administrative units by hand: create, rename, merge', () => {
  it('admins create communes; officers create ấp/tổ only in their commune; others are denied', async () => {
    const mk = (who: typeof w.admin, body: Record<string, unknown>) => who.post('/admin-units', body);
    const commune = await mk(w.admin, {
      level: 'commune',
      parentId: DEMO.provinceId,
      name: 'Xã Mỹ Long',
      code: '30001',
    });
    expect(commune.statusCode).toBe(201);
    expect(commune.json()).toMatchObject({ kind: 'xã', code: '30001', parentId: DEMO.provinceId });
    expect(
      (await mk(w.admin, { level: 'commune', parentId: DEMO.provinceId, name: 'Xã Khác', code: '30001' })).json().code,
    ).toBe('UNIT_CODE_TAKEN');
    expect((await mk(w.admin, { level: 'commune', parentId: DEMO.provinceId, name: 'xã mỹ long' })).json().code).toBe(
      'UNIT_NAME_TAKEN',
    );
    expect((await mk(w.admin, { level: 'commune', name: 'Không cha' })).json().code).toBe('UNIT_PARENT_INVALID');
    expect((await mk(w.admin, { level: 'commune', parentId: DEMO.provinceId, name: 'X', extra: 1 })).statusCode).toBe(
      400,
    );

    // Officer: 403 for communes (they see the province), 201 for an ấp of their own commune.
    const o = await mk(w.officer, { level: 'commune', parentId: DEMO.provinceId, name: 'Xã Lậu' });
    expect([o.statusCode, o.json().code]).toEqual([403, 'UNIT_ADMIN_ONLY']);
    const hamlet = await mk(w.officer, { level: 'hamlet', parentId: DEMO.communeId, name: 'Ấp Mỹ Tân' });
    expect(hamlet.statusCode).toBe(201);
    expect(hamlet.json()).toMatchObject({ kind: 'ấp', name: 'Ấp Mỹ Tân', level: 'hamlet' });
    const group = await mk(w.officer, { level: 'group', parentId: hamlet.json().id, name: 'Tổ 1' });
    expect(group.statusCode).toBe(201);
    expect(group.json().kind).toBe('tổ nhân dân tự quản');
    // Officer of commune Y: commune X is out of scope → 404, like a missing unit.
    const y = await mk(w.officerY, { level: 'hamlet', parentId: DEMO.communeId, name: 'Ấp Lậu' });
    expect([y.statusCode, y.json().code]).toEqual([404, 'UNIT_NOT_FOUND']);
    // Province viewer reads the tree but writes nothing.
    const v = await mk(w.viewer, { level: 'hamlet', parentId: DEMO.communeId, name: 'Ấp Xem' });
    expect([v.statusCode, v.json().code]).toEqual([403, 'UNIT_WRITE_NOT_ALLOWED']);
    // A household sees its own chain but cannot add to it.
    expect((await mk(w.household, { level: 'hamlet', parentId: DEMO.communeId, name: 'Ấp Hộ' })).statusCode).toBe(403);
    expect((await mk(w.household, { level: 'hamlet', parentId: w.other.communeId, name: 'Ấp Hộ' })).statusCode).toBe(
      404,
    );
  });

  it('rename keeps the id and is audited; province viewers and officers of another commune are denied', async () => {
    const id = w.other.communeId;
    const res = await w.admin.patch(`/admin-units/${id}`, { name: 'Xã Bình Thạnh Đông', code: '30002' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, name: 'Xã Bình Thạnh Đông', code: '30002' });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'admin_unit.rename'), eq(auditEvents.entityId, id)));
    expect(audit!.data).toMatchObject({
      before: { name: 'Xã Bình Thạnh (thử nghiệm)' },
      after: { name: 'Xã Bình Thạnh Đông' },
    });
    expect((await w.viewer.patch(`/admin-units/${id}`, { name: 'X' })).statusCode).toBe(403);
    expect((await w.officer.patch(`/admin-units/${id}`, { name: 'X' })).statusCode).toBe(404);
    expect((await w.officerY.patch(`/admin-units/${id}`, { name: 'X' })).statusCode).toBe(403);
    expect((await w.officerY.patch(`/admin-units/${w.other.hamletId}`, { name: 'Ấp Bình Hòa Mới' })).statusCode).toBe(
      200,
    );
    expect((await w.admin.patch(`/admin-units/${id}`, {})).statusCode).toBe(400);
  });

  it('merge: the old commune ends, its ấp, households and past campaigns are reachable from the new one', async () => {
    // Xã Bình Thạnh Đông (commune Y) had a closed 2024 campaign; it merges into the demo commune.
    const oldCampaign = randomUUID();
    await db()
      .insert(campaigns)
      .values({
        id: oldCampaign,
        communeId: w.other.communeId,
        year: 2024,
        title: 'Đợt 2024',
        criteriaSetIds: {},
        registrationOpensAt: new Date('2024-03-01T00:00:00Z'),
        selfAssessmentDueAt: new Date('2024-09-30T00:00:00Z'),
        verificationDueAt: new Date('2024-10-20T00:00:00Z'),
        recognitionDueAt: new Date('2024-11-10T00:00:00Z'),
        reportDueAt: new Date('2024-11-30T00:00:00Z'),
        status: 'open',
        createdBy: DEMO.users.admin,
      });
    const body = { sourceIds: [w.other.communeId], effectiveFrom: '2026-04-01' };
    expect((await w.officer.post(`/admin-units/${DEMO.communeId}/merge`, body)).statusCode).toBe(403);
    expect((await w.viewer.post(`/admin-units/${DEMO.communeId}/merge`, body)).statusCode).toBe(403);
    expect((await w.officerY.post(`/admin-units/${DEMO.communeId}/merge`, body)).statusCode).toBe(404);
    const open = await w.admin.post(`/admin-units/${DEMO.communeId}/merge`, body);
    expect([open.statusCode, open.json().code]).toEqual([409, 'UNIT_MERGE_OPEN_CAMPAIGN']);
    await db().update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, oldCampaign));
    expect(
      (await w.admin.post(`/admin-units/${DEMO.communeId}/merge`, { ...body, sourceIds: [DEMO.communeId] })).json()
        .code,
    ).toBe('UNIT_MERGE_INVALID');

    const res = await w.admin.post(`/admin-units/${DEMO.communeId}/merge`, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ movedChildren: 1, movedHouseholds: 1 });
    expect(res.json().predecessors[0]).toMatchObject({ effectiveTo: '2026-03-31', mergedIntoId: DEMO.communeId });
    const [hamlet] = await db().select().from(adminUnits).where(eq(adminUnits.id, w.other.hamletId));
    expect(hamlet).toMatchObject({ parentId: DEMO.communeId, legacyParentId: w.other.communeId });
    expect(hamlet!.path.startsWith(`/${DEMO.provinceId}/${DEMO.communeId}/`)).toBe(true);
    const [grp] = await db().select().from(adminUnits).where(eq(adminUnits.id, w.other.groupId));
    expect(grp!.path).toBe(`${hamlet!.path}${w.other.groupId}/`);
    const [hh] = await db().select().from(households).where(eq(households.id, w.other.householdId));
    expect(hh!.communeId).toBe(DEMO.communeId);
    // The demo officer now reaches the moved household; history rolls the old commune's year up.
    expect((await w.officer.get(`/households/${w.other.householdId}`)).statusCode).toBe(200);
    const hist = await w.officer.get(`/reports/history?unitId=${DEMO.communeId}&years=2024`);
    expect(hist.statusCode).toBe(200);
    expect(hist.json().predecessors.map((p: { id: string }) => p.id)).toEqual([w.other.communeId]);
    expect(hist.json().years[0].campaignIds).toEqual([oldCampaign]);
    // The ended commune cannot be renamed any more, nor merged again.
    expect((await w.admin.patch(`/admin-units/${w.other.communeId}`, { name: 'X' })).json().code).toBe('UNIT_ENDED');
    const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'admin_unit.merge'));
    expect(audit).toMatchObject({ entityId: DEMO.communeId, actorId: DEMO.users.admin });
  });
});
