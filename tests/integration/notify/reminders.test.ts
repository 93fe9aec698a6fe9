import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hoctap/server/config.ts';
import { buildApp } from '@hoctap/server';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { buildWorld, outboxRows, setCount, vn, type World } from '../../helpers/notify-fixtures.ts';

// Demo mode: the reminder texts are checked in the outbox; delivery is covered elsewhere.
const clock = manualClock(vn('2026-10-24T09:00')); // < 7 days before 30/10 23:59 → the 7-day reminder
let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  w = await buildWorld(t.db.database.db, {
    now: clock.now(),
    selfDueAt: vn('2026-10-30T23:59'),
    verifyDueAt: vn('2026-11-06T23:59'),
    hamlets: [
      { name: 'Mỹ Hòa', households: 100, submitted: 88, users: 3 },
      { name: 'Mỹ Lợi', households: 20, submitted: 20, users: 0 },
    ],
  });
});
afterAll(async () => t.close());

const rows = async () =>
  (await outboxRows(t.db.database.db)).filter(
    (r) => r.kind === 'deadline_reminder' || r.kind === 'leader_queue_reminder',
  );
const texts = (rs: Awaited<ReturnType<typeof rows>>) => rs.map((r) => (r.payload as { text: string }).text);

describe('deadline reminders', () => {
  it('7 days before: hamlet groups get the count of households missing, non-submitters a personal note', async () => {
    expect(await t.app.services.notify.runReminders(clock.now())).toEqual({
      sent: [`reminder:${w.campaignId}:self_assessment:7d`],
    });
    const rs = await rows();
    const groups = rs.filter((r) => r.channel === 'gmf');
    expect(texts(groups)).toEqual([
      'Ấp Mỹ Hòa còn 12 hộ chưa nộp, hạn 30/10.',
      'Ấp Mỹ Lợi: tất cả các hộ đã nộp tự đánh giá, hạn 30/10. Cảm ơn bà con!',
    ]);
    // Staggered per hamlet (2 minutes apart), not all at once.
    expect(groups[1]!.nextAttemptAt.getTime() - groups[0]!.nextAttemptAt.getTime()).toBe(2 * 60_000);
    const personal = rs.filter((r) => r.channel === 'miniapp');
    expect(personal.map((r) => r.recipient).sort()).toEqual(w.hamlets[0]!.users.map((u) => u.userId).sort());
    expect(texts(personal)[0]).toBe(
      'Gia đình mình chưa nộp bản tự đánh giá danh hiệu Gia đình học tập. Hạn nộp 30/10, còn 7 ngày.',
    );
  });

  it('a rerun and a restarted server send nothing twice', async () => {
    const before = (await rows()).length;
    expect((await t.app.services.notify.runReminders(clock.now())).sent).toEqual([]);
    // "Restart": a second app on the same database.
    const app2 = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/hoctap-test' }), {
      database: t.db.database,
      clock,
      logger: false,
    });
    try {
      clock.advance(60 * 60_000);
      expect((await app2.services.notify.runReminders(clock.now())).sent).toEqual([]);
    } finally {
      await app2.close();
    }
    expect((await rows()).length).toBe(before);
  });

  it('3 days before: only the 3-day reminder; a run the next day adds nothing', async () => {
    clock.set(vn('2026-10-28T08:00'));
    expect((await t.app.services.notify.runReminders(clock.now())).sent).toEqual([
      `reminder:${w.campaignId}:self_assessment:3d`,
    ]);
    clock.set(vn('2026-10-29T08:00'));
    expect((await t.app.services.notify.runReminders(clock.now())).sent).toEqual([]);
  });

  it('a reminder due at night is scheduled for 07:00', async () => {
    clock.set(vn('2026-10-30T01:00')); // 1 day before
    const [k] = (await t.app.services.notify.runReminders(clock.now())).sent;
    expect(k).toBe(`reminder:${w.campaignId}:self_assessment:1d`);
    const mine = (await rows()).filter((r) => r.dedupeKey.startsWith(k!));
    expect(Math.min(...mine.map((r) => r.nextAttemptAt.getTime()))).toBe(vn('2026-10-30T07:00').getTime());
  });

  it('before the verification due date leaders get their own queue and hamlet groups the count waiting', async () => {
    await setCount(t.db.database.db, w.campaignId, w.hamlets[0]!.id, 'submitted', 88);
    clock.set(vn('2026-11-04T10:00'));
    const [k] = (await t.app.services.notify.runReminders(clock.now())).sent;
    expect(k).toBe(`reminder:${w.campaignId}:verification:3d`);
    const mine = (await rows()).filter((r) => r.dedupeKey.startsWith(k!));
    expect(texts(mine.filter((r) => r.channel === 'gmf'))).toEqual([
      'Ấp Mỹ Hòa còn 88 hồ sơ chờ tổ xác minh, hạn 06/11.',
      'Ấp Mỹ Lợi còn 20 hồ sơ chờ tổ xác minh, hạn 06/11.',
    ]);
    const leaders = mine.filter((r) => r.kind === 'leader_queue_reminder');
    expect(leaders.map((r) => r.recipient).sort()).toEqual(w.hamlets.flatMap((h) => [h.leaderId, h.headId]).sort());
    expect(texts(leaders)).toContain('Tổ 1 còn 88 hồ sơ chờ anh/chị xác minh. Hạn 06/11, còn 3 ngày.');
    expect(texts(leaders)).toContain('Ấp Mỹ Hòa còn 88 hồ sơ chờ anh/chị xác minh. Hạn 06/11, còn 3 ngày.');
  });
});
