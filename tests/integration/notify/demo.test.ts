import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { inboxMessages } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import { buildWorld, emit, outboxRows, vn, type World } from '../../helpers/notify-fixtures.ts';

// No Zalo variable set at all: the demo. Everything lands in the inbox and in the officers' log.
const clock = manualClock(vn('2026-10-20T09:00'));
let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  w = await buildWorld(t.db.database.db, {
    now: clock.now(),
    selfDueAt: vn('2026-10-30T23:59'),
    hamlets: [
      { name: 'Mỹ Hòa', households: 100, submitted: 90, recognised: 86, users: 2 },
      { name: 'Mỹ Lợi', households: 40, submitted: 10, users: 1 },
    ],
  });
});
afterAll(async () => t.close());

describe('demo mode (Zalo not configured)', () => {
  it('logs every delivery instead of sending, and fills the inboxes', async () => {
    const db = t.db.database.db;
    expect(t.app.services.notify.demo).toBe(true);
    const hh = w.hamlets[0]!.users[0]!;
    await emit(
      db,
      {
        kind: 'assessment_returned',
        assessmentId: '7f3c7a0e-0000-4000-8000-000000000001',
        campaignId: w.campaignId,
        subjectName: 'Hộ Nguyễn Văn A',
        recipientUserIds: [hh.userId],
        indicatorCodes: ['1.2'],
        comment: 'Thiếu ảnh giấy khen [@all]',
      },
      'returned:a1:v2',
      clock.now(),
    );
    await emit(
      db,
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      'opened:c1',
      clock.now(),
    );
    const stats = await t.app.services.notify.dispatchOnce({ now: clock.now() });
    expect(stats).toMatchObject({ claimed: 4, logged: 4, sent: 0, dead: 0 });
    const rows = await outboxRows(db);
    expect(rows.every((r) => r.status === 'sent' && r.providerMessageId === null)).toBe(true);

    const inbox = await db.select().from(inboxMessages).where(eq(inboxMessages.userId, hh.userId));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.body).toContain('chỉ số 1.2');
    expect(inbox[0]!.body).not.toContain('[@all]'); // mention syntax stripped
    expect(inbox[0]!.link).toBe('/assessments/7f3c7a0e-0000-4000-8000-000000000001?indicator=1.2');
    // Group messages reach the hamlet's leaders' inboxes too.
    const headInbox = await db.select().from(inboxMessages).where(eq(inboxMessages.userId, w.hamlets[0]!.headId));
    expect(headInbox.map((m) => m.body)).toEqual([
      expect.stringContaining('Ấp Mỹ Hòa: đã mở đợt bình xét danh hiệu học tập năm 2026'),
    ]);
  });

  it('GET /messages shows officers the log; others get 403', async () => {
    const officer = await devLogin(t.app, w.officerId);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/messages', headers: officer.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.demo).toBe(true);
    expect(body.items).toHaveLength(4);
    const group = body.items.find((i: { recipientLabel: string }) => i.recipientLabel === 'Nhóm Zalo Ấp Mỹ Lợi');
    expect(group).toMatchObject({ channel: 'gmf', status: 'logged', attempts: 1, kind: 'campaign_opened' });
    expect(group.text).toContain('Ấp Mỹ Lợi: đã mở đợt bình xét');
    const personal = body.items.find((i: { channel: string }) => i.channel === 'miniapp');
    expect(personal).toMatchObject({
      status: 'logged',
      recipientLabel: 'Nguyễn Văn Mỹ Hòa 1',
      kind: 'assessment_returned',
    });
    expect(personal.sentAt).toBe(clock.now().toISOString());

    const page1 = await t.app.inject({ method: 'GET', url: '/api/v1/messages?limit=3', headers: officer.auth });
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/messages?limit=3&cursor=${page1.json().nextCursor}`,
      headers: officer.auth,
    });
    expect([...page1.json().items, ...page2.json().items].map((i: { id: number }) => i.id)).toEqual(
      body.items.map((i: { id: number }) => i.id),
    );

    const leader = await devLogin(t.app, w.hamlets[0]!.leaderId);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/messages', headers: leader.auth })).statusCode).toBe(403);
  });

  it('GET /inbox pages my messages; POST /inbox/{id}/read marks one read', async () => {
    const s = await devLogin(t.app, w.hamlets[0]!.users[0]!.userId);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: s.auth });
    expect(res.statusCode).toBe(200);
    const { items, unread } = res.json();
    expect(unread).toBe(1);
    expect(items[0]).toMatchObject({ kind: 'assessment_returned', title: 'Hồ sơ cần bổ sung', readAt: null });
    const read = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${items[0].id}/read`, headers: s.auth });
    expect(read.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: s.auth })).json().unread).toBe(0);
    // Someone else's message is not found.
    const other = await devLogin(t.app, w.hamlets[1]!.users[0]!.userId);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${items[0].id}/read`, headers: other.auth }))
        .statusCode,
    ).toBe(404);
  });

  it('GET /share-summaries/{unitId}: progress text for leaders of the hamlet, 404 elsewhere', async () => {
    const head = await devLogin(t.app, w.hamlets[0]!.headId);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/share-summaries/${w.hamlets[0]!.id}`,
      headers: head.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().text).toMatch(/^Ấp Mỹ Hòa: 90\/100 hộ đã nộp tự đánh giá \(90 %\), hạn 30\/10\./);
    const otherLeader = await devLogin(t.app, w.hamlets[1]!.leaderId);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/share-summaries/${w.hamlets[0]!.id}`,
          headers: otherLeader.auth,
        })
      ).statusCode,
    ).toBe(404);
    const officer = await devLogin(t.app, w.officerId);
    const commune = await t.app.inject({
      method: 'GET',
      url: `/api/v1/share-summaries/${w.communeId}`,
      headers: officer.auth,
    });
    expect(commune.json().text).toMatch(/^Xã Mỹ An: 100\/140 hộ đã nộp/);
  });

  it('GET /share-summaries/{tổ}: a tổ leader shares their hamlet; another tổ of another hamlet is 404', async () => {
    const leader = await devLogin(t.app, w.hamlets[0]!.leaderId);
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/v1/share-summaries/${w.hamlets[0]!.toId}`,
      headers: leader.auth,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ unitId: w.hamlets[0]!.id });
    expect(own.json().text).toMatch(/^Ấp Mỹ Hòa: 90\/100 hộ đã nộp/);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/share-summaries/${w.hamlets[1]!.toId}`,
      headers: leader.auth,
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('the in-process loop', () => {
  it('is started by buildApp when enabled, delivers on its own, and stops on close', async () => {
    const loopClock = manualClock(vn('2026-10-20T10:00'));
    const app = await createTestApp(
      { DISPATCHER_ENABLED: 'true', NOTIFY_DISPATCH_INTERVAL_MS: '100' },
      { clock: loopClock },
    );
    try {
      const world = await buildWorld(app.db.database.db, {
        now: loopClock.now(),
        selfDueAt: vn('2026-12-30T23:59'),
        hamlets: [{ name: 'Mỹ Phú', households: 2 }],
      });
      await emit(
        app.db.database.db,
        {
          kind: 'campaign_opened',
          campaignId: world.campaignId,
          communeId: world.communeId,
          year: 2026,
          selfAssessmentDueAt: vn('2026-12-30T23:59').toISOString(),
        },
        'loop:1',
        loopClock.now(),
      );
      // The loop runs on its own timer: the test follows its ticks (a bounded number of them, however
      // long each takes on a loaded machine) instead of sleeping and guessing.
      let rows = await outboxRows(app.db.database.db);
      for (let ticks = 0; ticks < 20 && (rows.length < 2 || rows.some((r) => r.status !== 'sent')); ticks++) {
        await app.app.services.notify.afterNextTick();
        rows = await outboxRows(app.db.database.db);
      }
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await app.close(); // must not hang or touch the closed database
    }
  });
});
