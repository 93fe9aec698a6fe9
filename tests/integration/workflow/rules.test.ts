import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, campaigns, households } from '@hoctap/server/db/schema/index.ts';
import { getCatalogSet } from '@hoctap/shared/catalog';
import {
  buildWorld,
  clan,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  household,
  MILESTONES,
  openCampaign,
  user,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/** Criteria sets, campaigns, invalid transitions, scope, conflicts of interest, deadlines, closed campaigns. */
let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let officer: Client,
  otherOfficer: Client,
  leaderA: Client,
  leaderB: Client,
  hhA1: Client,
  hhA2: Client,
  hhB1: Client,
  noConsent: Client,
  viewer: Client;
const key = () => ({ 'idempotency-key': randomUUID() });

async function submitted(owner: Client, subjectId: string) {
  const id = randomUUID();
  const r = await owner.post('/assessments', { id, campaignId, subjectType: 'household', subjectId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await fillAll(owner, id, GDHT_CODES, 10);
  expect((await owner.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
  return id;
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [officer, otherOfficer, leaderA, leaderB, hhA1, hhA2, hhB1, noConsent, viewer] = await clientsFor(env.t.app, [
    w.u.officer,
    w.u.otherOfficer,
    w.u.leaderA,
    w.u.leaderB,
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.noConsent,
    w.u.viewer,
  ]);
});
afterAll(async () => env.t.close());

describe('criteria sets', () => {
  const provincial = () => ({
    ...structuredClone(getCatalogSet('gdht-448-2015-v1')!),
    id: 'gdht-dong-thap-2026',
    title: 'GĐHT Đồng Tháp 2026',
    override: { of: 'gdht-448-2015-v1', scope: 'province', unitName: 'Đồng Tháp' },
  });

  it('lists the shipped catalog and serves one set (also as a download)', async () => {
    const list = await hhA1.get('/criteria-sets');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['gdht-448-2015-v1', 'dhht-448-2015-v1', 'cdht-244-2022-v1']),
    );
    const one = await hhA1.get('/criteria-sets/gdht-448-2015-v1?download=1');
    expect(one.status).toBe(200);
    expect(one.headers['content-disposition']).toContain('gdht-448-2015-v1.json');
    expect(one.body.body.criteria.length).toBeGreaterThan(0);
  });

  it('an officer uploads a provincial set; a broken one gets every problem at once', async () => {
    const broken = {
      ...provincial(),
      id: 'bad-set',
      ratingRules: [],
      criteria: [{ code: '1', title: 'x', indicators: [], provenance: { status: 'provisional', sources: [] } }],
    };
    const bad = await officer.post('/criteria-sets', broken);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('ratingRules');
    expect(bad.body.message).toContain('criteria[0].indicators');
    expect((await hhA1.post('/criteria-sets', provincial())).status).toBe(403);
    const ok = await officer.post('/criteria-sets', provincial());
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      id: 'gdht-dong-thap-2026',
      source: 'uploaded',
      ownerUnitId: w.commune.id,
      inUse: false,
    });
    const edited = await officer.put('/criteria-sets/gdht-dong-thap-2026', {
      ...provincial(),
      title: 'GĐHT Đồng Tháp 2026 (sửa)',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.title).toBe('GĐHT Đồng Tháp 2026 (sửa)');
  });

  it('a set used by a campaign is immutable (409)', async () => {
    campaignId = await openCampaign(officer, w.commune.id, { criteriaSetIds: { household: 'gdht-dong-thap-2026' } });
    const r = await officer.put('/criteria-sets/gdht-dong-thap-2026', provincial());
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('Bộ tiêu chí đã được dùng cho đợt đánh giá, hãy tạo phiên bản mới');
  });
});

describe('campaigns', () => {
  it('one per commune × year; officers of that commune only; campaign_opened enqueued', async () => {
    const c = await officer.get(`/campaigns/${campaignId}`);
    expect(c.body).toMatchObject({ communeId: w.commune.id, year: 2026, status: 'open' });
    const dup = await officer.post('/campaigns', {
      communeId: w.commune.id,
      year: 2026,
      title: 'Lần hai',
      ...MILESTONES,
    });
    expect(dup.status).toBe(409);
    expect(
      (await otherOfficer.post('/campaigns', { communeId: w.commune.id, year: 2027, title: 'x', ...MILESTONES }))
        .status,
    ).toBe(404);
    expect((await otherOfficer.get(`/campaigns/${campaignId}`)).status).toBe(404);
    expect((await hhA1.get(`/campaigns/${campaignId}`)).status).toBe(200);
    expect((await viewer.get('/campaigns')).body.items).toHaveLength(1);
    const outOfOrder = await officer.post('/campaigns', {
      communeId: w.commune.id,
      year: 2027,
      title: 'x',
      ...MILESTONES,
      verificationDueAt: '2026-01-01T00:00:00Z',
    });
    expect(outOfOrder.status).toBe(400);
    expect(
      (await officer.patch(`/campaigns/${campaignId}`, { settings: { clanConflictCheck: true } })).body.settings,
    ).toEqual({ clanConflictCheck: true });
  });
});

describe('states and scope', () => {
  it('invalid transitions answer 409 in Vietnamese and change nothing', async () => {
    const id = randomUUID();
    expect(
      (await hhA1.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA1 })).status,
    ).toBe(201);
    const verifyDraft = await leaderA.post(`/assessments/${id}/verify`, { answers: [] });
    expect(verifyDraft.status).toBe(409);
    expect(verifyDraft.body.message).toContain('Nháp');
    expect(
      (await leaderA.post(`/assessments/${id}/return`, { items: [{ indicatorCode: '1.1', comment: 'x' }] })).status,
    ).toBe(409);
    expect((await hhA1.post(`/assessments/${id}/appeal`, { reason: 'x' })).status).toBe(409);
    const d = await hhA1.get(`/assessments/${id}`);
    expect(d.body).toMatchObject({ state: 'draft', version: 1 });
    // Withdraw is allowed from draft, and then nothing else is.
    expect((await hhA1.post(`/assessments/${id}/withdraw`, { reason: 'Gia đình chuyển đi' })).body.state).toBe(
      'withdrawn',
    );
    expect((await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 10 })).status).toBe(409);
  });

  it('household A cannot see or touch household B; a household cannot register another', async () => {
    const id = await submitted(hhB1, w.hh.hhB1);
    expect((await hhA1.get(`/assessments/${id}`)).status).toBe(404);
    expect((await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 1 })).status).toBe(404);
    expect((await hhA1.post(`/assessments/${id}/submit`, {}, key())).status).toBe(404);
    expect(
      (
        await hhA1.post('/assessments', {
          id: randomUUID(),
          campaignId,
          subjectType: 'household',
          subjectId: w.hh.hhB1,
        })
      ).status,
    ).toBe(404);
    // Leader of another tổ; officer of another commune.
    expect((await leaderA.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(404);
    expect((await otherOfficer.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(404);
    // The province viewer reads but never verifies.
    expect((await viewer.get(`/assessments/${id}`)).status).toBe(200);
    expect((await viewer.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(403);
    expect((await leaderB.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(200);
  });

  it("submission needs the filler's live evaluation consent", async () => {
    const id = randomUUID();
    expect(
      (await noConsent.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA2 })).status,
    ).toBe(201);
    await fillAll(noConsent, id, GDHT_CODES, 10);
    const r = await noConsent.post(`/assessments/${id}/submit`, {}, key());
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('CONSENT_REQUIRED');
    // The failed attempt released its key: after consenting the same key works.
    expect((await hhA2.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
  });

  it('with clanConflictCheck nobody verifies a household of their own clan', async () => {
    const c = await clan(env.db, w.commune.id, w.hamlet1.id, 'Họ Lê', null);
    await env.db.update(households).set({ clanId: c }).where(eq(households.id, w.hh.hhLeaderA));
    const h = await household(env.db, w.at(w.hamlet1, w.groupA), 'Lê Văn Tư', c);
    const owner = await clientFor(env.t.app, await user(env.db, 'Lê Văn Tư', { householdId: h }));
    const id = await submitted(owner, h);
    const r = await leaderA.post(`/assessments/${id}/verify`, { answers: [] });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('CONFLICT_OF_INTEREST_CLAN');
    const leaderA2 = await clientFor(env.t.app, w.u.leaderA2);
    expect((await leaderA2.post(`/assessments/${id}/verify`, { answers: [] })).status).toBe(200);
  });
});

describe('milestones and closing', () => {
  it("after the self-assessment milestone changes need the officer's reopen (audited with a reason)", async () => {
    const h = await household(env.db, w.at(w.hamlet1, w.groupA), 'Hộ Muộn');
    const late = await clientFor(env.t.app, await user(env.db, 'Hộ Muộn', { householdId: h }));
    const id = randomUUID();
    expect((await late.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: h })).status).toBe(
      201,
    );
    await fillAll(late, id, GDHT_CODES.slice(0, 9), 10);
    env.clock.set('2026-10-25T02:00:00Z');
    const r = await late.put(`/assessments/${id}/answers/4.2`, { points: 10 });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/^Đã quá hạn tự đánh giá \(20\/10\/2026\)/);
    expect((await late.post(`/assessments/${id}/submit`, {}, key())).status).toBe(409);
    const reopen = await officer.post(`/campaigns/${campaignId}/reopen`, {
      phase: 'selfAssessment',
      until: '2026-10-28T23:59:59+07:00',
      reason: 'Hộ ốm, xin gia hạn',
    });
    expect(reopen.status).toBe(200);
    expect(reopen.body.reopenedUntil.selfAssessment).toBeDefined();
    const [audit] = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, campaignId), eq(auditEvents.action, 'campaign.reopened')));
    expect(audit!.data).toMatchObject({ reason: 'Hộ ốm, xin gia hạn', milestonePassed: true, phase: 'selfAssessment' });
    expect((await late.put(`/assessments/${id}/answers/4.2`, { points: 10 })).status).toBe(200);
    expect((await late.post(`/assessments/${id}/submit`, {}, key())).status).toBe(200);
    expect((await hhA1.post(`/campaigns/${campaignId}/reopen`, { reason: 'x' })).status).toBe(404);
  });

  it('a closed campaign refuses all changes until reopened', async () => {
    const closed = await officer.post(`/campaigns/${campaignId}/close`, { reason: 'Kết thúc đợt' });
    expect(closed.body.status).toBe('closed');
    const q = await leaderA.get(`/assessments?campaignId=${campaignId}&state=submitted`);
    const target = q.body.items[0].id;
    const r = await leaderA.post(`/assessments/${target}/verify`, { answers: [] });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CAMPAIGN_CLOSED');
    expect(
      (
        await hhA1.post('/assessments', {
          id: randomUUID(),
          campaignId,
          subjectType: 'household',
          subjectId: w.hh.hhA1,
        })
      ).status,
    ).toBe(409);
    await officer.post(`/campaigns/${campaignId}/reopen`, { reason: 'Mở lại để xác minh nốt' });
    const [row] = await env.db.select({ s: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
    expect(row!.s).toBe('open');
  });
});
