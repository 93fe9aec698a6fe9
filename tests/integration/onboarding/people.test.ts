import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, users } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { seedDemoCampaign } from '@hoctap/server/db/seed/demo-campaign.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs } from '../registry/helpers.ts';
import { newUser, onboardingWorld } from './helpers.ts';

const clock = manualClock('2026-03-02T02:00:00Z');
let t: TestApp;
let w: Awaited<ReturnType<typeof onboardingWorld>>;
const db = () => t.db.database.db;
const hh0 = DEMO.householdId(0); // Tổ 1 ấp Mỹ Hòa, whose leader is DEMO.users.leaders[0]

beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  w = await onboardingWorld(t.app, db(), clock);
  await seedDemoCampaign(t.app.services, clock);
});
afterAll(async () => t?.close());

async function addPerson(body: Record<string, unknown>) {
  const res = await w.officer.post('/persons', { isWorker: false, ...body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; version: number };
}

describe('person ↔ user linking', () => {
  it('an invite code links a citizen; GET /me carries personId and the citizen self-assesses Công dân học tập', async () => {
    const p = await addPerson({ householdId: hh0, fullName: 'Trần Thị Thu', birthYear: 1990, cdhtGroup: 'nong-dan' });
    const inv = await w.officer.post(`/persons/${p.id}/invites`);
    expect(inv.statusCode).toBe(201);
    expect(inv.json()).toMatchObject({ personId: p.id, householdId: hh0 });
    expect(inv.json().qrPayload).toBe(`hoctap://invite/${inv.json().code}`);

    const u = await newUser(t.app, db(), 'Thu trên Zalo');
    const claim = await u.c.post(`/invites/${inv.json().code}/claim`);
    expect(claim.statusCode).toBe(200);
    expect(claim.json()).toMatchObject({ personId: p.id, personName: 'Trần Thị Thu', householdId: hh0 });
    const me = (await u.c.get('/me')).json();
    expect(me).toMatchObject({ personId: p.id, householdId: hh0 });

    const campaignId = (await u.c.get('/campaigns')).json().items[0].id;
    const id = randomUUID();
    const a = await u.c.post('/assessments', { id, campaignId, subjectType: 'citizen', subjectId: p.id });
    expect(a.statusCode).toBe(201);
    expect((await u.c.get(`/assessments/${id}`)).statusCode).toBe(200);
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'invite.claim'), eq(auditEvents.entityId, p.id)));
    expect(audit).toMatchObject({ entityType: 'person', actorId: u.id });

    // A second account cannot take the same person; the first cannot take another person.
    const inv2 = (await w.officer.post(`/persons/${p.id}/invites`)).json();
    const other = await newUser(t.app, db(), 'Người khác');
    expect((await other.c.post(`/invites/${inv2.code}/claim`)).json().code).toBe('PERSON_ALREADY_LINKED');
    const q = await addPerson({ householdId: hh0, fullName: 'Trần Văn Quý', birthYear: 1988 });
    const inv3 = (await w.officer.post(`/persons/${q.id}/invites`)).json();
    expect((await u.c.post(`/invites/${inv3.code}/claim`)).json().code).toBe('ACCOUNT_HAS_PERSON');
    // The refused claim did not use the code up.
    expect((await other.c.post(`/invites/${inv3.code}/claim`)).statusCode).toBe(200);
  });

  it('unit staff without a household link by code; householdId stays null', async () => {
    const p = await addPerson({ unitId: DEMO.units[0].id, fullName: 'Cô giáo Lan' });
    const inv = (await w.officer.post(`/persons/${p.id}/invites`)).json();
    expect(inv.householdId).toBeNull();
    const u = await newUser(t.app, db(), 'Lan');
    expect((await u.c.post(`/invites/${inv.code}/claim`)).json()).toMatchObject({ personId: p.id, householdId: null });
    expect((await u.c.get('/me')).json()).toMatchObject({ personId: p.id, householdId: null });
  });

  it('a verified phone in any format matches the registry phone (commune allows phone match)', async () => {
    const p = await addPerson({ householdId: hh0, fullName: 'Lý Văn Phone', phone: '+84 98 765 4321' });
    const u = await newUser(t.app, db(), 'Phone', '84987654321');
    const res = await u.c.post('/me/link-person-by-phone');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ personId: p.id, householdId: hh0 });
    expect((await u.c.get('/me')).json().personId).toBe(p.id);
    // Two persons with one phone: ambiguous, use an invite.
    await addPerson({ householdId: hh0, fullName: 'Lý Thị A', phone: '0977.000.111' });
    await addPerson({ householdId: hh0, fullName: 'Lý Thị B', phone: '0977 000 111' });
    const amb = await newUser(t.app, db(), 'Amb', '+84977000111');
    expect((await amb.c.post('/me/link-person-by-phone')).json().code).toBe('PHONE_AMBIGUOUS');
    const none = await newUser(t.app, db(), 'None', '0900000000');
    expect((await none.c.post('/me/link-person-by-phone')).json().code).toBe('PHONE_NO_MATCH');
    const noPhone = await newUser(t.app, db(), 'NoPhone');
    expect((await noPhone.c.post('/me/link-person-by-phone')).json().code).toBe('PHONE_REQUIRED');
  });

  it('who may issue a person invite: officer, the tổ leader, the unit head; others 403/404', async () => {
    const p = await addPerson({ householdId: hh0, fullName: 'Người Được Mời' });
    expect((await w.leader.post(`/persons/${p.id}/invites`)).statusCode).toBe(201);
    expect((await w.officerY.post(`/persons/${p.id}/invites`)).statusCode).toBe(404);
    const otherLeader = await loginAs(t.app, DEMO.users.leaders[5]!);
    expect((await otherLeader.post(`/persons/${p.id}/invites`)).statusCode).toBe(404);
    const viewer = await w.viewer.post(`/persons/${p.id}/invites`);
    expect([viewer.statusCode, viewer.json().code]).toEqual([403, 'INVITE_NOT_ALLOWED']);
    const own = await loginAs(t.app, DEMO.users.leaderWithOwnHousehold.userId);
    expect((await own.post(`/persons/${p.id}/invites`)).statusCode).toBe(201); // also the tổ's leader
    const unitHead = await loginAs(t.app, DEMO.users.unitHeads[0]!);
    const staff = await addPerson({ unitId: DEMO.units[0].id, fullName: 'Thầy Hùng' });
    expect((await unitHead.post(`/persons/${staff.id}/invites`)).statusCode).toBe(201);
    expect((await unitHead.post(`/persons/${p.id}/invites`)).statusCode).toBe(404);
  });
});

describe('PATCH clans, units and persons (versions, audit, scope)', () => {
  it('clans: officer edits with a version; a stale version is 409; others 403/404; membership list by clanId', async () => {
    const clan = DEMO.clans[0]!.id;
    const cur = (await w.officer.get(`/clans/${clan}`)).json();
    const ok = await w.officer.patch(`/clans/${clan}`, { headName: 'Nguyễn Văn Trưởng', version: cur.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ headName: 'Nguyễn Văn Trưởng', version: cur.version + 1 });
    const stale = await w.officer.patch(`/clans/${clan}`, { headName: 'Ai đó', version: cur.version });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'VERSION_CONFLICT']);
    expect((await w.officer.patch(`/clans/${clan}`, { name: DEMO.clans[1]!.name })).json().code).toBe('CLAN_EXISTS');
    expect((await w.officer.patch(`/clans/${clan}`, { bogus: 1 })).statusCode).toBe(400);
    expect((await w.officer.patch(`/clans/${clan}`, {})).statusCode).toBe(400);
    expect((await w.officerY.patch(`/clans/${clan}`, { headName: 'X' })).statusCode).toBe(404);
    expect((await w.viewer.patch(`/clans/${clan}`, { headName: 'X' })).json().code).toBe('CLAN_WRITE_NOT_ALLOWED');
    expect((await w.household.patch(`/clans/${clan}`, { headName: 'X' })).statusCode).toBe(404);
    const head = await loginAs(t.app, DEMO.users.clanHeads[0]!);
    expect((await head.patch(`/clans/${clan}`, { headName: 'X' })).statusCode).toBe(403);

    const members = await w.officer.get(`/households?clanId=${clan}&limit=200`);
    expect(members.statusCode).toBe(200);
    expect(members.json().items.length).toBe(ok.json().householdCount);
    expect(members.json().items.every((h: { clanId: string }) => h.clanId === clan)).toBe(true);
    expect((await w.officerY.get(`/households?clanId=${clan}`)).statusCode).toBe(404);
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'clan.update'), eq(auditEvents.entityId, clan)));
    expect(audit!.data).toMatchObject({ changed: ['headName'] });
  });

  it('units: officer edits; the unit head and the province viewer cannot; commune Y gets 404', async () => {
    const unit = DEMO.units[1].id;
    const res = await w.officer.patch(`/units/${unit}`, { staffCount: 42, type: 'school', version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ staffCount: 42, version: 2 });
    expect((await w.officer.patch(`/units/${unit}`, { staffCount: 1, version: 1 })).json().code).toBe(
      'VERSION_CONFLICT',
    );
    const head = await loginAs(t.app, DEMO.users.unitHeads[1]!);
    expect((await head.patch(`/units/${unit}`, { staffCount: 1 })).json().code).toBe('ORG_UNIT_WRITE_NOT_ALLOWED');
    expect((await w.viewer.patch(`/units/${unit}`, { staffCount: 1 })).statusCode).toBe(403);
    expect((await w.officerY.patch(`/units/${unit}`, { staffCount: 1 })).statusCode).toBe(404);
    expect((await w.household.patch(`/units/${unit}`, { staffCount: 1 })).statusCode).toBe(404);
  });

  it('persons: unit membership by the officer; the household edits details of its own members only', async () => {
    const hhUser = DEMO.users.households[0]!;
    const p = await addPerson({ householdId: hhUser.householdId, fullName: 'Con Út', birthYear: 2010 });
    const member = await w.officer.patch(`/persons/${p.id}`, { unitId: DEMO.units[0].id, isWorker: true });
    expect(member.statusCode).toBe(200);
    expect(member.json()).toMatchObject({ unitId: DEMO.units[0].id, householdId: hhUser.householdId, version: 2 });
    const staff = (await w.officer.get(`/persons?unitId=${DEMO.units[0].id}&limit=200`)).json();
    expect(staff.items.map((s: { id: string }) => s.id)).toContain(p.id);

    const fix = await w.household.patch(`/persons/${p.id}`, { fullName: 'Nguyễn Con Út', version: 2 });
    expect(fix.statusCode).toBe(200);
    expect(fix.json().fullName).toBe('Nguyễn Con Út');
    expect((await w.household.patch(`/persons/${p.id}`, { unitId: null })).json().code).toBe('PERSON_NOT_ALLOWED');
    expect((await w.officer.patch(`/persons/${p.id}`, { householdId: null, unitId: null })).json().code).toBe(
      'HOUSEHOLD_REQUIRED_FOR_PERSON',
    );
    expect((await w.officer.patch(`/persons/${p.id}`, { householdId: w.other.householdId })).statusCode).toBe(404);
    expect((await w.officer.patch(`/persons/${p.id}`, { phone: 'không có' })).json().code).toBe('PHONE_INVALID');
    expect((await w.officer.patch(`/persons/${p.id}`, { fullName: 'X', version: 1 })).json().code).toBe(
      'VERSION_CONFLICT',
    );
    expect((await w.viewer.patch(`/persons/${p.id}`, { fullName: 'X' })).statusCode).toBe(403);
    expect((await w.officerY.patch(`/persons/${p.id}`, { fullName: 'X' })).statusCode).toBe(404);
    const otherHousehold = await loginAs(t.app, DEMO.users.households[1]!.userId);
    expect((await otherHousehold.patch(`/persons/${p.id}`, { fullName: 'X' })).statusCode).toBe(404);
    // Phones of persons are masked for readers who are not officers.
    const q = await addPerson({ householdId: hh0, fullName: 'Người Có Số' });
    await w.officer.patch(`/persons/${q.id}`, { phone: '0912 000 333' });
    expect((await w.leader.get(`/persons/${q.id}`)).json().phone).toBe('091…333');
    expect((await w.officer.get(`/persons/${q.id}`)).json().phone).toBe('0912000333');
    const [u] = await db().select().from(users).where(eq(users.id, hhUser.userId));
    expect(u!.personId).toBeNull(); // editing persons never links anyone
  });
});
