import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { connect, type Database } from '@hoctap/server/db/connect.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import type { FakeClock } from '../../fakes/zalo/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { testEngine } from '../../helpers/engine.ts';
import { buildWorld, mapGroup, outboxRows, seedOaToken, vn, type World } from '../../helpers/notify-fixtures.ts';
import { APP, startFake, zaloEnv } from '../notify/zalo-env.ts';

/*
 * A province runs several API processes on one PostgreSQL database. Two complete app instances
 * (each its own pool, its own reminder job and its own outbox dispatcher) share one database
 * here; every side effect that must happen once — a reminder enqueued, a Zalo message sent —
 * happens once, whichever instance gets there first.
 */
describe.skipIf(testEngine() !== 'pg')('two API instances on one PostgreSQL database', () => {
  let fake: FakeZalo;
  let clock: FakeClock;
  let tdb: TestDatabase;
  let second: Database;
  let w: World;
  const apps: App[] = [];

  beforeAll(async () => {
    // Three days before the self-assessment deadline, in the daytime: the 3-day reminder is due.
    ({ fake, clock } = await startFake(vn('2026-10-27T09:00')));
    tdb = await createTestDatabase();
    const db = tdb.database.db;
    w = await buildWorld(db, {
      now: clock.now(),
      selfDueAt: vn('2026-10-30T23:59'),
      hamlets: Array.from({ length: 4 }, (_, i) => ({ name: `Ấp ${i + 1}`, households: 5, users: 2 })),
    });
    for (const unitId of [w.communeId, ...w.hamlets.map((h) => h.id)])
      await mapGroup(db, unitId, fake.addGroup().groupId);
    await seedOaToken(db, APP.oaId, fake.issueOaTokens(), clock.now());
    second = await connect({ kind: 'pg', url: tdb.url!, poolMax: 4 });
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...zaloEnv(fake) });
    for (const database of [tdb.database, second]) {
      const app = await buildApp(config, { database, clock, logger: false });
      await app.ready();
      apps.push(app);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await second?.close();
    await tdb?.close();
    await fake?.close();
  });

  it('enqueues the deadline reminders once when both instances run the job at the same moment', async () => {
    const [a, b] = apps as [App, App];
    await Promise.all([a.services.notify.runReminders(clock.now()), b.services.notify.runReminders(clock.now())]);
    const rows = (await outboxRows(tdb.database.db)).filter((r) => r.kind === 'deadline_reminder');
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(rows.length);
    // Running again on either instance adds nothing.
    await Promise.all([a.services.notify.runReminders(clock.now()), b.services.notify.runReminders(clock.now())]);
    const again = (await outboxRows(tdb.database.db)).filter((r) => r.kind === 'deadline_reminder');
    expect(again.map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it('delivers every queued message exactly once with both dispatchers draining together', async () => {
    const [a, b] = apps as [App, App];
    const start = fake.delivered.length;
    clock.advance(3 * 60 * 60_000); // past the reminders' staggered send times
    const drain = async (app: App) => {
      let sent = 0;
      for (let round = 0; round < 100; round++) {
        const s = await app.services.notify.dispatchOnce({ now: clock.now(), limit: 3 });
        sent += s.sent;
        if (s.claimed === 0) break;
      }
      return sent;
    };
    const [sa, sb] = await Promise.all([drain(a), drain(b)]);
    const rows = (await outboxRows(tdb.database.db)).filter((r) => r.kind === 'deadline_reminder');
    const groupRows = rows.filter((r) => r.channel === 'gmf');
    expect(groupRows.length).toBeGreaterThan(0);
    expect(groupRows.every((r) => r.status === 'sent')).toBe(true);
    const delivered = fake.delivered.slice(start);
    // One delivery per sent row, never two for the same row.
    const sentIds = rows.filter((r) => r.status === 'sent').map((r) => r.providerMessageId);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(delivered.length).toBe(sa + sb);
    expect(new Set(delivered.map((d) => `${d.recipient}|${d.messageId}`)).size).toBe(delivered.length);
  });
});
