import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, inboxMessages, outbox } from '@hoctap/server/db/schema/index.ts';
import { clientFor, user, type Client } from '../../helpers/workflow-fixtures.ts';
import { decide, review, transparencyWorld, verifiedHousehold, type TransparencyWorld } from './helpers.ts';

/*
 * Public posting of the proposed list (niêm yết công khai) with objections (issue 19,
 * docs/transparency.md §2): the window, who sees what (the hamlet's residents only, names and
 * title only), objections and their limits, the officer's queue and resolution, the objector told,
 * the decision blocked until the window ends and objections are resolved (or overridden with a
 * recorded reason).
 */

let tw: TransparencyWorld;
let ids: { a1: string; a2: string; b1: string; c1: string };
let postingId: string;
let objectionId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  tw = await transparencyWorld();
  const { c, w } = tw;
  ids = {
    a1: await verifiedHousehold(tw, c.hhA1, w.hh.hhA1, c.leaderA),
    a2: await verifiedHousehold(tw, c.hhA2, w.hh.hhA2, c.leaderA),
    b1: await verifiedHousehold(tw, c.hhB1, w.hh.hhB1, c.leaderB),
    c1: await verifiedHousehold(tw, c.hhC1, w.hh.hhC1, c.officer),
  };
  await review(tw, w.hamlet1.id);
  await review(tw, w.hamlet2.id);
}, 600_000);
afterAll(async () => tw?.t.close());

const open = (c: Client, hamletId: string, extra: Record<string, unknown> = {}) =>
  c.post('/postings', { campaignId: tw.campaignId, hamletId, subjectType: 'household', ...extra });

describe('posting window', () => {
  it('the officer opens it for a hamlet and title (5 days by default); the hamlet group is told without names', async () => {
    const { c, w } = tw;
    // Outside their hamlet or commune, or not a manager: 404 like a hamlet that does not exist.
    expect((await open(c.hamletHead, w.hamlet2.id)).status).toBe(404);
    expect((await open(c.otherOfficer, w.hamlet1.id)).status).toBe(404);
    expect((await open(c.hhA1, w.hamlet1.id)).status).toBe(404);
    expect((await open(c.leaderA, w.hamlet1.id)).status).toBe(404);
    const now = tw.clock.now();
    expect(
      (await open(c.officer, w.hamlet1.id, { startsAt: now.toISOString(), endsAt: now.toISOString() })).body.code,
    ).toBe('POSTING_WINDOW_INVALID');

    const res = await open(c.officer, w.hamlet1.id);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    postingId = res.body.id;
    expect(res.body).toMatchObject({ hamletName: 'Ấp Mỹ Phú', title: 'Gia đình học tập', open: true, unresolved: 0 });
    expect(new Date(res.body.endsAt).getTime() - new Date(res.body.startsAt).getTime()).toBe(5 * DAY);
    expect((await open(c.officer, w.hamlet1.id)).body.code).toBe('POSTING_EXISTS');

    const group = await tw.db.select().from(outbox).where(eq(outbox.recipient, w.hamlet1.id));
    const msg = group.find((r) => r.kind === 'posting_opened')!;
    expect(msg.channel).toBe('gmf');
    const text = (msg.payload as { text: string }).text;
    expect(text).toContain('niêm yết công khai danh sách đề nghị công nhận “Gia đình học tập” năm 2026');
    expect((msg.payload as { link: string }).link).toBe(`/postings/${postingId}`);
    for (const name of ['Nguyễn Văn An', 'Trần Thị Bình', 'Phạm Thị Dung']) expect(text).not.toContain(name);
    const headInbox = await tw.db
      .select()
      .from(inboxMessages)
      .where(and(eq(inboxMessages.userId, w.u.hamletHead1), eq(inboxMessages.kind, 'posting_opened')));
    expect(headInbox).toHaveLength(1);
  });

  it('residents of the hamlet see the list (names and title only); other hamlets and communes see nothing', async () => {
    const { c } = tw;
    const list = await c.hhA2.get('/postings');
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([postingId]);
    expect(list.body.items[0].unresolved).toBeNull(); // the queue is the officer's
    const d = await c.hhA2.get(`/postings/${postingId}`);
    expect(d.status).toBe(200);
    expect(d.body.entries.map((e: { subjectName: string }) => e.subjectName)).toEqual([
      'Hộ Nguyễn Văn An',
      'Hộ Phạm Thị Dung',
      'Hộ Trần Thị Bình',
    ]);
    for (const e of d.body.entries)
      expect(Object.keys(e).sort()).toEqual(['assessmentId', 'mine', 'subjectName', 'subjectType']);
    const raw = JSON.stringify(d.body);
    for (const absent of ['Total', 'points', 'phone', 'address', 'evidence', 'Tổ 1', 'Võ Văn Em'])
      expect(raw).not.toContain(absent);

    for (const outsider of [c.hhC1, c.hhOther, c.otherOfficer, c.leaderB]) {
      // leaderB has no household in the fixture: not a resident, not a manager.
      expect((await outsider.get(`/postings/${postingId}`)).status).toBe(404);
      expect((await outsider.get('/postings')).body.items).toEqual([]);
    }
    expect((await c.hamletHead.get(`/postings/${postingId}`)).status).toBe(200);
  });
});

describe('objections', () => {
  it('a resident objects to one entry with a reason; one open objection per person and entry; bounded text', async () => {
    const { c } = tw;
    const url = `/postings/${postingId}/objections`;
    const res = await c.hhA2.post(url, {
      assessmentId: ids.a1,
      kind: 'objection',
      reason: 'Gia đình này có con bỏ học giữa năm, đề nghị xem lại.',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    objectionId = res.body.id;
    expect(res.body).toEqual({ id: objectionId, kind: 'objection', status: 'open', resolution: null });
    const again = await c.hhA2.post(url, { assessmentId: ids.a1, kind: 'comment', reason: 'Nhắc lại ý kiến trên.' });
    expect(again.body.code).toBe('OBJECTION_OPEN_EXISTS');
    const mine = await c.hhA2.get(`/postings/${postingId}`);
    expect(mine.body.entries.find((e: { assessmentId: string }) => e.assessmentId === ids.a1).mine).toHaveLength(1);
  });

  it('refuses outsiders, entries not on the list, and reasons too short or too long', async () => {
    const { c } = tw;
    const url = `/postings/${postingId}/objections`;
    const reason = 'Một lý do đủ dài để gửi.';
    expect((await c.hhC1.post(url, { assessmentId: ids.a1, kind: 'objection', reason })).status).toBe(404);
    expect((await c.hhOther.post(url, { assessmentId: ids.a1, kind: 'objection', reason })).status).toBe(404);
    expect((await c.officer.post(url, { assessmentId: ids.a1, kind: 'objection', reason })).status).toBe(404);
    expect((await c.hhB1.post(url, { assessmentId: ids.c1, kind: 'objection', reason })).body.code).toBe(
      'NOT_ON_POSTED_LIST',
    );
    expect((await c.hhB1.post(url, { assessmentId: ids.a2, kind: 'objection', reason: 'ngắn' })).status).toBe(400);
    expect((await c.hhB1.post(url, { assessmentId: ids.a2, kind: 'objection', reason: 'x'.repeat(1001) })).status).toBe(
      400,
    );
    // A comment does not block the decision, but goes to the queue too.
    const comment = await c.hhB1.post(url, {
      assessmentId: ids.a2,
      kind: 'comment',
      reason: 'Gia đình rất gương mẫu.',
    });
    expect(comment.status).toBe(201);
  });

  it('objections are rate-limited per person (429 in Vietnamese)', async () => {
    const { w } = tw;
    const u = await clientFor(tw.t.app, await user(tw.db, 'Người gửi nhiều', { householdId: w.hh.hhB1 }));
    const url = `/postings/${postingId}/objections`;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const got: number[] = [];
      for (const id of [ids.a1, ids.a2, ids.b1, ids.a1, ids.a2, ids.b1])
        got.push(
          (await u.post(url, { assessmentId: id, kind: 'comment', reason: 'Một ý kiến để thử giới hạn.' })).status,
        );
      expect(got.slice(0, 5)).not.toContain(429);
      expect(got[5]).toBe(429);
      const body = (await u.post(url, { assessmentId: ids.a1, kind: 'comment', reason: 'Một ý kiến nữa.' })).body;
      expect(body.code).toBe('OBJECTION_RATE_LIMITED');
      expect(body.message).toContain('Vui lòng đợi');
    } finally {
      vi.useRealTimers();
    }
  });

  it("the officer's queue shows each objection with the entry's record; nobody else reads it", async () => {
    const { c } = tw;
    const q = await c.officer.get(`/objections?campaignId=${tw.campaignId}&status=open`);
    expect(q.status).toBe(200);
    const o = q.body.items.find((x: { id: string }) => x.id === objectionId);
    expect(o).toMatchObject({
      assessmentId: ids.a1,
      subjectName: 'Hộ Nguyễn Văn An',
      hamletName: 'Ấp Mỹ Phú',
      assessmentState: 'reviewed',
      verifiedTotal: 100,
      kind: 'objection',
      authorName: 'Trần Thị Bình',
      status: 'open',
    });
    for (const other of [c.otherOfficer, c.hamletHead, c.hhA2, c.leaderA])
      expect((await other.get(`/objections?campaignId=${tw.campaignId}`)).status).toBe(404);
    expect((await c.officer.get('/postings')).body.items[0].unresolved).toBeGreaterThanOrEqual(2);
  });
});

describe('resolution and the decision', () => {
  it('the decision is blocked while the window is open, then while objections are unresolved', async () => {
    const { c } = tw;
    const first = await decide(tw, '30/QĐ-UBND', { assessmentIds: [ids.a1, ids.a2, ids.b1] });
    expect(first.status).toBe(409);
    expect(first.body.code).toBe('POSTING_BLOCKS_DECISION');
    expect(first.body.message).toContain('còn đang niêm yết ở Ấp Mỹ Phú');
    // The window ends (5 days later): residents see nothing any more and cannot object.
    tw.clock.advance(5 * DAY + 1000);
    expect((await c.hhA2.get(`/postings/${postingId}`)).status).toBe(404);
    expect((await c.hhA2.get('/postings')).body.items).toEqual([]);
    expect(
      (
        await c.hhA1.post(`/postings/${postingId}/objections`, {
          assessmentId: ids.a2,
          kind: 'objection',
          reason: 'Quá hạn rồi nhưng vẫn gửi.',
        })
      ).body.code,
    ).toBe('POSTING_NOT_OPEN');
    const officerView = await c.officer.get(`/postings/${postingId}`);
    expect(officerView.body.open).toBe(false);
    const second = await decide(tw, '30/QĐ-UBND', { assessmentIds: [ids.a1, ids.a2, ids.b1] });
    expect(second.body.code).toBe('POSTING_BLOCKS_DECISION');
    expect(second.body.message).toContain('còn 1 ý kiến phản ánh chưa xử lý');
  });

  it('the officer removes the entry with a reason (audited), the objector is told, the decision goes through', async () => {
    const { c, w } = tw;
    const reason = 'Đã xác minh: con của hộ bỏ học từ tháng 3, không đạt tiêu chí 1.1.';
    expect(
      (await c.otherOfficer.post(`/objections/${objectionId}/resolve`, { outcome: 'removed', reason })).status,
    ).toBe(404);
    expect((await c.hamletHead.post(`/objections/${objectionId}/resolve`, { outcome: 'removed', reason })).status).toBe(
      404,
    );
    const r = await c.officer.post(`/objections/${objectionId}/resolve`, { outcome: 'removed', reason });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'removed', resolution: reason });
    expect(
      (await c.officer.post(`/objections/${objectionId}/resolve`, { outcome: 'kept', reason: 'Lại' })).body.code,
    ).toBe('OBJECTION_RESOLVED');
    const audit = await tw.db.select().from(auditEvents).where(eq(auditEvents.entityId, objectionId));
    expect(audit.map((a) => a.action)).toEqual(['objection.created', 'objection.resolved']);
    expect(audit[1]!.data).toMatchObject({ outcome: 'removed', reason });
    const told = await tw.db
      .select()
      .from(inboxMessages)
      .where(and(eq(inboxMessages.userId, w.u.hhA2), eq(inboxMessages.kind, 'objection_resolved')));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('Hộ Nguyễn Văn An đã được đưa ra khỏi danh sách đề nghị công nhận');
    expect(told[0]!.body).toContain(reason);

    const d = await decide(tw, '30/QĐ-UBND', { assessmentIds: [ids.a1, ids.a2, ids.b1] });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const a1 = d.body.results.find((x: { assessmentId: string }) => x.assessmentId === ids.a1);
    expect(a1.recognised).toBe(false);
    expect(a1.reasons).toEqual([`Đưa ra khỏi danh sách sau niêm yết: ${reason}`]);
    expect(d.body.results.filter((x: { recognised: boolean }) => x.recognised)).toHaveLength(2);
  });

  it('an officer may override an open window with a recorded reason', async () => {
    const { c, w } = tw;
    const p2 = await open(c.officer, w.hamlet2.id);
    expect(p2.status).toBe(201);
    expect((await decide(tw, '31/QĐ-UBND')).body.code).toBe('POSTING_BLOCKS_DECISION');
    const why = 'Hội nghị bình xét đã công khai danh sách tại nhà văn hóa ấp từ trước.';
    const d = await decide(tw, '31/QĐ-UBND', { postingOverrideReason: why });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const audit = await tw.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'posting.override'), eq(auditEvents.entityId, tw.campaignId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ reason: why, openWindows: [p2.body.id] });
    // Closing early ends it for residents at once.
    const closed = await c.officer.post(`/postings/${p2.body.id}/close`, {});
    expect(closed.body.open).toBe(false);
    expect((await c.hhC1.get(`/postings/${p2.body.id}`)).status).toBe(404);
  });
});
