import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '@hoctap/server/db/connect.ts';
import { loadConfig } from '@hoctap/server/config.ts';
import { createNotifications } from '@hoctap/server/notify/index.ts';
import { zaloTokens } from '@hoctap/server/db/schema/index.ts';
import type { OutboxRow } from '@hoctap/server/notify/channels.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import type { FakeClock } from '../../fakes/zalo/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { testEngine } from '../../helpers/engine.ts';
import { buildWorld, emit, mapGroup, outboxRows, seedOaToken, vn, type World } from '../../helpers/notify-fixtures.ts';
import { APP, startFake, zaloEnv } from './zalo-env.ts';

const silent = { error: () => {}, warn: () => {}, info: () => {} };
let fake: FakeZalo;
let clock: FakeClock;
let tdb: TestDatabase;
let w: World;
const extra: Database[] = [];

beforeAll(async () => {
  ({ fake, clock } = await startFake(vn('2026-10-20T09:00')));
  tdb = await createTestDatabase();
  const db = tdb.database.db;
  w = await buildWorld(db, {
    now: clock.now(),
    selfDueAt: vn('2026-10-30T23:59'),
    hamlets: Array.from({ length: 9 }, (_, i) => ({ name: `Ấp ${i + 1}`, households: 3 })),
  });
  for (const unitId of [w.communeId, ...w.hamlets.map((h) => h.id)])
    await mapGroup(db, unitId, fake.addGroup().groupId);
  await seedOaToken(db, APP.oaId, fake.issueOaTokens(), clock.now());
});
afterAll(async () => {
  for (const d of extra) await d.close();
  await tdb?.close();
  await fake?.close();
});

const config = () => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...zaloEnv(fake) });
const notifier = (database: Database, beforeMark?: (row: OutboxRow) => Promise<void>) =>
  createNotifications({ config: config(), database, clock, log: silent, ...(beforeMark ? { beforeMark } : {}) });

async function openEvents(count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    await emit(
      tdb.database.db,
      {
        kind: 'campaign_opened',
        campaignId: w.campaignId,
        communeId: w.communeId,
        year: 2026,
        selfAssessmentDueAt: vn('2026-10-30T23:59').toISOString(),
      },
      `${prefix}:${i}`,
      clock.now(),
    );
  }
}

describe.skipIf(testEngine() !== 'pg')('several dispatchers on PostgreSQL', () => {
  it('two pools dispatching at once never send a message twice', async () => {
    const start = fake.delivered.length;
    await openEvents(6, 'par'); // 6 events × 10 groups = 60 rows
    const a = notifier(tdb.database);
    const second = await connect({ kind: 'pg', url: tdb.url!, poolMax: 4 });
    extra.push(second);
    const b = notifier(second);
    const drain = async (n: ReturnType<typeof notifier>) => {
      let total = 0;
      for (;;) {
        const s = await n.dispatchOnce({ now: clock.now(), limit: 4 });
        total += s.sent;
        if (s.claimed === 0) return total;
      }
    };
    const [sa, sb] = await Promise.all([drain(a), drain(b)]);
    expect(sa + sb).toBe(60);
    expect(sa).toBeGreaterThan(0);
    expect(sb).toBeGreaterThan(0); // both really took part
    const got = fake.delivered.slice(start);
    expect(got).toHaveLength(60);
    const keys = new Set(got.map((d) => `${d.recipient}|${d.messageId}`));
    expect(keys.size).toBe(60);
    // Each (group, event) pair exactly once: ids in the outbox match the fake's record one to one.
    const rows = (await outboxRows(tdb.database.db)).filter((r) => r.dedupeKey.startsWith('par:'));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(rows.map((r) => r.providerMessageId)).size).toBe(60);
    expect(new Set(got.map((d) => d.messageId))).toEqual(new Set(rows.map((r) => r.providerMessageId)));
  });
});

describe.skipIf(testEngine() !== 'pg')('OA token refresh across processes', () => {
  it('two instances with an expired token refresh once (advisory lock) and both use the new pair', async () => {
    const db = tdb.database.db;
    await db.delete(zaloTokens);
    await seedOaToken(db, APP.oaId, fake.issueOaTokens({ accessTtlSec: 60 }), clock.now());
    clock.advance(2 * 60_000); // expired
    const second = await connect({ kind: 'pg', url: tdb.url!, poolMax: 4 });
    extra.push(second);
    const before = fake.record.for('/v4/oa/access_token').length;
    const [ta, tb] = await Promise.all([
      notifier(tdb.database).tokens!.getAccessToken(),
      notifier(second).tokens!.getAccessToken(),
    ]);
    expect(fake.record.for('/v4/oa/access_token').length - before).toBe(1);
    expect(ta).toBe(tb);
    const [row] = await db.select().from(zaloTokens);
    expect(row!.accessToken).toBe(ta);
  });
});

describe('crash between send and mark', () => {
  it('causes at most one duplicate and never a loss', async () => {
    clock.set(vn('2026-10-21T09:00'));
    const start = fake.delivered.length;
    await openEvents(1, 'crash'); // 10 rows
    let crashed = false;
    const dying = notifier(tdb.database, async () => {
      crashed = true;
      throw new Error('simulated crash after Zalo accepted the message');
    });
    await expect(dying.dispatchOnce({ now: clock.now(), limit: 50 })).rejects.toThrow(/simulated crash/);
    expect(crashed).toBe(true);
    expect(fake.delivered.length - start).toBe(1); // the crashed process had sent one message
    const healthy = notifier(tdb.database);
    // The lease still holds: nothing is taken over yet.
    expect((await healthy.dispatchOnce({ now: clock.now(), limit: 50 })).claimed).toBe(0);
    clock.advance(61_000); // lease (60 s) expired
    const s = await healthy.dispatchOnce({ now: clock.now(), limit: 50 });
    expect(s.sent).toBe(10);
    const rows = (await outboxRows(tdb.database.db)).filter((r) => r.dedupeKey.startsWith('crash:'));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const perGroup = new Map<string, number>();
    for (const d of fake.delivered.slice(start)) perGroup.set(d.recipient, (perGroup.get(d.recipient) ?? 0) + 1);
    expect(perGroup.size).toBe(10); // no loss
    expect([...perGroup.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]); // exactly one duplicate
  });
});
