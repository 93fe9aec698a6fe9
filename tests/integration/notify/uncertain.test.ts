import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '@hoctap/server/db/schema/index.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import type { FakeClock } from '../../fakes/zalo/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import { buildWorld, emit, mapGroup, outboxRows, seedOaToken, vn, type World } from '../../helpers/notify-fixtures.ts';
import { APP, startFake, zaloEnv } from './zalo-env.ts';

/*
 * Issue 13 item 4: a slow Zalo must not make group messages arrive several times. The fake holds
 * each scripted request until the client has given up (its timeout), then executes it — Zalo
 * answering after the client's timeout, whatever the machine's speed.
 */

const UNCERTAIN_DELAY_MS = 6 * 3_600_000;
let fake: FakeZalo;
let clock: FakeClock;
let t: TestApp;
let w: World;
const groupOf = new Map<string, string>();

beforeAll(async () => {
  ({ fake, clock } = await startFake(vn('2026-10-20T09:00')));
  t = await createTestApp(zaloEnv(fake, { NOTIFY_UNCERTAIN_DELAY_MS: String(UNCERTAIN_DELAY_MS) }), { clock });
  w = await buildWorld(db(), {
    now: clock.now(),
    selfDueAt: vn('2026-10-30T23:59'),
    hamlets: [{ name: 'Mỹ Hòa', households: 4, users: 2 }],
  });
  for (const unitId of [w.communeId, w.hamlets[0]!.id]) {
    const g = fake.addGroup({ name: `Nhóm ${unitId.slice(0, 4)}` });
    groupOf.set(unitId, g.groupId);
    await mapGroup(db(), unitId, g.groupId);
  }
  for (const u of w.hamlets[0]!.users)
    fake.setMiniAppUser(u.zaloId, { allowedNotifications: true, lastOpenedAt: clock.now() });
  await seedOaToken(db(), APP.oaId, fake.issueOaTokens(), clock.now());
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

function db() {
  return t.db.database.db;
}
const dispatch = () => t.app.services.notify.dispatchOnce({ now: clock.now(), limit: 50 });
const groupDeliveries = (unitId: string) =>
  fake.delivered.filter((d) => d.channel === 'gmf' && d.recipient === groupOf.get(unitId));

describe('a send whose outcome is unknown', () => {
  it('group messages: recorded uncertain, reconciled after the delay, and delivered exactly once', async () => {
    const [hamlet] = w.hamlets;
    await emit(
      db(),
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      'uncertain:opened',
      clock.now(),
    );
    // Both sends: Zalo answers only after the client has timed out.
    fake.script.failNext('/v3.0/oa/group/message', { afterClientGivesUp: true, times: 2 });
    expect(await dispatch()).toMatchObject({ claimed: 2, sent: 0, uncertain: 2, retried: 0 });
    await fake.idle();
    // The commune's message was executed late; the hamlet's is lost on Zalo's side (as if the
    // connection broke before Zalo acted on it).
    fake.state.delivered = fake.state.delivered.filter((d) => d.recipient !== groupOf.get(hamlet!.id));
    // On a very loaded machine a request can time out before it even reaches Zalo: then it is
    // not found and is sent once more. Either way each group gets it exactly once.
    const communeArrived = groupDeliveries(w.communeId).length === 1;

    const rows = (await outboxRows(db())).filter((r) => r.channel === 'gmf');
    expect(rows.map((r) => r.status)).toEqual(['reconcile', 'reconcile']);
    for (const r of rows) expect(r.nextAttemptAt.getTime()).toBe(clock.nowMs() + UNCERTAIN_DELAY_MS);

    // Retrying in the meantime sends nothing.
    clock.advance(UNCERTAIN_DELAY_MS - 60_000);
    expect(await dispatch()).toMatchObject({ claimed: 0 });

    // The officers see it in the message log, with when it will be looked at again.
    const { accessToken } = await devLogin(t.app, w.officerId);
    const log = await t.app.inject({
      method: 'GET',
      url: '/api/v1/messages?status=uncertain',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().items).toHaveLength(2);
    for (const item of log.json().items) {
      expect(item.status).toBe('uncertain');
      expect(item.nextAttemptAt).not.toBeNull();
      expect(item.lastError).toContain('Chưa rõ Zalo đã nhận tin chưa');
    }

    clock.advance(60_000);
    expect(await dispatch()).toMatchObject({
      claimed: 2,
      reconciled: communeArrived ? 1 : 0,
      sent: communeArrived ? 1 : 2,
    });
    expect(groupDeliveries(w.communeId)).toHaveLength(1);
    expect(groupDeliveries(hamlet!.id)).toHaveLength(1);
    const done = (await outboxRows(db())).filter((r) => r.channel === 'gmf');
    expect(done.map((r) => [r.recipient, r.status, (r.payload as { reconciled?: string }).reconciled]).sort()).toEqual(
      [
        [w.communeId, 'sent', communeArrived ? 'found' : 'resent'],
        [hamlet!.id, 'sent', 'resent'],
      ].sort(),
    );
    // The found one carries Zalo's id of the message that did arrive.
    const found = done.find((r) => r.recipient === w.communeId)!;
    expect(found.providerMessageId).toBe(groupDeliveries(w.communeId)[0]!.messageId);

    clock.advance(UNCERTAIN_DELAY_MS * 2);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
  });

  it('a resend whose outcome is unknown again is not sent a third time', async () => {
    await db().delete(outbox);
    fake.state.delivered = [];
    fake.record.clear();
    await emit(
      db(),
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      'uncertain:opened-2',
      clock.now(),
    );
    await db().delete(outbox).where(eq(outbox.recipient, w.hamlets[0]!.id));
    fake.script.failNext('/v3.0/oa/group/message', { afterClientGivesUp: true, times: 2 });
    expect(await dispatch()).toMatchObject({ uncertain: 1 });
    await fake.idle();
    fake.state.delivered = []; // not found when reconciling
    clock.advance(UNCERTAIN_DELAY_MS);
    expect(await dispatch()).toMatchObject({ claimed: 1, uncertain: 1 });
    await fake.idle();
    const [row] = (await outboxRows(db())).filter((r) => r.channel === 'gmf');
    expect(row!.status).toBe('uncertain');
    expect(row!.lastError).toContain('không gửi lại');
    clock.advance(UNCERTAIN_DELAY_MS * 4);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(fake.record.for('/v3.0/oa/group/message').filter((r) => r.scripted)).toHaveLength(2);
  });

  it('Mini App notifications Zalo accepted late are not left pending or rescheduled, and count for the day', async () => {
    const [u1] = w.hamlets[0]!.users;
    const returned = (id: string) =>
      emit(
        db(),
        {
          kind: 'assessment_returned',
          assessmentId: id,
          campaignId: w.campaignId,
          subjectName: 'Hộ ông Ba',
          recipientUserIds: [u1!.userId],
          indicatorCodes: [],
          comment: null,
        },
        `uncertain:returned:${id}`,
        clock.now(),
      );
    await returned('00000000-0000-4000-8000-00000000e001');
    const before = fake.record.for('/notification/template').length;
    fake.script.failNext('/notification/template', { afterClientGivesUp: true });
    expect(await dispatch()).toMatchObject({ uncertain: 1, retried: 0, deferred: 0 });
    await fake.idle();
    const [row] = (await outboxRows(db())).filter((r) => r.channel === 'miniapp');
    expect(row!.status).toBe('uncertain');
    clock.advance(24 * 3_600_000);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(fake.record.for('/notification/template').length - before).toBe(1);
  });
});
