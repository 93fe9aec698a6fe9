import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { assessmentCounts, notificationOutboxTable } from './outbox-alias.ts';
import { auditEvents } from '@hoctap/server/db/schema/index.ts';
import {
  buildWorld,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let hhA1: Client,
  hhA2: Client,
  leaderA: Client,
  leaderB: Client,
  hamletHead: Client,
  officer: Client,
  otherOfficer: Client,
  hhOther: Client;

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  const app = env.t.app;
  [hhA1, hhA2, leaderA, leaderB, hamletHead, officer, otherOfficer, hhOther] = await clientsFor(app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.leaderA,
    w.u.leaderB,
    w.u.hamletHead1,
    w.u.officer,
    w.u.otherOfficer,
    w.u.hhOther,
  ]);
  campaignId = await openCampaign(officer, w.commune.id);
});
afterAll(async () => env.t.close());

const counts = async (unitId: string, state: string) => {
  const [r] = await env.db
    .select({ n: assessmentCounts.n })
    .from(assessmentCounts)
    .where(
      and(
        eq(assessmentCounts.campaignId, campaignId),
        eq(assessmentCounts.unitId, unitId),
        eq(assessmentCounts.subjectType, 'household'),
        eq(assessmentCounts.state, state),
      ),
    );
  return r?.n ?? 0;
};

describe('household: draft → recognition, with a return for fixing and an appeal', () => {
  const id = randomUUID();

  it('registers idempotently on the client id; the same subject twice is refused with its id', async () => {
    const body = { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA1 };
    const first = await hhA1.post('/assessments', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id,
      state: 'draft',
      version: 1,
      subjectName: 'Hộ Nguyễn Văn An',
      groupId: w.groupA.id,
    });
    const again = await hhA1.post('/assessments', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    const dup = await hhA1.post('/assessments', { ...body, id: randomUUID() });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain(id);
    expect(await counts(w.hamlet1.id, 'draft')).toBe(1);
    expect(await counts(w.commune.id, 'draft')).toBe(1);
    expect(await counts(w.province.id, 'draft')).toBe(1);
  });

  it('saves answers per indicator, validates them, and a repeat is a no-op', async () => {
    const bad = await hhA1.put(`/assessments/${id}/answers/9.9`, { points: 5 });
    expect(bad.status).toBe(400);
    const over = await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 11 });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain('1.1');
    const half = await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 7.5 });
    expect(half.status).toBe(400);
    const ok = await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 10 });
    expect(ok.status).toBe(200);
    expect(ok.body.changed).toBe(true);
    const same = await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 10 });
    expect(same.body.changed).toBe(false);
    expect(same.body.version).toBe(ok.body.version);
  });

  it('refuses a submit with unanswered indicators (422 listing them) and without Idempotency-Key (400)', async () => {
    const nokey = await hhA1.post(`/assessments/${id}/submit`);
    expect(nokey.status).toBe(400);
    const r = await hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('1.2');
    expect(r.body.message).not.toContain('1.1,');
  });

  it('submits once per Idempotency-Key: replay returns the stored result, another payload → 422', async () => {
    await fillAll(hhA1, id, GDHT_CODES, 10);
    const key = randomUUID();
    const r1 = await hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key });
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ state: 'submitted', selfTotal: 100 });
    // Photos missing for indicators that require them: flagged, not refused.
    expect(r1.body.verdict.outcome).toBe('incomplete');
    expect(JSON.stringify(r1.body.verdict.reasons)).toContain('evidence_missing');
    const r2 = await hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key });
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual(r1.body);
    const other = await hhA1.post(`/assessments/${randomUUID()}/submit`, {}, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    const submits = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'submit')));
    expect(submits).toHaveLength(1);
    expect(await counts(w.hamlet1.id, 'draft')).toBe(0);
    expect(await counts(w.hamlet1.id, 'submitted')).toBe(1);
  });

  it('answers can no longer change once submitted', async () => {
    const r = await hhA1.put(`/assessments/${id}/answers/1.1`, { points: 9 });
    expect(r.status).toBe(409);
  });

  it('the leader queue shows it; another tổ, another commune and another household do not see it', async () => {
    const q = await leaderA.get(`/assessments?campaignId=${campaignId}&state=submitted`);
    expect(q.status).toBe(200);
    expect(q.body.items.map((a: { id: string }) => a.id)).toContain(id);
    expect((await leaderB.get(`/assessments?campaignId=${campaignId}`)).body.items).toHaveLength(0);
    expect((await leaderB.get(`/assessments/${id}`)).status).toBe(404);
    expect((await otherOfficer.get(`/assessments/${id}`)).status).toBe(404);
    expect((await hhOther.get(`/assessments/${id}`)).status).toBe(404);
    expect((await hhA2.get(`/assessments/${id}`)).status).toBe(404);
    expect((await hamletHead.get(`/assessments/${id}`)).status).toBe(200);
  });

  it('the leader returns it with comments per indicator → returned + assessment_returned event', async () => {
    const r = await leaderA.post(`/assessments/${id}/return`, {
      items: [{ indicatorCode: '1.2', comment: 'Bổ sung ảnh giấy khen của cháu' }],
    });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('returned');
    const events = await env.db
      .select()
      .from(notificationOutboxTable)
      .where(
        and(eq(notificationOutboxTable.kind, 'assessment_returned'), eq(notificationOutboxTable.channel, 'event')),
      );
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      assessmentId: id,
      indicatorCodes: ['1.2'],
      recipientUserIds: [w.u.hhA1],
    });
    const c = await hhA1.get(`/assessments/${id}/comments`);
    expect(c.body.items[0]).toMatchObject({ indicatorCode: '1.2', body: 'Bổ sung ảnh giấy khen của cháu' });
  });

  it('the household fixes and resubmits', async () => {
    const fix = await hhA1.put(`/assessments/${id}/answers/1.2`, { points: 9, note: 'Cháu đạt học sinh khá' });
    expect(fix.status).toBe(200);
    const r = await hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'resubmitted', selfTotal: 99 });
  });

  it('the tổ leader was told in the inbox of the submission and of the resubmission; no other tổ was', async () => {
    const mine = (await leaderA.get('/inbox')).body.items.filter((m: { link: string }) => m.link === `/review/${id}`);
    expect(mine.map((m: { title: string }) => m.title).sort()).toEqual([
      'Có hồ sơ mới cần xác minh',
      'Hồ sơ đã được gửi lại',
    ]);
    expect(mine.find((m: { title: string }) => m.title === 'Hồ sơ đã được gửi lại').body).toContain('Hộ Nguyễn Văn An');
    const other = (await leaderB.get('/inbox')).body.items.filter((m: { link: string }) => m.link === `/review/${id}`);
    expect(other).toHaveLength(0);
  });

  it('verification requires a reason when points differ; nobody verifies their own household', async () => {
    const noReason = await leaderA.post(`/assessments/${id}/verify`, {
      answers: [{ indicatorCode: '2.1', points: 8 }],
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain('2.1');

    const own = randomUUID();
    const leaderSelf = await clientFor(env.t.app, w.u.leaderA);
    expect(
      (
        await leaderSelf.post('/assessments', {
          id: own,
          campaignId,
          subjectType: 'household',
          subjectId: w.hh.hhLeaderA,
        })
      ).status,
    ).toBe(201);
    await fillAll(leaderSelf, own, GDHT_CODES, 10);
    expect((await leaderSelf.post(`/assessments/${own}/submit`, {}, { 'idempotency-key': randomUUID() })).status).toBe(
      200,
    );
    const coi = await leaderA.post(`/assessments/${own}/verify`, { answers: [] });
    expect(coi.status).toBe(403);
    expect(coi.body.code).toBe('CONFLICT_OF_INTEREST');

    const r = await leaderA.post(`/assessments/${id}/verify`, {
      answers: [{ indicatorCode: '2.1', points: 8, reason: 'Chưa tham gia đủ buổi sinh hoạt' }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'verified', verifiedTotal: 97 });
    const d = await hhA1.get(`/assessments/${id}`);
    expect(d.body.layers.self).toHaveLength(10);
    expect(d.body.layers.verifier.find((a: { indicatorCode: string }) => a.indicatorCode === '2.1')).toMatchObject({
      points: 8,
      reason: 'Chưa tham gia đủ buổi sinh hoạt',
    });
    const verified = await env.db
      .select()
      .from(notificationOutboxTable)
      .where(eq(notificationOutboxTable.kind, 'assessment_verified'));
    expect(verified.some((e) => (e.payload as { assessmentId: string }).assessmentId === id)).toBe(true);
  });

  it('the household appeals; the officer accepts with a commune re-score; back to verified', async () => {
    const ap = await hhA1.post(`/assessments/${id}/appeal`, { reason: 'Nhà tôi tham gia đủ các buổi sinh hoạt' });
    expect(ap.status).toBe(200);
    expect(ap.body.state).toBe('appealed');
    expect((await hhA1.post(`/assessments/${id}/appeal`, { reason: 'lần nữa' })).status).toBe(409);
    const notOfficer = await leaderA.post(`/assessments/${id}/appeal/resolve`, { outcome: 'accepted', reason: 'x' });
    expect(notOfficer.status).toBe(403);
    const res = await officer.post(`/assessments/${id}/appeal/resolve`, {
      outcome: 'accepted',
      reason: 'Đã kiểm tra sổ sinh hoạt',
      answers: [{ indicatorCode: '2.1', points: 10 }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'verified', communeTotal: 99 });
  });

  it('the hamlet reviews; the officer recognises by decision with certificate numbers', async () => {
    const rv = await hamletHead.post('/assessments/review', {
      campaignId,
      hamletId: w.hamlet1.id,
      subjectType: 'household',
    });
    expect(rv.status).toBe(200);
    expect(rv.body.assessmentIds).toContain(id);
    const notOfficer = await hamletHead.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'household',
      number: '12/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Nguyễn Văn Chủ Tịch',
    });
    expect(notOfficer.status).toBe(404);
    const dec = await officer.post(`/campaigns/${campaignId}/decisions`, {
      subjectType: 'household',
      number: '12/QĐ-UBND',
      decidedOn: '2026-11-10',
      signer: 'Nguyễn Văn Chủ Tịch',
    });
    expect(dec.status).toBe(201);
    const mine = dec.body.results.find((r: { assessmentId: string }) => r.assessmentId === id);
    expect(mine).toMatchObject({ recognised: true });
    expect(mine.certificateNo).toMatch(/^12\/QĐ-UBND\/\d+$/);
    const d = await hhA1.get(`/assessments/${id}`);
    expect(d.body).toMatchObject({ state: 'recognised', communeTotal: 99, decision: { number: '12/QĐ-UBND' } });
    expect(d.body.layers.commune).toHaveLength(10);
    // Locked: no appeal or change after the decision.
    expect((await hhA1.post(`/assessments/${id}/appeal`, { reason: 'muộn' })).status).toBe(409);
    const list = await officer.get(`/campaigns/${campaignId}/decisions`);
    expect(list.body.items).toHaveLength(1);
    const kinds = (await env.db.select().from(notificationOutboxTable)).map((e) => e.kind);
    expect(kinds).toContain('assessment_decided');
    expect(kinds).toContain('decision_published');
    expect(await counts(w.hamlet1.id, 'recognised')).toBeGreaterThanOrEqual(1);
    // Counts add up: every registered household is in exactly one state.
    const all = await env.db
      .select()
      .from(assessmentCounts)
      .where(and(eq(assessmentCounts.campaignId, campaignId), eq(assessmentCounts.unitId, w.commune.id)));
    expect(all.reduce((s, r) => s + r.n, 0)).toBe(2);
    // A count is spread over slots (a decision moves its subjects on slot 0): per state, the sum.
    const perState = new Map<string, number>();
    for (const r of all) perState.set(r.state, (perState.get(r.state) ?? 0) + r.n);
    expect([...perState.values()].every((n) => n >= 0)).toBe(true);
  });

  it('the timeline tells the story in Vietnamese, visible to the household and not to others', async () => {
    const t = await hhA1.get(`/assessments/${id}/timeline`);
    expect(t.status).toBe(200);
    const labels = t.body.items.map((e: { label: string }) => e.label);
    expect(labels[0]).toBe('Đăng ký đánh giá');
    expect(labels).toContain('Nộp bản tự đánh giá: Nháp → Đã nộp');
    expect(labels).toContain('Trả lại để bổ sung: Đã nộp → Trả lại để bổ sung');
    expect(labels.some((l: string) => l.startsWith('Chấm điểm chỉ số 2.1 (xác minh): 10 → 8'))).toBe(true);
    expect(labels).toContain('Ra quyết định: Đã bình xét → Được công nhận');
    expect((await hhA2.get(`/assessments/${id}/timeline`)).status).toBe(404);
  });
});

describe('assisted mode', () => {
  it('a leader registers and fills for a household of their tổ; audit rows carry onBehalfOf', async () => {
    const id = randomUUID();
    const h = { 'x-act-for-household': w.hh.hhA2 };
    const r = await leaderA.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA2 }, h);
    expect(r.status).toBe(201);
    await fillAll(leaderA, id, GDHT_CODES, 9, h);
    const rows = await env.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row).toMatchObject({ actorId: w.u.leaderA, onBehalfOf: w.hh.hhA2 });
    // Without the header the leader is not the owner.
    expect((await leaderA.put(`/assessments/${id}/answers/1.1`, { points: 8 })).status).toBe(403);
    // A leader of another tổ cannot act for it.
    expect(
      (await leaderB.put(`/assessments/${id}/answers/1.1`, { points: 8 }, { 'x-act-for-household': w.hh.hhA2 })).status,
    ).toBe(404);

    // Sent by the leader for the household: the leader may not verify it (their own entry); the
    // trưởng ấp can. The leader is not told of their own submission.
    const sent = await leaderA.post(`/assessments/${id}/submit`, {}, { ...h, 'idempotency-key': randomUUID() });
    expect(sent.status).toBe(200);
    const leaderInbox = await leaderA.get('/inbox');
    expect(leaderInbox.body.items.filter((m: { link: string }) => m.link === `/review/${id}`)).toHaveLength(0);
    const own = await leaderA.post(`/assessments/${id}/verify`, { version: sent.body.version, answers: [] });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('CONFLICT_OF_INTEREST_ASSISTED');
    expect(own.body.message).toContain('nhập thay');
    const byHead = await hamletHead.post(`/assessments/${id}/verify`, { version: sent.body.version, answers: [] });
    expect(byHead.status).toBe(200);
  });
});
