import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { auditEvents, roleAssignments, users } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { createFirstAdmin } from '@hoctap/server/ops/first-admin.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs } from '../registry/helpers.ts';
import { newUser, onboardingWorld } from './helpers.ts';

/**
 * What the officer console needs beyond the onboarding API (issue 17): the account picker
 * (GET /users) and its scope, the console page served at /console, and the first-admin command
 * that starts a commune from an empty database.
 */

const clock = manualClock('2026-03-02T02:00:00Z');
const www = mkdtempSync(join(tmpdir(), 'hoctap-console-www-'));
writeFileSync(join(www, 'index.html'), '<!doctype html><title>Học tập suốt đời</title>');
let t: TestApp;
let w: Awaited<ReturnType<typeof onboardingWorld>>;
const db = () => t.db.database.db;

beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0', MINI_APP_DIR: www }, { clock });
  w = await onboardingWorld(t.app, db(), clock);
});
afterAll(async () => {
  await t?.close();
  rmSync(www, { recursive: true, force: true });
});

describe('GET /users (whom an officer may appoint)', () => {
  it('an officer sees the accounts tied to their commune: households, persons, role holders; phones masked', async () => {
    const res = await w.officer.get(`/users?communeId=${DEMO.communeId}&limit=200`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; phone: string | null; householdLabel: string | null }[];
    const ids = items.map((u) => u.id);
    expect(ids).toContain(DEMO.users.households[0]!.userId);
    expect(ids).toContain(DEMO.users.leaders[3]!);
    expect(ids).toContain(DEMO.users.citizen.userId);
    const hh = items.find((u) => u.id === DEMO.users.households[0]!.userId)!;
    expect(hh.householdLabel).toMatch(/^Hộ .+ · Tổ \d · /);
    for (const u of items) if (u.phone) expect(u.phone).toMatch(/^\d{3}…\d{3}$/);
    // Commune Y's officer is not tied to commune X.
    expect(ids).not.toContain(w.other.officer);
  });

  it('searches by name without accents, and by phone', async () => {
    const leaderName = (await db().select().from(users).where(eq(users.id, DEMO.users.leaders[2]!)))[0]!.displayName;
    const folded = leaderName
      .split(' — ')[0]!
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/gi, 'd')
      .toLowerCase();
    const byName = (await w.officer.get(`/users?q=${encodeURIComponent(folded)}`)).json().items as { id: string }[];
    expect(byName.map((u) => u.id)).toContain(DEMO.users.leaders[2]!);
    const u = await newUser(t.app, db(), 'Người có số', '0912345678');
    expect((await w.admin.get('/users?q=%2B84%20912%20345')).json().items.map((x: { id: string }) => x.id)).toContain(
      u.id,
    );
  });

  it('scope: another commune answers 404 like a missing one; households, leaders and province viewers 403', async () => {
    const other = await w.officerY.get(`/users?communeId=${DEMO.communeId}`);
    const missing = await w.officerY.get('/users?communeId=00000000-0000-4000-8000-000000000000');
    expect(other.statusCode).toBe(404);
    expect({ ...other.json(), reqId: '' }).toEqual({ ...missing.json(), reqId: '' });
    for (const who of [w.household, w.leader, w.viewer]) expect((await who.get('/users')).statusCode).toBe(403);
    // An admin finds an account tied to nothing yet (a commune officer who signed in once).
    const fresh = await newUser(t.app, db(), 'Cán bộ mới đăng nhập');
    expect((await w.admin.get('/users?q=can bo moi')).json().items.map((x: { id: string }) => x.id)).toContain(
      fresh.id,
    );
    expect((await w.officer.get('/users?q=can bo moi')).json().items).toEqual([]);
  });
});

describe('the console page', () => {
  it('is the mini app build, served at /console and revalidated on every start', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/console' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('Học tập suốt đời');
  });
});

describe('first-admin command (npm run admin:create)', () => {
  it('creates the province, the commune, the account and the officer role once; a rerun changes nothing', async () => {
    const input = {
      name: 'Lê Văn Tâm',
      provinceName: 'Tỉnh Thử Nghiệm',
      provinceCode: '99',
      communeName: 'Xã Tân Mới',
      communeCode: '99001',
    };
    const first = await createFirstAdmin(db(), clock, input);
    expect(first).toMatchObject({
      role: 'officer',
      unitName: 'Xã Tân Mới',
      devLogin: true,
      created: { province: true, commune: true, user: true, role: true },
    });
    const again = await createFirstAdmin(db(), clock, input);
    expect(again).toMatchObject({
      userId: first.userId,
      unitId: first.unitId,
      created: { province: false, commune: false, user: false, role: false },
    });
    const grants = await db()
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, first.userId), isNull(roleAssignments.revokedAt)));
    expect(grants).toHaveLength(1);
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.actorId, first.userId));
    expect(audit.map((a) => a.action).sort()).toEqual(['admin_unit.create', 'admin_unit.create', 'role.grant']);

    // The new officer signs in with the development login and works in their commune only.
    const officer = await loginAs(t.app, first.userId);
    const me = (await officer.get('/me')).json();
    expect(me.roles).toEqual([expect.objectContaining({ role: 'officer', unitId: first.unitId })]);
    expect((await officer.get(`/admin-units/${first.unitId}`)).statusCode).toBe(200);
    expect((await officer.get(`/admin-units/${DEMO.communeId}`)).statusCode).toBe(404);
    const hamlet = await officer.post('/admin-units', { level: 'hamlet', parentId: first.unitId, name: 'Ấp Một' });
    expect(hamlet.statusCode).toBe(201);
  });

  it('without a commune it makes an admin of the province; --user-id promotes an existing account', async () => {
    const u = await newUser(t.app, db(), 'Quản trị tỉnh');
    const r = await createFirstAdmin(db(), clock, { name: 'x', provinceName: 'Tỉnh Thử Nghiệm', userId: u.id });
    expect(r).toMatchObject({ role: 'admin', userId: u.id, created: { province: false, user: false, role: true } });
    expect((await u.c.get('/users?q=le van tam')).json().items).toHaveLength(1);
  });
});
