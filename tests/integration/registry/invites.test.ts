import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { adminUnits, auditEvents, invites, users } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { INVITE_ALPHABET, hashInviteCode } from '@hoctap/server/modules/registry/invites.service.ts';
import { insertDevUser } from '../../helpers/users.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs, seedSecondCommune } from './helpers.ts';

let t: TestApp;
let other: Awaited<ReturnType<typeof seedSecondCommune>>;
const clock = manualClock('2025-10-20T02:00:00Z');
const target = DEMO.householdId(24); // Tổ 1 ấp Mỹ Hòa (24 % 12 === 0), nobody linked yet

beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  await seedDemo(t.db.database.db, clock);
  other = await seedSecondCommune(t.db.database.db);
});
afterAll(async () => t?.close());

const db = () => t.db.database.db;

describe('invites', () => {
  it('the tổ leader issues a one-time code; a new Zalo user claims it; reuse fails', async () => {
    const leader = await loginAs(t.app, DEMO.users.leaders[0]!);
    const res = await leader.post(`/households/${target}/invites`);
    expect(res.statusCode).toBe(201);
    const inv = res.json();
    expect(inv.code).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{8}$`));
    expect(inv.qrPayload).toBe(`hoctap://invite/${inv.code}`);
    expect(new Date(inv.expiresAt).getTime() - clock.now().getTime()).toBe(14 * 86_400_000);
    // Stored hashed only.
    const [row] = await db().select().from(invites).where(eq(invites.id, inv.id));
    expect(row!.codeHash).toBe(hashInviteCode(inv.code));
    expect(JSON.stringify(row)).not.toContain(inv.code);

    const newcomer = await insertDevUser(db(), { displayName: 'Người dùng Zalo mới' });
    const user = await loginAs(t.app, newcomer);
    // Lower case and a dash are tolerated when typing the code.
    const claim = await user.post(`/invites/${inv.code.slice(0, 4).toLowerCase()}-${inv.code.slice(4)}/claim`);
    expect(claim.statusCode).toBe(200);
    expect(claim.json()).toMatchObject({ householdId: target, hamletName: 'Mỹ Hòa', groupName: 'Tổ 1' });
    const [u] = await db().select().from(users).where(eq(users.id, newcomer));
    expect(u!.householdId).toBe(target);
    expect((await user.get(`/households/${target}`)).statusCode).toBe(200);

    const someoneElse = await loginAs(t.app, await insertDevUser(db()));
    const reuse = await someoneElse.post(`/invites/${inv.code}/claim`);
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().message).toMatch(/đã được sử dụng/);
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.entityId, target));
    expect(audit.map((a) => a.action).sort()).toEqual(['invite.claim', 'invite.issue']);
    expect(JSON.stringify(audit)).not.toContain(inv.code);
  });

  it('expires after 14 days', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const inv = (await officer.post(`/households/${DEMO.householdId(30)}/invites`)).json();
    clock.advance(14 * 86_400_000 + 1000);
    try {
      const user = await loginAs(t.app, await insertDevUser(db()));
      const res = await user.post(`/invites/${inv.code}/claim`);
      expect(res.statusCode).toBe(410);
      expect(res.json().message).toMatch(/hết hạn/);
    } finally {
      clock.set('2025-10-20T02:00:00Z');
    }
  });

  it('unknown codes get a clear 404; only the tổ leader or an officer may issue', async () => {
    const user = await loginAs(t.app, await insertDevUser(db()));
    const unknown = await user.post('/invites/ABCDEFGH/claim');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/Mã mời không đúng/);
    expect((await user.post('/invites/0OIL1/claim')).statusCode).toBe(404);

    const wrongLeader = await loginAs(t.app, DEMO.users.leaders[1]!); // Tổ 2 ấp Mỹ Hòa
    expect((await wrongLeader.post(`/households/${target}/invites`)).statusCode).toBe(404);
    const hamletHead = await loginAs(t.app, DEMO.users.hamletHeads[0]!);
    expect((await hamletHead.post(`/households/${target}/invites`)).statusCode).toBe(403);
    const household = await loginAs(t.app, DEMO.users.households[0]!.userId);
    expect((await household.post(`/households/${DEMO.users.households[0]!.householdId}/invites`)).statusCode).toBe(403);
    const otherOfficer = await loginAs(t.app, other.officer);
    expect((await otherOfficer.post(`/households/${target}/invites`)).statusCode).toBe(404);
  });

  it('a user already linked to another household cannot claim, and the code stays usable', async () => {
    const leader = await loginAs(t.app, DEMO.users.leaders[0]!);
    const inv = (await leader.post(`/households/${DEMO.householdId(36)}/invites`)).json();
    const linked = await loginAs(t.app, DEMO.users.households[0]!.userId);
    expect((await linked.post(`/invites/${inv.code}/claim`)).statusCode).toBe(409);
    const fresh = await loginAs(t.app, await insertDevUser(db()));
    expect((await fresh.post(`/invites/${inv.code}/claim`)).statusCode).toBe(200);
  });

  it('claiming is rate-limited per user (10 a minute)', async () => {
    const user = await loginAs(t.app, await insertDevUser(db()));
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await user.post('/invites/ZZZZZZZZ/claim')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 404)).toBe(true);
    expect(codes[10]).toBe(429);
    // Another user behind the same IP is not affected.
    const neighbour = await loginAs(t.app, await insertDevUser(db()));
    expect((await neighbour.post('/invites/ZZZZZZZZ/claim')).statusCode).toBe(404);
  });
});

describe('linking by phone', () => {
  it('links when the commune allows it and exactly one household has the verified phone', async () => {
    const hh = await loginAs(t.app, DEMO.users.officer);
    const target = (await hh.get(`/households/${DEMO.householdId(50)}`)).json();
    expect(target.phone).toBeTruthy();
    const userId = await insertDevUser(db(), { phone: `+84${target.phone.slice(1)}` });
    const user = await loginAs(t.app, userId);
    const res = await user.post('/me/link-by-phone');
    expect(res.statusCode).toBe(200);
    expect(res.json().householdId).toBe(DEMO.householdId(50));
  });

  it('ambiguous matches → 409 asking for an invite code; no phone → 400; commune setting off → 404', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const shared = '0901234567';
    for (const i of [60, 61])
      expect((await officer.patch(`/households/${DEMO.householdId(i)}`, { phone: shared })).statusCode).toBe(200);
    const user = await loginAs(t.app, await insertDevUser(db(), { phone: shared }));
    const res = await user.post('/me/link-by-phone');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/mã mời/);

    const noPhone = await loginAs(t.app, await insertDevUser(db()));
    expect((await noPhone.post('/me/link-by-phone')).statusCode).toBe(400);

    // The second commune has phoneMatch: false.
    const otherUser = await loginAs(t.app, await insertDevUser(db(), { phone: '0987000111' }));
    expect((await otherUser.post('/me/link-by-phone')).statusCode).toBe(404);
    await db()
      .update(adminUnits)
      .set({ settings: { phoneMatch: true } })
      .where(eq(adminUnits.id, other.communeId));
    expect((await otherUser.post('/me/link-by-phone')).statusCode).toBe(200);
  });
});
