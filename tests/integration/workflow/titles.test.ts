import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  clan,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  household,
  openCampaign,
  orgUnit,
  person,
  user,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/** Clan (with the ≥ 50 % GĐHT prerequisite), unit and citizen, from draft to recognition. */
let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let officer: Client, leaderA: Client, hamletHead: Client;
const key = () => ({ 'idempotency-key': randomUUID() });

async function through(
  owner: Client,
  verifier: Client,
  id: string,
  codes: string[],
  points: number,
  reviewUnit: string,
  subjectType: string,
) {
  await fillAll(owner, id, codes, points);
  const s = await owner.post(`/assessments/${id}/submit`, {}, key());
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  const v = await verifier.post(`/assessments/${id}/verify`, { answers: [] });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  const r = await officer.post('/assessments/review', { campaignId, hamletId: reviewUnit, subjectType });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [officer, leaderA, hamletHead] = await clientsFor(env.t.app, [w.u.officer, w.u.leaderA, w.u.hamletHead1]);
  campaignId = await openCampaign(officer, w.commune.id);
});
afterAll(async () => env.t.close());

describe('clan (DHHT): exactly 50 % of member households recognised GĐHT → passes', () => {
  let clanId: string;
  let clanHead: Client;
  const clanAssessment = randomUUID();

  it('refuses a clan decision before the household decision', async () => {
    const headUser = await user(env.db, 'Trưởng họ Nguyễn');
    clanId = await clan(env.db, w.commune.id, w.hamlet1.id, 'Họ Nguyễn Mỹ Phú', headUser);
    clanHead = await clientFor(env.t.app, headUser);
    // Four member households in tổ 1: two will be recognised, two not.
    const members = [];
    for (const name of ['Nguyễn Văn Một', 'Nguyễn Văn Hai', 'Nguyễn Văn Ba', 'Nguyễn Văn Bốn']) {
      const h = await household(env.db, w.at(w.hamlet1, w.groupA), name, clanId);
      members.push({ h, u: await clientFor(env.t.app, await user(env.db, name, { householdId: h })) });
    }
    for (const [i, m] of members.entries()) {
      const id = randomUUID();
      expect(
        (await m.u.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: m.h })).status,
      ).toBe(201);
      // 100 points pass (photos are not required at the decision); 50 fail the 80-point mark.
      await through(m.u, leaderA, id, GDHT_CODES, i < 2 ? 10 : 5, w.hamlet1.id, 'household');
    }
    expect(
      (await clanHead.post('/assessments', { id: clanAssessment, campaignId, subjectType: 'clan', subjectId: clanId }))
        .status,
    ).toBe(201);
    await through(clanHead, officer, clanAssessment, ['N1', 'N2', 'N3', 'N4'], 1, w.hamlet1.id, 'clan');
    const early = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'clan',
      number: '20/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Chủ tịch',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('PREREQUISITE_DECISION_MISSING');
  });

  it('households first, then the clan is recognised with 2 of 4 (50 %)', async () => {
    const hh = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'household',
      number: '19/QĐ-UBND',
      decidedOn: '2026-11-09',
      signer: 'Chủ tịch',
    });
    expect(hh.status).toBe(201);
    expect(hh.body).toMatchObject({ recognisedCount: 2, notRecognisedCount: 2 });
    const failed = hh.body.results.find((r: { recognised: boolean }) => !r.recognised);
    expect(failed.reasons.join(' ')).toContain('80');
    const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'clan',
      number: '20/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Chủ tịch',
    });
    expect(dec.status).toBe(201);
    expect(dec.body.results[0]).toMatchObject({
      assessmentId: clanAssessment,
      recognised: true,
      certificateNo: '20/QĐ-UBND/1',
    });
    const d = await clanHead.get(`/assessments/${clanAssessment}`);
    expect(d.body.state).toBe('recognised');
    expect(JSON.stringify(d.body.verdict.prerequisites)).toContain('"withTitle":2');
  });

  it('a clan with 1 of 3 members recognised is not recognised, with the reason', async () => {
    const headUser = await user(env.db, 'Trưởng họ Trần');
    const c2 = await clan(env.db, w.commune.id, w.hamlet1.id, 'Họ Trần Mỹ Phú', headUser);
    for (const name of ['Trần A', 'Trần B', 'Trần C']) await household(env.db, w.at(w.hamlet1, w.groupA), name, c2);
    const head = await clientFor(env.t.app, headUser);
    const id = randomUUID();
    expect((await head.post('/assessments', { id, campaignId, subjectType: 'clan', subjectId: c2 })).status).toBe(201);
    await through(head, officer, id, ['N1', 'N2', 'N3', 'N4'], 1, w.hamlet1.id, 'clan');
    const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'clan',
      number: '21/QĐ-UBND',
      decidedOn: '2026-11-11',
      signer: 'Chủ tịch',
    });
    expect(dec.status).toBe(201);
    expect(dec.body.results[0]).toMatchObject({ recognised: false, certificateNo: null });
    expect(dec.body.results[0].reasons.join(' ')).toContain('0/3');
  });
});

describe('unit (ĐVHT) and citizen (CDHT)', () => {
  it('a unit head registers the unit; banded verdict; recognised', async () => {
    const headUser = await user(env.db, 'Hiệu trưởng trường Mỹ Hòa');
    const unitId = await orgUnit(env.db, w.commune.id, null, 'Trường Tiểu học Mỹ Hòa', headUser);
    const head = await clientFor(env.t.app, headUser);
    const id = randomUUID();
    expect((await head.post('/assessments', { id, campaignId, subjectType: 'unit', subjectId: unitId })).status).toBe(
      201,
    );
    const max: Record<string, number> = { '2.2': 5, '2.3': 15 };
    const codes = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '3.4'];
    await fillAll(head, id, codes, (c) => max[c] ?? 9);
    expect((await head.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
    // The unit is not in a tổ: the tổ leader has no say; the officer verifies.
    expect((await leaderA.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(404);
    expect((await officer.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(200);
    // Outside any hamlet: reviewed at commune level.
    expect(
      (await hamletHead.post('/assessments/review', { campaignId, hamletId: w.commune.id, subjectType: 'unit' }))
        .status,
    ).toBe(404);
    expect(
      (await officer.post('/assessments/review', { campaignId, hamletId: w.commune.id, subjectType: 'unit' })).body
        .reviewed,
    ).toBe(1);
    const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'unit',
      number: '30/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Chủ tịch',
    });
    expect(dec.status).toBe(201);
    expect(dec.body.results[0].recognised).toBe(true);
    const d = await head.get(`/assessments/${id}`);
    expect(d.body.verdict.band).toMatchObject({ code: 'tot' });
  });

  it('a citizen registers themself with a subject group; a floor violation is not recognised', async () => {
    const pid = await person(env.db, w.commune.id, 'Lê Thị Hoa', { householdId: w.hh.hhA2, cdhtGroup: 'nong-dan' });
    const pid2 = await person(env.db, w.commune.id, 'Lê Văn Sơn', { householdId: w.hh.hhA2 });
    const hoa = await clientFor(env.t.app, await user(env.db, 'Lê Thị Hoa', { personId: pid }));
    const son = await clientFor(env.t.app, await user(env.db, 'Lê Văn Sơn', { personId: pid2 }));
    const codes = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2'];
    const a = randomUUID();
    const b = randomUUID();
    expect((await hoa.post('/assessments', { id: a, campaignId, subjectType: 'citizen', subjectId: pid })).status).toBe(
      201,
    );
    const noGroup = await son.post('/assessments', { id: b, campaignId, subjectType: 'citizen', subjectId: pid2 });
    expect(noGroup.status).toBe(400);
    expect(
      (
        await son.post('/assessments', {
          id: b,
          campaignId,
          subjectType: 'citizen',
          subjectId: pid2,
          subjectGroup: 'cong-nhan',
        })
      ).status,
    ).toBe(201);
    // Someone else cannot register a person.
    expect(
      (
        await hoa.post('/assessments', {
          id: randomUUID(),
          campaignId,
          subjectType: 'citizen',
          subjectId: pid2,
          subjectGroup: 'cong-nhan',
        })
      ).status,
    ).toBe(404);
    await through(hoa, leaderA, a, codes, 9, w.hamlet1.id, 'citizen');
    await fillAll(son, b, codes, (c) => (c === '3.2' ? 4 : 10));
    expect((await son.post(`/assessments/${b}/submit`, {}, key())).status).toBe(200);
    expect((await leaderA.post(`/assessments/${b}/verify`, { answers: [] })).status).toBe(200);
    await officer.post('/assessments/review', { campaignId, hamletId: w.hamlet1.id, subjectType: 'citizen' });
    const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'citizen',
      number: '40/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Chủ tịch',
    });
    expect(dec.status).toBe(201);
    const byId = Object.fromEntries(dec.body.results.map((r: { assessmentId: string }) => [r.assessmentId, r]));
    expect(byId[a].recognised).toBe(true);
    expect(byId[b].recognised).toBe(false);
    expect(byId[b].reasons.join(' ')).toContain('3.2');
  });
});
