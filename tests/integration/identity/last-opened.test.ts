import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { users } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin, insertDevUser } from '../../helpers/users.ts';

// Opening the app (GET /me) records users.last_opened_at, which Zalo's 7-day notification window
// relies on: at most once a day per user, written after the answer, many users in one statement.
let t: TestApp;
const clock = manualClock('2026-11-20T01:00:00.000Z');
beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(async () => t?.close());

const openedAt = async (ids: string[]) => {
  const rows = await t.db.database.db
    .select({ id: users.id, at: users.lastOpenedAt })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.at?.toISOString() ?? null]));
};

describe('last_opened_at', () => {
  it('is written for every user who opened the app, once a day, whatever the concurrency', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => insertDevUser(t.db.database.db)));
    const tokens = await Promise.all(ids.map(async (id) => (await devLogin(t.app, id)).accessToken));
    const me = (token: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

    // Twelve users at once: every one is recorded.
    expect((await Promise.all(tokens.map(me))).map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    await t.app.services.me.openedWritten();
    const first = await openedAt(ids);
    expect([...first.values()]).toEqual(ids.map(() => '2026-11-20T01:00:00.000Z'));

    // Later the same day: nothing is written again.
    clock.advance(3 * 3_600_000);
    await Promise.all(tokens.map(me));
    await t.app.services.me.openedWritten();
    expect(await openedAt(ids)).toEqual(first);

    // The next day, the ones who open the app move on; the others keep yesterday.
    clock.advance(24 * 3_600_000);
    await Promise.all(tokens.slice(0, 5).map(me));
    await t.app.services.me.openedWritten();
    const next = await openedAt(ids);
    for (const [i, id] of ids.entries())
      expect(next.get(id), `user ${i}`).toBe(i < 5 ? '2026-11-21T04:00:00.000Z' : '2026-11-20T01:00:00.000Z');
  });
});
