import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, isNotNull, sql } from 'drizzle-orm';
import {
  adminUnits,
  clans,
  consents,
  households,
  persons,
  roleAssignments,
  units,
  users,
} from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs } from './helpers.ts';

let t: TestApp;
const clock = manualClock('2025-10-20T02:00:00Z');
beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
});
afterAll(async () => t?.close());

const count = async (
  table:
    | typeof households
    | typeof clans
    | typeof units
    | typeof persons
    | typeof users
    | typeof roleAssignments
    | typeof consents,
) => {
  const [r] = await t.db.database.db.select({ n: sql<number>`count(*)::int`.mapWith(Number) }).from(table);
  return r!.n;
};

describe('demo seed', () => {
  it('produces the advertised commune, and is idempotent', async () => {
    const db = t.db.database.db;
    const first = await seedDemo(db, clock);
    expect(first.seeded).toBe(true);
    const levels = await db
      .select({ level: adminUnits.level, n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(adminUnits)
      .groupBy(adminUnits.level);
    expect(Object.fromEntries(levels.map((l) => [l.level, l.n]))).toEqual({
      province: 1,
      commune: 1,
      hamlet: 4,
      group: 12,
    });
    expect(await count(households)).toBe(DEMO.counts.households);
    expect(await count(clans)).toBe(5);
    expect(await count(units)).toBe(6);
    const people = await count(persons);
    expect(people).toBeGreaterThan(800);
    // 1 admin + 1 officer + 4 hamlet heads + 12 leaders + 5 households + 5 clan heads + 6 unit heads + 1 citizen
    expect(await count(users)).toBe(35);
    expect(await count(roleAssignments)).toBe(18);
    expect(await count(consents)).toBe(15);

    // Member counts agree with the persons rows; children carry school status; clans span ấp.
    const [mismatch] = await db
      .execute<{
        n: number;
      }>(
        sql`select count(*)::int as n from households h where h.member_count <> (select count(*) from persons p where p.household_id = h.id)`,
      )
      .then((r) => (r as unknown as { rows: { n: number }[] }).rows);
    expect(Number(mismatch!.n)).toBe(0);
    const kids = await db
      .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(persons)
      .where(isNotNull(persons.inSchool));
    expect(kids[0]!.n).toBeGreaterThan(100);
    for (const c of DEMO.clans) {
      const hamlets = await db
        .selectDistinct({ h: households.hamletId })
        .from(households)
        .where(eq(households.clanId, c.id));
      expect(hamlets.length).toBeGreaterThan(1);
    }
    // The leader of Tổ 1 ấp Mỹ Hòa heads a household in that tổ.
    const { userId, householdId, groupId } = DEMO.users.leaderWithOwnHousehold;
    const [leader] = await db.select().from(users).where(eq(users.id, userId));
    const [own] = await db.select().from(households).where(eq(households.id, householdId));
    expect(leader!.householdId).toBe(householdId);
    expect(own!.groupId).toBe(groupId);
    expect(leader!.displayName).toBe('Nguyễn Văn An — Tổ trưởng Tổ 1 ấp Mỹ Hòa');

    const again = await seedDemo(db, clock);
    expect(again.seeded).toBe(false);
    expect(await count(households)).toBe(400);
    expect(await count(persons)).toBe(people);
  });

  it('every seeded user can dev-login and sees what their role advertises', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const me = (await officer.get('/me')).json();
    expect(me.roles).toEqual([expect.objectContaining({ role: 'officer', unitId: DEMO.communeId })]);
    const hh = await loginAs(t.app, DEMO.users.households[2]!.userId);
    const meHh = (await hh.get('/me')).json();
    expect(meHh.householdId).toBe(DEMO.users.households[2]!.householdId);
    expect(meHh.consents).toEqual({ evaluation: true, photos: true, notifications: true });
    const devUsers = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/dev-users' })).json().items;
    expect(devUsers.length).toBe(35);
  });
});
