import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs, seedSecondCommune } from './helpers.ts';

let t: TestApp;
let other: Awaited<ReturnType<typeof seedSecondCommune>>;
const clock = manualClock('2025-10-20T02:00:00Z');

beforeAll(async () => {
  // Seeding on PGlite blocks the event loop for a while; under-pressure must not answer 503 here.
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  await seedDemo(t.db.database.db, clock);
  other = await seedSecondCommune(t.db.database.db);
});
afterAll(async () => t?.close());

const hhA = DEMO.users.households[0]!; // household user A
const hhB = DEMO.users.households[1]!; // household user B (another tổ)

describe('households: object-level authorisation (404 outside scope)', () => {
  it('household A reads itself, but neither reads nor changes household B', async () => {
    const a = await loginAs(t.app, hhA.userId);
    const own = await a.get(`/households/${hhA.householdId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().id).toBe(hhA.householdId);
    expect(own.json().externalKey).toBeUndefined();

    const read = await a.get(`/households/${hhB.householdId}`);
    expect(read.statusCode).toBe(404);
    const write = await a.patch(`/households/${hhB.householdId}`, { address: 'đổi trái phép' });
    expect(write.statusCode).toBe(404);
    // A random id answers exactly like an existing one outside scope.
    const random = await a.get(`/households/00000000-0000-4000-8000-000000000000`);
    expect(random.statusCode).toBe(404);
    expect(random.json().message).toBe(read.json().message);

    // Reading is all a household may do to its own record.
    expect((await a.patch(`/households/${hhA.householdId}`, { memberCount: 9 })).statusCode).toBe(403);
    const list = await a.get('/households');
    expect(list.json().items.map((h: { id: string }) => h.id)).toEqual([hhA.householdId]);
  });

  it('a tổ leader sees only their tổ and cannot reach another tổ', async () => {
    const leader = await loginAs(t.app, DEMO.users.leaders[0]!);
    const g0 = DEMO.groups[0]!;
    const g1 = DEMO.groups[1]!;
    const all: { groupId: string; phone: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await leader.get(`/households?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      all.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(all.length).toBe(34); // 400 households over 12 tổ: the first 4 tổ get 34
    expect(new Set(all.map((h) => h.groupId))).toEqual(new Set([g0.id]));
    // Leaders see phones masked (except on their own household).
    expect(
      all
        .filter((h) => h.phone && (h as { id?: string }).id !== DEMO.users.leaderWithOwnHousehold.householdId)
        .every((h) => /^\d{3}…\d{3}$/.test(h.phone!)),
    ).toBe(true);

    // Asking for the whole ấp still yields only their tổ; another tổ → 404.
    const hamlet = await leader.get(`/households?unitId=${g0.hamletId}&limit=200`);
    expect(hamlet.json().items.every((h: { groupId: string }) => h.groupId === g0.id)).toBe(true);
    expect((await leader.get(`/households?unitId=${g1.id}`)).statusCode).toBe(404);
    expect((await leader.get(`/households/${DEMO.householdId(1)}`)).statusCode).toBe(404);
    expect((await leader.get(`/households/${DEMO.householdId(12)}`)).statusCode).toBe(200);
    // Leaders do not edit the registry.
    expect((await leader.patch(`/households/${DEMO.householdId(12)}`, { memberCount: 4 })).statusCode).toBe(403);
  });

  it('an officer cannot reach another commune', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    expect((await officer.get(`/households/${other.householdId}`)).statusCode).toBe(404);
    expect((await officer.patch(`/households/${other.householdId}`, { address: 'x' })).statusCode).toBe(404);
    expect((await officer.get(`/households?unitId=${other.communeId}`)).statusCode).toBe(404);
    expect((await officer.get(`/admin-units/${other.communeId}`)).statusCode).toBe(404);
    expect((await officer.post('/households', { groupId: other.groupId, headName: 'Hộ lạ' })).statusCode).toBe(404);
    const list = await officer.get('/households?limit=200');
    expect(list.json().items.every((h: { communeId: string }) => h.communeId === DEMO.communeId)).toBe(true);

    const otherOfficer = await loginAs(t.app, other.officer);
    expect((await otherOfficer.get(`/households/${DEMO.householdId(5)}`)).statusCode).toBe(404);
    expect((await otherOfficer.get(`/clans/${DEMO.clans[0]!.id}`)).statusCode).toBe(404);
    expect((await otherOfficer.get(`/units/${DEMO.units[0]!.id}`)).statusCode).toBe(404);
    const otherLeader = await loginAs(t.app, other.leader);
    expect((await otherLeader.get(`/households/${DEMO.householdId(0)}`)).statusCode).toBe(404);
  });

  it('officers create and edit households of their commune; phones are normalised', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const created = await officer.post('/households', {
      groupId: DEMO.groups[2]!.id,
      headName: 'Phan Thị Ánh'.normalize('NFD'),
      address: '12 đường đê bao',
      memberCount: 3,
      phone: '+84 912 000 999',
    });
    expect(created.statusCode).toBe(201);
    const h = created.json();
    expect(h.headName).toBe('Phan Thị Ánh'.normalize('NFC'));
    expect(h.phone).toBe('0912000999');
    expect(h.hamletName).toBe(DEMO.groups[2]!.hamletName);
    expect(
      (
        await officer.post('/households', {
          groupId: DEMO.groups[2]!.id,
          headName: 'Phan Thị Ánh',
          address: '12 đường đê bao',
        })
      ).statusCode,
    ).toBe(409);
    const patched = await officer.patch(`/households/${h.id}`, { memberCount: 5, groupId: DEMO.groups[3]!.id });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      memberCount: 5,
      groupId: DEMO.groups[3]!.id,
      hamletId: DEMO.groups[3]!.hamletId,
    });
    expect((await officer.patch(`/households/${h.id}`, { phone: 'abc' })).statusCode).toBe(400);
    expect((await officer.patch(`/households/${h.id}`, { communeId: other.communeId })).statusCode).toBe(400); // strict body
  });

  it('searches head names accent-insensitively, for NFC and NFD queries alike', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    for (const q of ['nguyen van an', 'Nguyễn Văn An', 'Nguyễn Văn An'.normalize('NFD'), 'NGUYEN VĂN AN']) {
      const res = await officer.get(`/households?q=${encodeURIComponent(q)}&limit=200`);
      expect(res.statusCode).toBe(200);
      const ids = res.json().items.map((h: { id: string }) => h.id);
      expect(ids).toContain(DEMO.users.leaderWithOwnHousehold.householdId);
    }
    expect((await officer.get(`/households?q=${encodeURIComponent('%')}`)).json().items).toEqual([]);
  });

  it('cursor pagination walks the whole commune once', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await officer.get(
        `/households?unitId=${DEMO.hamlets[1]!.id}&limit=25${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const h of res.json().items) seen.add(h.id);
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor);
    // 400 households over 12 tổ: ấp Mỹ Lợi's tổ hold 34 + 33 + 33, plus the one moved there above.
    expect(seen.size).toBe(101);
    expect(pages).toBe(5);
    expect((await officer.get('/households?cursor=garbage')).statusCode).toBe(400);
    expect((await officer.get('/households?limit=100000')).statusCode).toBe(400);
  });
});

describe('admin units: tree browsing within scope', () => {
  it('a leader sees their chain and their tổ, not sibling ấp or tổ', async () => {
    const plain = await loginAs(t.app, DEMO.users.leaders[1]!);
    expect((await plain.get('/admin-units')).json().items.map((u: { id: string }) => u.id)).toEqual([
      DEMO.groups[1]!.id,
    ]);
    // Tổ 1's leader also lives there, so their view starts at the household's chain.
    const leader = await loginAs(t.app, DEMO.users.leaders[0]!);
    const start = await leader.get('/admin-units');
    expect(start.json().items.map((u: { id: string }) => u.id)).toEqual([
      DEMO.communeId,
      DEMO.hamlets[0]!.id,
      DEMO.groups[0]!.id,
    ]);
    const communeChildren = await leader.get(`/admin-units?parentId=${DEMO.communeId}`);
    expect(communeChildren.json().items.map((u: { id: string }) => u.id)).toEqual([DEMO.hamlets[0]!.id]);
    const hamletChildren = await leader.get(`/admin-units?parentId=${DEMO.hamlets[0]!.id}`);
    expect(hamletChildren.json().items.map((u: { id: string }) => u.id)).toEqual([DEMO.groups[0]!.id]);
    expect((await leader.get(`/admin-units/${DEMO.communeId}`)).statusCode).toBe(200);
    expect((await leader.get(`/admin-units/${DEMO.hamlets[1]!.id}`)).statusCode).toBe(404);
    expect((await leader.get(`/admin-units?parentId=${DEMO.hamlets[1]!.id}`)).statusCode).toBe(404);
  });

  it('an officer browses the whole commune; a household sees its own chain', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const hamlets = await officer.get(`/admin-units?parentId=${DEMO.communeId}`);
    expect(hamlets.json().items).toHaveLength(4);
    const groups = await officer.get(`/admin-units?parentId=${DEMO.hamlets[2]!.id}`);
    expect(groups.json().items.map((u: { name: string }) => u.name)).toEqual(['Tổ 1', 'Tổ 2', 'Tổ 3']);
    const province = await officer.get(`/admin-units?parentId=${DEMO.provinceId}`);
    expect(province.json().items.map((u: { id: string }) => u.id)).toEqual([DEMO.communeId]);

    const household = await loginAs(t.app, hhA.userId);
    const chain = (await household.get('/admin-units')).json().items.map((u: { level: string }) => u.level);
    expect(chain).toEqual(['commune', 'hamlet', 'group']);
    expect((await household.get(`/admin-units?parentId=${DEMO.communeId}`)).json().items).toHaveLength(1);
  });
});

describe('clans, units and persons', () => {
  it('officers list and create; hamlet heads see their ấp; heads see their own', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const clans = await officer.get('/clans');
    expect(clans.json().items).toHaveLength(5);
    expect(clans.json().items.every((c: { householdCount: number }) => c.householdCount > 0)).toBe(true);
    expect((await officer.get('/units')).json().items).toHaveLength(6);
    const newClan = await officer.post('/clans', {
      communeId: DEMO.communeId,
      name: 'Dòng họ Tạ',
      headName: 'Tạ Văn Lộc',
    });
    expect(newClan.statusCode).toBe(201);
    expect((await officer.post('/clans', { communeId: DEMO.communeId, name: 'Dòng họ Tạ' })).statusCode).toBe(409);
    expect((await officer.post('/clans', { communeId: other.communeId, name: 'Dòng họ Lạ' })).statusCode).toBe(404);
    expect(
      (
        await officer.post('/units', {
          communeId: DEMO.communeId,
          name: 'Trường Tiểu học Mỹ An',
          type: 'school',
          staffCount: 20,
        })
      ).statusCode,
    ).toBe(201);

    const clanHead = await loginAs(t.app, DEMO.users.clanHeads[0]!);
    const own = await clanHead.get('/clans');
    expect(own.json().items.map((c: { id: string }) => c.id)).toEqual([DEMO.clans[0]!.id]);
    expect((await clanHead.get(`/clans/${DEMO.clans[1]!.id}`)).statusCode).toBe(404);
    const unitHead = await loginAs(t.app, DEMO.users.unitHeads[2]!);
    expect((await unitHead.get(`/units/${DEMO.units[2]!.id}`)).statusCode).toBe(200);
    expect((await unitHead.get(`/units/${DEMO.units[3]!.id}`)).statusCode).toBe(404);
    const staff = await unitHead.get(`/persons?unitId=${DEMO.units[2]!.id}`);
    expect(staff.json().items.length).toBeGreaterThanOrEqual(3);
  });

  it('household members: the household reads its own, not others; the citizen reads themself', async () => {
    const a = await loginAs(t.app, hhA.userId);
    const members = await a.get(`/persons?householdId=${hhA.householdId}`);
    expect(members.statusCode).toBe(200);
    expect(members.json().items.length).toBeGreaterThanOrEqual(1);
    expect((await a.get(`/persons?householdId=${hhB.householdId}`)).statusCode).toBe(404);
    const someoneElse = (
      await (await loginAs(t.app, DEMO.users.officer)).get(`/persons?householdId=${hhB.householdId}`)
    ).json().items[0];
    expect((await a.get(`/persons/${someoneElse.id}`)).statusCode).toBe(404);
    const citizen = await loginAs(t.app, DEMO.users.citizen.userId);
    expect((await citizen.get(`/persons/${DEMO.users.citizen.personId}`)).statusCode).toBe(200);
  });
});

describe('assisted mode (X-Act-For-Household)', () => {
  it('a tổ leader adds a member for a household of their tổ; audited with both identities', async () => {
    const leader = await loginAs(t.app, DEMO.users.leaders[0]!);
    const target = DEMO.householdId(12); // Tổ 1 ấp Mỹ Hòa
    const body = { householdId: target, fullName: 'Nguyễn Thị Bé', birthYear: 2016, relation: 'cháu', inSchool: true };
    // Without asking for assisted mode a leader may not write for the household.
    expect((await leader.post('/persons', body)).statusCode).toBe(403);
    const res = await leader.post('/persons', body, { 'x-act-for-household': target });
    expect(res.statusCode).toBe(201);
    const [audit] = await t.db.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'person'), eq(auditEvents.entityId, res.json().id)));
    expect(audit).toMatchObject({ actorId: DEMO.users.leaders[0], onBehalfOf: target, action: 'person.create' });

    // Another tổ's household: 404, as if it did not exist.
    const elsewhere = DEMO.householdId(1);
    expect(
      (await leader.post('/persons', { ...body, householdId: elsewhere }, { 'x-act-for-household': elsewhere }))
        .statusCode,
    ).toBe(404);
    // A household cannot use assisted mode for a neighbour.
    const a = await loginAs(t.app, hhA.userId);
    expect(
      (await a.post('/persons', { ...body, householdId: target }, { 'x-act-for-household': target })).statusCode,
    ).toBe(404);
    // A household adds its own members without any header.
    expect(
      (await a.post('/persons', { householdId: hhA.householdId, fullName: 'Con út', birthYear: 2019 })).statusCode,
    ).toBe(201);
  });
});

describe('role assignments', () => {
  it('officers appoint and revoke leaders in their commune only; admins appoint officers', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const list = await officer.get('/role-assignments');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBe(1 + 4 + 12);

    const newcomer = hhB.userId; // a household user becomes leader of Tổ 2 ấp Mỹ Hòa
    expect(
      (await officer.post('/role-assignments', { userId: newcomer, role: 'leader', unitId: other.groupId })).statusCode,
    ).toBe(404);
    expect(
      (await officer.post('/role-assignments', { userId: newcomer, role: 'officer', unitId: DEMO.communeId }))
        .statusCode,
    ).toBe(403);
    expect(
      (await officer.post('/role-assignments', { userId: newcomer, role: 'hamlet_head', unitId: DEMO.groups[1]!.id }))
        .statusCode,
    ).toBe(400);

    const leaderOfOther = await loginAs(t.app, other.leader);
    expect(
      (await leaderOfOther.post('/role-assignments', { userId: newcomer, role: 'leader', unitId: other.groupId }))
        .statusCode,
    ).toBe(404);

    const admin = await loginAs(t.app, DEMO.users.admin);
    const appointed = await admin.post('/role-assignments', {
      userId: other.householdUser,
      role: 'officer',
      unitId: other.communeId,
    });
    expect(appointed.statusCode).toBe(201);
    expect(appointed.json()).toMatchObject({ role: 'officer', unitLevel: 'commune' });
  });

  it('a role change takes effect on the holder’s next request, with the same token', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const user = await loginAs(t.app, hhB.userId); // token minted before the appointment
    const group = DEMO.groups[1]!;
    expect((await user.get(`/households?unitId=${group.id}`)).statusCode).toBe(404);

    const granted = await officer.post('/role-assignments', { userId: hhB.userId, role: 'leader', unitId: group.id });
    expect(granted.statusCode).toBe(201);
    expect(
      (await officer.post('/role-assignments', { userId: hhB.userId, role: 'leader', unitId: group.id })).statusCode,
    ).toBe(409);
    const asLeader = await user.get(`/households?unitId=${group.id}&limit=200`);
    expect(asLeader.statusCode).toBe(200);
    expect(asLeader.json().items.length).toBe(34);
    const me = await user.get('/me');
    expect(me.json().roles.map((r: { role: string }) => r.role)).toEqual(['leader']);

    expect((await officer.del(`/role-assignments/${granted.json().id}`)).statusCode).toBe(204);
    expect((await officer.del(`/role-assignments/${granted.json().id}`)).statusCode).toBe(404);
    expect((await user.get(`/households?unitId=${group.id}`)).statusCode).toBe(404);
    expect((await user.get(`/households/${DEMO.householdId(13)}`)).statusCode).toBe(404);
    // Still a household user: their own household stays readable.
    expect((await user.get(`/households/${hhB.householdId}`)).statusCode).toBe(200);
  });
});
