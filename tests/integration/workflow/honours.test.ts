import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUnits, assessments, campaigns } from '@hoctap/server/db/schema/index.ts';
import { pdfPages } from '../../helpers/pdf.ts';
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
 * Issue 12 item 6: the five-consecutive-years honour of Công dân học tập is computed from past
 * campaigns — here four earlier years, three of them held by the commune that merged into this
 * one in 2025 — and printed on the decision list and the certificate.
 */

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let officer: Client, leaderA: Client;
const key = () => ({ 'idempotency-key': randomUUID() });
const CODES = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2'];
const HONOUR = 'Công dân học tập tiêu biểu xuất sắc';

/** A past campaign with the persons recognised CDHT that year. */
async function pastYear(communeId: string, year: number, personIds: string[]) {
  const id = randomUUID();
  const at = new Date(`${year}-10-01T00:00:00Z`);
  await env.db.insert(campaigns).values({
    id,
    communeId,
    year,
    title: `Năm ${year}`,
    criteriaSetIds: { citizen: 'cdht-244-2022-v1' },
    registrationOpensAt: at,
    selfAssessmentDueAt: at,
    verificationDueAt: at,
    recognitionDueAt: at,
    reportDueAt: at,
    status: 'closed',
    createdBy: w.u.officer,
  });
  await env.db.insert(assessments).values(
    personIds.map((subjectId) => ({
      id: randomUUID(),
      campaignId: id,
      subjectType: 'citizen' as const,
      subjectId,
      subjectName: 'x',
      communeId,
      hamletId: w.hamlet1.id,
      criteriaSetId: 'cdht-244-2022-v1',
      state: 'recognised',
      createdBy: w.u.officer,
    })),
  );
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [officer, leaderA] = await clientsFor(env.t.app, [w.u.officer, w.u.leaderA]);
  campaignId = await openCampaign(officer, w.commune.id);
});
afterAll(async () => env.t.close());

describe('five consecutive years of Công dân học tập', () => {
  it('is awarded from past campaigns across the 2025 merger, and shown on the decision list and certificate', async () => {
    // Xã Mỹ An (ended 2025-06-30) merged into Xã Mỹ Hòa; its hamlet Mỹ Phú is now Mỹ Hòa's.
    const oldCommune = await unit(env.db, 'commune', 'Xã Mỹ An', w.province);
    await env.db.update(adminUnits).set({ effectiveTo: '2025-06-30' }).where(eq(adminUnits.id, oldCommune.id));
    await env.db.update(adminUnits).set({ legacyParentId: oldCommune.id }).where(eq(adminUnits.id, w.hamlet1.id));

    const hoaId = await person(env.db, w.commune.id, 'Lê Thị Hoa', { householdId: w.hh.hhA2, cdhtGroup: 'nong-dan' });
    const sonId = await person(env.db, w.commune.id, 'Lê Văn Sơn', { householdId: w.hh.hhA2, cdhtGroup: 'nong-dan' });
    // Sơn missed 2023: only two years in a row before this one.
    await pastYear(oldCommune.id, 2022, [hoaId, sonId]);
    await pastYear(oldCommune.id, 2023, [hoaId]);
    await pastYear(oldCommune.id, 2024, [hoaId, sonId]);
    await pastYear(w.commune.id, 2025, [hoaId, sonId]);

    const ids: Record<string, string> = {};
    for (const [name, pid] of [
      ['Lê Thị Hoa', hoaId],
      ['Lê Văn Sơn', sonId],
    ] as const) {
      const c = await clientFor(env.t.app, await user(env.db, name, { personId: pid }));
      const id = randomUUID();
      ids[name] = id;
      expect((await c.post('/assessments', { id, campaignId, subjectType: 'citizen', subjectId: pid })).status).toBe(
        201,
      );
      await fillAll(c, id, CODES, 9);
      expect((await c.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
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
    expect(dec.body.results.every((r: { recognised: boolean }) => r.recognised)).toBe(true);

    const hoa = await officer.get(`/assessments/${ids['Lê Thị Hoa']}`);
    expect(hoa.body.verdict).toMatchObject({ consecutiveYears: 5, honour: { label: HONOUR } });
    const son = await officer.get(`/assessments/${ids['Lê Văn Sơn']}`);
    expect(son.body.verdict.consecutiveYears).toBe(3);
    expect(son.body.verdict.honour).toBeUndefined();

    const pdf = async (what: string) => {
      const res = await env.t.app.inject({
        method: 'GET',
        url: `/api/v1/decisions/${dec.body.id}/${what}`,
        headers: officer.auth,
      });
      expect(res.statusCode).toBe(200);
      return (await pdfPages(res.rawPayload)).map((p) => p.replace(/\s+/g, ' '));
    };
    const list = (await pdf('list.pdf')).join(' ');
    expect(list).toContain('Khen thưởng');
    expect(list).toContain(`${HONOUR} (5 năm liên tục)`);
    expect(list.split(HONOUR)).toHaveLength(2); // Sơn has none
    const certificates = await pdf('certificates.pdf');
    const hoaPage = certificates.find((p) => p.includes('Lê Thị Hoa'))!;
    const sonPage = certificates.find((p) => p.includes('Lê Văn Sơn'))!;
    expect(hoaPage).toContain(`${HONOUR} (5 năm liên tục)`);
    expect(sonPage).not.toContain(HONOUR);
  }, 600_000); // a hang guard for a long workflow on a shared box, not a speed check
});
