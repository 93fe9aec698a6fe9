import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUnits, assessments, campaigns, decisions } from '@hoctap/server/db/schema/index.ts';
import {
  buildWorld,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  openCampaign,
  person,
  unit,
  user,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/*
 * Issue 19, years that build on each other (docs/transparency.md §3, §5): a five-year history,
 * three years of it held by the commune that merged into this one in 2025. Hoa holds CDHT five
 * years in a row (this one included), Sơn missed 2023, Lan has four; household An five years with
 * this year still awaiting the decision (tạm thời), household Dung four.
 */

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let officer: Client, leaderA: Client, hhA: Client, hhB: Client, leaderB: Client, otherOfficer: Client, viewer: Client;
const key = () => ({ 'idempotency-key': randomUUID() });
const CODES = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2'];
const HONOUR = 'Công dân học tập tiêu biểu xuất sắc';
const ids: Record<string, string> = {};

/** A past campaign with its decisions: who held which title that year (and who was refused). */
async function pastYear(
  communeId: string,
  year: number,
  rows: { type: 'citizen' | 'household'; id: string; state?: 'recognised' | 'not_recognised' }[],
) {
  const id = randomUUID();
  const at = new Date(`${year}-10-01T00:00:00Z`);
  await env.db.insert(campaigns).values({
    id,
    communeId,
    year,
    title: `Năm ${year}`,
    criteriaSetIds: { citizen: 'cdht-244-2022-v1', household: 'gdht-448-2015-v1' },
    registrationOpensAt: at,
    selfAssessmentDueAt: at,
    verificationDueAt: at,
    recognitionDueAt: at,
    reportDueAt: at,
    status: 'closed',
    createdBy: w.u.officer,
  });
  const decisionOf: Record<string, string> = {};
  for (const type of ['citizen', 'household'] as const) {
    decisionOf[type] = randomUUID();
    await env.db.insert(decisions).values({
      id: decisionOf[type],
      campaignId: id,
      subjectType: type,
      number: `${type === 'citizen' ? 1 : 2}${year % 100}/QĐ-UBND`,
      decidedOn: `${year}-11-10`,
      signer: 'Chủ tịch',
      recognisedCount: 0,
      notRecognisedCount: 0,
      createdBy: w.u.officer,
      createdAt: at,
    });
  }
  await env.db.insert(assessments).values(
    rows.map((r) => ({
      id: randomUUID(),
      campaignId: id,
      subjectType: r.type,
      subjectId: r.id,
      subjectName: 'x',
      communeId,
      hamletId: w.hamlet1.id,
      criteriaSetId: r.type === 'citizen' ? 'cdht-244-2022-v1' : 'gdht-448-2015-v1',
      state: r.state ?? 'recognised',
      decisionId: decisionOf[r.type],
      createdBy: w.u.officer,
    })),
  );
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [officer, leaderA, hhA, hhB, leaderB, otherOfficer, viewer] = await clientsFor(env.t.app, [
    w.u.officer,
    w.u.leaderA,
    w.u.hhA1,
    w.u.hhB1,
    w.u.leaderB,
    w.u.otherOfficer,
    w.u.viewer,
  ]);
  campaignId = await openCampaign(officer, w.commune.id);

  // Xã Mỹ An (ended 2025-06-30) merged into Xã Mỹ Hòa; its hamlet Mỹ Phú is now Mỹ Hòa's.
  const oldCommune = await unit(env.db, 'commune', 'Xã Mỹ An', w.province);
  await env.db.update(adminUnits).set({ effectiveTo: '2025-06-30' }).where(eq(adminUnits.id, oldCommune.id));
  await env.db.update(adminUnits).set({ legacyParentId: oldCommune.id }).where(eq(adminUnits.id, w.hamlet1.id));

  for (const name of ['Lê Thị Hoa', 'Lê Văn Sơn', 'Lê Thị Lan'])
    ids[name] = await person(env.db, w.commune.id, name, { householdId: w.hh.hhA2, cdhtGroup: 'nong-dan' });
  const [hoa, son, lan] = [ids['Lê Thị Hoa']!, ids['Lê Văn Sơn']!, ids['Lê Thị Lan']!];
  const an = w.hh.hhA1;
  const dung = w.hh.hhB1;
  const c = (id: string) => ({ type: 'citizen' as const, id });
  const h = (id: string, state?: 'not_recognised') => ({ type: 'household' as const, id, ...(state ? { state } : {}) });
  await pastYear(oldCommune.id, 2021, [h(an, 'not_recognised')]);
  await pastYear(oldCommune.id, 2022, [c(hoa), c(son), h(an)]);
  await pastYear(oldCommune.id, 2023, [c(hoa), c(lan), h(an), h(dung)]);
  await pastYear(oldCommune.id, 2024, [c(hoa), c(son), c(lan), h(an), h(dung)]);
  await pastYear(w.commune.id, 2025, [c(hoa), c(son), c(lan), h(an), h(dung)]);

  // This year: the citizens through the real workflow and a decision (the engine's honour) …
  for (const name of ['Lê Thị Hoa', 'Lê Văn Sơn', 'Lê Thị Lan']) {
    const cl = await clientFor(env.t.app, await user(env.db, name, { personId: ids[name]! }));
    const id = randomUUID();
    ids[`a:${name}`] = id;
    expect(
      (await cl.post('/assessments', { id, campaignId, subjectType: 'citizen', subjectId: ids[name] })).status,
    ).toBe(201);
    await fillAll(cl, id, CODES, 9);
    expect((await cl.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
    expect((await leaderA.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(200);
  }
  await officer.post('/assessments/review', { campaignId, hamletId: w.hamlet1.id, subjectType: 'citizen' });
  const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
    subjectType: 'citizen',
    number: '41/QĐ-UBND',
    decidedOn: '2026-11-10',
    signer: 'Chủ tịch',
  });
  expect(dec.status, JSON.stringify(dec.body)).toBe(201);
  ids.decision = dec.body.id;
  // … the households reviewed, the decision not issued yet.
  for (const [hid, name] of [
    [an, 'Hộ Nguyễn Văn An'],
    [dung, 'Hộ Phạm Thị Dung'],
  ] as const) {
    await env.db.insert(assessments).values({
      id: randomUUID(),
      campaignId,
      subjectType: 'household',
      subjectId: hid,
      subjectName: name,
      communeId: w.commune.id,
      hamletId: w.hamlet1.id,
      criteriaSetId: 'gdht-448-2015-v1',
      state: 'reviewed',
      createdBy: w.u.officer,
    });
  }
}, 600_000); // a hang guard for a long workflow on a shared box, not a speed check
afterAll(async () => env.t.close());

describe('subject history', () => {
  it('gives a household its titles year by year across the merger, with the decisions', async () => {
    const res = await hhA.get(`/subjects/household/${w.hh.hhA1}/history`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.name).toBe('Hộ Nguyễn Văn An');
    expect(res.body.years.map((y: { year: number; state: string }) => [y.year, y.state])).toEqual([
      [2026, 'in_progress'],
      [2025, 'recognised'],
      [2024, 'recognised'],
      [2023, 'recognised'],
      [2022, 'recognised'],
      [2021, 'not_recognised'],
    ]);
    expect(res.body.years[1]).toMatchObject({ communeName: 'Xã Mỹ Hòa', decision: { number: '225/QĐ-UBND' } });
    expect(res.body.years[2]).toMatchObject({
      communeName: 'Xã Mỹ An',
      decision: { number: '224/QĐ-UBND', decidedOn: '2024-11-10' },
    });
    expect(res.body.years[0].decision).toBeNull();
    expect(res.body.currentRun).toBe(4);
  });

  it('marks a year without an assessment as not assessed, and counts this year once decided', async () => {
    const res = await officer.get(`/subjects/citizen/${ids['Lê Văn Sơn']}/history`);
    expect(res.status).toBe(200);
    const states = Object.fromEntries(res.body.years.map((y: { year: number; state: string }) => [y.year, y.state]));
    expect(states).toMatchObject({ 2026: 'recognised', 2025: 'recognised', 2024: 'recognised', 2023: 'not_assessed' });
    expect(res.body.currentRun).toBe(3);
    expect(res.body.years[0].decision).toMatchObject({ number: '41/QĐ-UBND', decidedOn: '2026-11-10' });
  });

  it('lists only the years of the commune that held the subject’s hamlet (Mỹ Lợi did not merge)', async () => {
    const res = await officer.get(`/subjects/household/${w.hh.hhC1}/history`);
    expect(res.status).toBe(200);
    expect(res.body.years.map((y: { year: number; state: string }) => [y.year, y.state])).toEqual([
      [2026, 'in_progress'],
      [2025, 'not_assessed'],
    ]);
    expect(res.body.currentRun).toBe(0);
  });

  it('is the own household’s, or within a reader’s scope; anyone else gets 404', async () => {
    const url = `/subjects/household/${w.hh.hhA1}/history`;
    expect((await leaderA.get(url)).status).toBe(200);
    expect((await viewer.get(url)).status).toBe(200);
    for (const c of [hhB, leaderB, otherOfficer]) expect((await c.get(url)).status).toBe(404);
    // A member of the household reads its persons; the other household does not.
    expect((await hhA.get(`/subjects/citizen/${ids['Lê Thị Hoa']}/history`)).status).toBe(404);
    expect((await hhB.get(`/subjects/citizen/${ids['Lê Thị Hoa']}/history`)).status).toBe(404);
    expect((await officer.get(`/subjects/household/${randomUUID()}/history`)).status).toBe(404);
  });
});

describe('commendation proposals', () => {
  type Item = { name: string; subjectType: string; consecutiveYears: number; years: number[]; provisional: boolean };

  it('lists five years in a row across the merger; four years or a gap do not qualify', async () => {
    const res = await officer.get(`/campaigns/${campaignId}/commendations`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items: Item[] = res.body.items;
    expect(items.map((i) => [i.subjectType, i.name, i.consecutiveYears, i.provisional])).toEqual([
      ['citizen', 'Lê Thị Hoa', 5, false],
      ['household', 'Hộ Nguyễn Văn An', 5, true],
    ]);
    expect(items[0]!.years).toEqual([2022, 2023, 2024, 2025, 2026]);
    expect(res.body.items[0].honour).toBe(HONOUR);
    expect(res.body.items[1].honour).toBeNull();
    const rule = (t: string) => res.body.rules.find((r: { subjectType: string }) => r.subjectType === t);
    expect(rule('citizen')).toMatchObject({ years: 5, source: 'criteria', honour: HONOUR });
    expect(rule('household')).toMatchObject({ years: 5, source: 'default', honour: null });
  });

  it('agrees with the honour the engine put on the decision (and so on the certificate)', async () => {
    const res = await officer.get(`/campaigns/${campaignId}/commendations`);
    for (const name of ['Lê Thị Hoa', 'Lê Văn Sơn', 'Lê Thị Lan']) {
      const detail = await officer.get(`/assessments/${ids[`a:${name}`]}`);
      const item = res.body.items.find((i: Item) => i.name === name);
      expect(detail.body.verdict?.honour?.label ?? null, name).toBe(item?.honour ?? null);
      expect(detail.body.verdict.consecutiveYears, name).toBe(
        { 'Lê Thị Hoa': 5, 'Lê Văn Sơn': 3, 'Lê Thị Lan': 4 }[name],
      );
    }
  });

  it('takes the run length from the query: three years lets Lan and Sơn in, and Dung', async () => {
    const res = await officer.get(`/campaigns/${campaignId}/commendations?years=3`);
    expect(res.status).toBe(200);
    const names = res.body.items.map((i: Item) => i.name);
    expect(names).toEqual(['Lê Thị Hoa', 'Lê Thị Lan', 'Lê Văn Sơn', 'Hộ Nguyễn Văn An', 'Hộ Phạm Thị Dung']);
    // Below the catalog's five years there is no "tiêu biểu xuất sắc".
    expect(res.body.items.every((i: { honour: string | null }) => i.honour === null)).toBe(true);
  });

  it('the XLSX read back equals the JSON', async () => {
    const json = await officer.get(`/campaigns/${campaignId}/commendations?years=3`);
    const res = await env.t.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/commendations.xlsx?years=3`,
      headers: officer.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['STT', 'Họ tên / tên hộ', 'Ấp/khóm', 'Danh hiệu', 'Số năm liên tục', 'Các năm', 'Ghi chú']);
    const rows = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const v = (ws.getRow(r).values as unknown[]).slice(1);
      if (typeof v[0] !== 'number') break;
      rows.push(v);
    }
    expect(rows).toEqual(
      json.body.items.map((i: Item & { hamletName: string; title: string; honour: string | null }, n: number) => {
        const row: unknown[] = [
          n + 1,
          i.name,
          i.hamletName,
          i.honour ? `${i.title} — ${i.honour}` : i.title,
          i.consecutiveYears,
          i.years.join(', '),
        ];
        row.push(i.provisional ? 'Tạm thời (chưa có quyết định công nhận năm nay)' : '');
        return row;
      }),
    );
    expect(rows.filter((r) => r[6]).map((r) => r[1])).toEqual(['Hộ Nguyễn Văn An', 'Hộ Phạm Thị Dung']);
  });

  it('is for officers of the commune and the province viewer only', async () => {
    expect((await viewer.get(`/campaigns/${campaignId}/commendations`)).status).toBe(200);
    for (const c of [hhA, leaderA, otherOfficer]) {
      expect((await c.get(`/campaigns/${campaignId}/commendations`)).status).toBe(404);
      const x = await env.t.app.inject({
        method: 'GET',
        url: `/api/v1/campaigns/${campaignId}/commendations.xlsx`,
        headers: c.auth,
      });
      expect(x.statusCode).toBe(404);
    }
    expect((await officer.get(`/campaigns/${randomUUID()}/commendations`)).status).toBe(404);
    expect((await officer.get(`/campaigns/${campaignId}/commendations?years=1`)).status).toBe(400);
  });
});
