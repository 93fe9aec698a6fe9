import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, outbox, users, zaloGroups, zaloTokens } from '@hoctap/server/db/schema/index.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import type { FakeClock } from '../../fakes/zalo/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import {
  buildWorld,
  decideHamlets,
  emit,
  mapGroup,
  outboxRows,
  recordFollow,
  seedOaToken,
  vn,
  type World,
} from '../../helpers/notify-fixtures.ts';
import { APP, startFake, zaloEnv } from './zalo-env.ts';

let fake: FakeZalo;
let clock: FakeClock;
let t: TestApp;
let w: World;
const groupOf = new Map<string, string>(); // unitId → fake GMF group id
let n = 0;
const key = (s: string) => `${s}:${++n}`;

beforeAll(async () => {
  ({ fake, clock } = await startFake(vn('2026-10-20T09:00')));
  t = await createTestApp(zaloEnv(fake, { NOTIFY_MAX_ATTEMPTS: '4' }), { clock });
  const db = t.db.database.db;
  w = await buildWorld(db, {
    now: clock.now(),
    selfDueAt: vn('2026-10-30T23:59'),
    hamlets: [
      { name: 'Mỹ Hòa', households: 100, submitted: 90, recognised: 86, users: 6 },
      { name: 'Mỹ Lợi', households: 50, submitted: 40, recognised: 30, users: 2 },
    ],
  });
  for (const unitId of [w.communeId, ...w.hamlets.map((h) => h.id)]) {
    const g = fake.addGroup({ name: `Nhóm ${unitId.slice(0, 4)}` });
    groupOf.set(unitId, g.groupId);
    await mapGroup(db, unitId, g.groupId);
  }
  for (const h of w.hamlets)
    for (const u of h.users) fake.setMiniAppUser(u.zaloId, { allowedNotifications: true, lastOpenedAt: clock.now() });
  await seedOaToken(db, APP.oaId, fake.issueOaTokens(), clock.now());
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.record.clear();
  fake.script.reset();
});

const db = () => t.db.database.db;
const dispatch = () => t.app.services.notify.dispatchOnce({ now: clock.now(), limit: 50 });
const delivered = () => fake.delivered;
const textOf = (p: unknown) => (p as { text?: string }).text;

describe('every message kind reaches Zalo with the right text and recipient', () => {
  it('campaign opened → each hamlet group and the commune group', async () => {
    const before = delivered().length;
    await emit(
      db(),
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      key('opened'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ claimed: 3, sent: 3 });
    const got = delivered().slice(before);
    expect(got.map((d) => [d.channel, d.recipient]).sort()).toEqual(
      [...groupOf.values()].map((g) => ['gmf', g]).sort(),
    );
    const hoa = got.find((d) => d.recipient === groupOf.get(w.hamlets[0]!.id))!;
    expect(textOf(hoa.payload)).toBe(
      'Ấp Mỹ Hòa: đã mở đợt bình xét danh hiệu học tập năm 2026. Các hộ mở ứng dụng để đăng ký và tự đánh giá, hạn 30/10.',
    );
    // Provider message ids are recorded.
    const rows = await outboxRows(db());
    expect(
      rows
        .filter((r) => r.kind === 'campaign_opened')
        .map((r) => r.providerMessageId)
        .sort(),
    ).toEqual(got.map((d) => d.messageId).sort());
  });

  it('returned for fixes → Mini App notification with a deep link to the indicator', async () => {
    const u = w.hamlets[0]!.users[0]!;
    await emit(
      db(),
      {
        kind: 'assessment_returned',
        assessmentId: '00000000-0000-4000-8000-0000000000a1',
        campaignId: w.campaignId,
        subjectName: 'Hộ ông Ba',
        recipientUserIds: [u.userId],
        indicatorCodes: ['2.1', '3.4'],
        comment: 'Bổ sung ảnh',
      },
      key('returned'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const [req] = fake.record.for('/notification/template');
    expect(req!.headers['x-user-id']).toBe(u.zaloId);
    expect(req!.body).toMatchObject({
      templateId: 'miniapp0tmpl',
      templateData: {
        title: 'Hồ sơ cần bổ sung',
        contentDescription:
          'Hồ sơ của Hộ ông Ba được trả lại để bổ sung (chỉ số 2.1, 3.4). Ghi chú: “Bổ sung ảnh” Vui lòng sửa và nộp lại.',
        buttonUrl: `https://zalo.me/s/${APP.miniAppId}/assessments/00000000-0000-4000-8000-0000000000a1?indicator=2.1`,
      },
    });
  });

  it('verified, recognised and not recognised (with the reasons) → the household', async () => {
    const [a, b, c] = [w.hamlets[0]!.users[1]!, w.hamlets[0]!.users[2]!, w.hamlets[0]!.users[3]!];
    const base = {
      campaignId: w.campaignId,
      subjectName: 'Hộ bà Tư',
      subjectType: 'household',
      decisionNumber: '123/QĐ-UBND',
    };
    await emit(
      db(),
      {
        kind: 'assessment_verified',
        assessmentId: '00000000-0000-4000-8000-0000000000b1',
        campaignId: w.campaignId,
        subjectName: 'Hộ bà Tư',
        recipientUserIds: [a.userId],
      },
      key('verified'),
      clock.now(),
    );
    await emit(
      db(),
      {
        kind: 'assessment_decided',
        assessmentId: '00000000-0000-4000-8000-0000000000b2',
        ...base,
        recipientUserIds: [b.userId],
        recognised: true,
        reasons: [],
      },
      key('decided'),
      clock.now(),
    );
    await emit(
      db(),
      {
        kind: 'assessment_decided',
        assessmentId: '00000000-0000-4000-8000-0000000000b3',
        ...base,
        recipientUserIds: [c.userId],
        recognised: false,
        reasons: ['Tổng điểm 72 < 80', 'Tiêu chí 1 dưới điểm sàn'],
      },
      key('decided'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ sent: 3 });
    const byUser = new Map(
      fake.record
        .for('/notification/template')
        .map((r) => [r.headers['x-user-id'], (r.body as { templateData: Record<string, string> }).templateData]),
    );
    expect(byUser.get(a.zaloId)!.contentDescription).toBe(
      'Hồ sơ của Hộ bà Tư đã được tổ xác minh và chuyển lên xã bình xét.',
    );
    expect(byUser.get(b.zaloId)!.contentDescription).toBe(
      'Chúc mừng Hộ bà Tư được công nhận danh hiệu “Gia đình học tập” (Quyết định số 123/QĐ-UBND).',
    );
    expect(byUser.get(c.zaloId)!.contentDescription).toBe(
      'Hộ bà Tư chưa được công nhận danh hiệu “Gia đình học tập” (Quyết định số 123/QĐ-UBND). Lý do: Tổng điểm 72 < 80; Tiêu chí 1 dưới điểm sàn.',
    );
  });

  it("one hamlet's decision posts only to that hamlet's group; the commune waits until its figures are final", async () => {
    const before = delivered().length;
    const [hoa, loi] = w.hamlets;
    await decideHamlets(db(), w, '00000000-0000-4000-8000-0000000000c0', [hoa!.id]);
    await emit(
      db(),
      {
        kind: 'decision_published',
        decisionId: '00000000-0000-4000-8000-0000000000c0',
        campaignId: w.campaignId,
        communeId: w.communeId,
        subjectType: 'household',
      },
      key('decision'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const got = delivered().slice(before);
    // Mỹ Lợi still has households waiting for a decision: neither it nor the commune hears "0/50".
    expect(got.map((d) => d.recipient)).toEqual([groupOf.get(hoa!.id)]);
    expect(textOf(got[0]!.payload)).toBe('Ấp Mỹ Hòa: 86/100 hộ đạt Gia đình học tập — 86 %, chỉ tiêu 85 %');
    expect(got.map((d) => d.recipient)).not.toContain(groupOf.get(loi!.id));
  });

  it('results after the decision → hamlet and commune groups with counts, share and target', async () => {
    const before = delivered().length;
    await decideHamlets(db(), w, '00000000-0000-4000-8000-0000000000c1');
    await emit(
      db(),
      {
        kind: 'decision_published',
        decisionId: '00000000-0000-4000-8000-0000000000c1',
        campaignId: w.campaignId,
        communeId: w.communeId,
        subjectType: 'household',
      },
      key('decision'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ sent: 3 });
    const texts = new Map(
      delivered()
        .slice(before)
        .map((d) => [d.recipient, textOf(d.payload)]),
    );
    expect(texts.get(groupOf.get(w.hamlets[0]!.id)!)).toBe(
      'Ấp Mỹ Hòa: 86/100 hộ đạt Gia đình học tập — 86 %, chỉ tiêu 85 %',
    );
    expect(texts.get(groupOf.get(w.hamlets[1]!.id)!)).toBe(
      'Ấp Mỹ Lợi: 30/50 hộ đạt Gia đình học tập — 60 %, chỉ tiêu 85 %',
    );
    expect(texts.get(groupOf.get(w.communeId)!)).toBe(
      'Xã Mỹ An: 116/150 hộ đạt Gia đình học tập — 77,3 %, chỉ tiêu 85 %',
    );
  });

  it('fallback: no Mini App permission → ZBS template by the OA-scoped user id', async () => {
    const u = w.hamlets[1]!.users[0]!;
    fake.setMiniAppUser(u.zaloId, { allowedNotifications: false, lastOpenedAt: clock.now() });
    await db().update(users).set({ notificationsAllowed: false }).where(eq(users.id, u.userId));
    await recordFollow(db(), u.zaloId, '5550001112223334445', clock.now());
    const k = key('returned');
    await emit(
      db(),
      {
        kind: 'assessment_returned',
        assessmentId: '00000000-0000-4000-8000-0000000000d1',
        campaignId: w.campaignId,
        subjectName: 'Hộ X',
        recipientUserIds: [u.userId],
        indicatorCodes: [],
        comment: null,
      },
      k,
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ dead: 1 }); // miniapp skipped → zbs queued
    expect(fake.record.for('/notification/template')).toHaveLength(0);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const [req] = fake.record.for('/v3.0/oa/message/template');
    expect(req!.body).toMatchObject({
      user_id: '5550001112223334445',
      template_id: 'zbs0returned',
      template_data: { title: 'Hồ sơ cần bổ sung' },
    });
    const rows = (await outboxRows(db())).filter((r) => r.dedupeKey.startsWith(k));
    expect(rows.map((r) => [r.channel, r.status, r.lastError])).toEqual([
      ['miniapp', 'dead', 'Người nhận chưa cho phép thông báo Mini App'],
      ['zbs', 'sent', null],
    ]);
  });
});

describe('failures', () => {
  const groupMessage = async () => {
    const k = key('opened');
    await emit(
      db(),
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      k,
      clock.now(),
    );
    // Only the commune group's row, to keep the arithmetic simple.
    await db().delete(outbox).where(eq(outbox.status, 'pending'));
    const rows = await db()
      .insert(outbox)
      .values({
        dedupeKey: `${k}:gmf:${w.communeId}`,
        kind: 'campaign_opened',
        channel: 'gmf',
        recipient: w.communeId,
        payload: {
          v: 1,
          communeId: w.communeId,
          eventKey: k,
          recipientLabel: 'Nhóm Zalo Xã Mỹ An',
          title: 't',
          text: `Tin thử ${k}`,
          link: null,
          fallback: [],
        },
        nextAttemptAt: clock.now(),
        createdAt: clock.now(),
      })
      .returning();
    return rows[0]!.id;
  };
  const row = async (id: number) => (await db().select().from(outbox).where(eq(outbox.id, id)))[0]!;

  it('retries with capped exponential backoff and full jitter, then succeeds', async () => {
    const id = await groupMessage();
    fake.script.failNext('/v3.0/oa/group/message', { httpStatus: 502, times: 2 });
    await dispatch();
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 502: HTTP 502' });
    expect(r.nextAttemptAt.getTime() - clock.nowMs()).toBeLessThanOrEqual(30_000); // random(0, 30 s)
    clock.advance(30_001);
    await dispatch();
    r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.nextAttemptAt.getTime() - clock.nowMs()).toBeLessThanOrEqual(60_000); // random(0, 60 s)
    clock.advance(60_001);
    await dispatch();
    r = await row(id);
    expect(r).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(r.providerMessageId).toBe(delivered().at(-1)!.messageId);
    expect(fake.record.for('/v3.0/oa/group/message')).toHaveLength(3);
  });

  it('dead-letters after the attempt cap, with the reason', async () => {
    const id = await groupMessage();
    fake.script.failNext('/v3.0/oa/group/message', { httpStatus: 500, times: 10 });
    for (let i = 0; i < 4; i++) {
      await dispatch();
      clock.advance(10 * 60_000);
    }
    const r = await row(id);
    expect(r).toMatchObject({ status: 'dead', attempts: 4, lastError: 'Hết 4 lần thử — HTTP 500: HTTP 500' });
    await dispatch();
    expect(fake.record.for('/v3.0/oa/group/message')).toHaveLength(4);
  });

  it('disabled GMF group (-237) → dead at once, group marked disabled, officers alerted', async () => {
    const id = await groupMessage();
    fake.setGroupStatus(groupOf.get(w.communeId)!, 'disabled');
    await dispatch();
    expect(await row(id)).toMatchObject({ status: 'dead', lastError: '-237: group is disabled (GMF asset expired)' });
    const [g] = await db().select().from(zaloGroups).where(eq(zaloGroups.unitId, w.communeId));
    expect(g!.status).toBe('disabled');
    const alerts = await db().select().from(auditEvents).where(eq(auditEvents.action, 'notify.alert'));
    expect(alerts.map((a) => a.entityId)).toContain('zalo:-237');
    const officer = await devLogin(t.app, w.officerId);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/messages/alerts', headers: officer.auth });
    expect(res.json().items[0]).toMatchObject({
      code: 'zalo:-237',
      reason: '-237: group is disabled (GMF asset expired)',
    });
    fake.setGroupStatus(groupOf.get(w.communeId)!, 'enabled');
    await mapGroup(db(), w.communeId, groupOf.get(w.communeId)!);
  });

  it('rate limit (-32) pauses the channel for the batch without burning attempts', async () => {
    const id = await groupMessage();
    fake.script.failNext('/v3.0/oa/group/message', { error: -32, retryAfterSec: 7 });
    await dispatch();
    const r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 0 });
    expect(r.nextAttemptAt.getTime() - clock.nowMs()).toBeGreaterThanOrEqual(7000);
  });

  it('an OA token that expires mid-batch is refreshed once; every message still goes out', async () => {
    const before = fake.record.for('/v4/oa/access_token').length;
    const [tok0] = await db().select().from(zaloTokens);
    fake.revokeOaAccessTokens(); // → -220 on the next use
    const base = delivered().length;
    await emit(
      db(),
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      key('opened'),
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ claimed: 3, sent: 3 });
    expect(delivered().length - base).toBe(3);
    expect(fake.record.for('/v4/oa/access_token').length - before).toBe(1);
    const [tok1] = await db().select().from(zaloTokens);
    expect(tok1!.refreshToken).not.toBe(tok0!.refreshToken); // the rotated pair was persisted
  });

  it('quiet hours: a Mini App notification at 23:00 waits until 06:00', async () => {
    clock.set(vn('2026-10-21T23:00'));
    const u = w.hamlets[0]!.users[4]!;
    const k = key('returned');
    await emit(
      db(),
      {
        kind: 'assessment_returned',
        assessmentId: '00000000-0000-4000-8000-0000000000e1',
        campaignId: w.campaignId,
        subjectName: 'Hộ Y',
        recipientUserIds: [u.userId],
        indicatorCodes: [],
        comment: null,
      },
      k,
      clock.now(),
    );
    expect(await dispatch()).toMatchObject({ deferred: 1 });
    const [r] = (await outboxRows(db())).filter((x) => x.dedupeKey.startsWith(k));
    expect(r).toMatchObject({ status: 'pending', attempts: 0 });
    expect(r!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(vn('2026-10-22T06:00').getTime());
    expect(r!.nextAttemptAt.getTime()).toBeLessThan(vn('2026-10-22T06:10').getTime());
    expect(fake.record.for('/notification/template')).toHaveLength(0);
    clock.set(vn('2026-10-22T06:30'));
    expect(await dispatch()).toMatchObject({ sent: 1 });
  });

  it('one Mini App notification per user per day: the second waits for tomorrow', async () => {
    clock.set(vn('2026-10-23T08:00'));
    const u = w.hamlets[0]!.users[5]!;
    const mk = (s: string) =>
      emit(
        db(),
        {
          kind: 'assessment_verified',
          assessmentId: '00000000-0000-4000-8000-0000000000f1',
          campaignId: w.campaignId,
          subjectName: 'Hộ Z',
          recipientUserIds: [u.userId],
        },
        key(s),
        clock.now(),
      );
    await mk('v1');
    await mk('v2');
    expect(await dispatch()).toMatchObject({ sent: 1, deferred: 1 });
    expect(fake.record.for('/notification/template')).toHaveLength(1);
  });
});
