import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@hoctap/server/db/types.ts';
import {
  adminUnits,
  clans,
  consents,
  households,
  persons,
  roleAssignments,
  units,
  users,
  type ConsentPurpose,
  type Role,
} from '@hoctap/server/db/schema/index.ts';
import { CONSENT_VERSION, consentTextHash } from '@hoctap/server/modules/identity/consent-texts.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import type { App } from '@hoctap/server';
import { createTestApp, type TestApp } from './app.ts';
import { devLogin } from './users.ts';

/**
 * A small world for workflow tests, inserted straight through drizzle (the registry API and the
 * demo seed are built elsewhere): province → commune → hamlets → tổ, households, users with
 * roles and consents. Every helper returns ids; nothing here goes through the HTTP API.
 */

export const T0 = '2026-10-01T02:00:00Z';
export const MILESTONES = {
  registrationOpensAt: '2026-09-01T00:00:00+07:00',
  selfAssessmentDueAt: '2026-10-20T23:59:59+07:00',
  verificationDueAt: '2026-10-31T23:59:59+07:00',
  recognitionDueAt: '2026-11-14T23:59:59+07:00',
  reportDueAt: '2026-11-15T23:59:59+07:00',
};

/** createTestApp with its own blob directory (DATA_DIR) and a manual clock. */
export async function createWorkflowApp(env: Record<string, string> = {}) {
  const clock = manualClock(T0);
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-wf-'));
  const t = await createTestApp({ DATA_DIR: dataDir, ...env }, { clock });
  return { t, clock, dataDir, db: t.db.database.db };
}

export async function unit(
  db: Db,
  level: 'province' | 'commune' | 'hamlet' | 'group',
  name: string,
  parent?: { id: string; path: string },
) {
  const id = randomUUID();
  const path = `${parent?.path ?? '/'}${id}/`;
  const kind = { province: 'tỉnh', commune: 'xã', hamlet: 'ấp', group: 'tổ nhân dân tự quản' }[level];
  await db.insert(adminUnits).values({ id, level, kind, name, parentId: parent?.id ?? null, path });
  return { id, path };
}

export async function household(
  db: Db,
  at: { communeId: string; hamletId: string; groupId: string },
  headName: string,
  clanId: string | null = null,
) {
  const id = randomUUID();
  await db.insert(households).values({ id, ...at, headName, externalKey: `hk-${id}`, clanId });
  return id;
}

export async function user(
  db: Db,
  displayName: string,
  opts: {
    householdId?: string;
    personId?: string;
    roles?: { role: Role; unitId: string }[];
    consents?: ConsentPurpose[];
  } = {},
) {
  const id = randomUUID();
  await db.insert(users).values({
    id,
    displayName,
    devLogin: true,
    householdId: opts.householdId ?? null,
    personId: opts.personId ?? null,
  });
  for (const r of opts.roles ?? [])
    await db.insert(roleAssignments).values({ id: randomUUID(), userId: id, role: r.role, unitId: r.unitId });
  const purposes = opts.consents ?? ['evaluation', 'photos'];
  if (purposes.length) {
    await db.insert(consents).values(
      purposes.map((purpose) => ({
        id: randomUUID(),
        userId: id,
        purpose,
        action: 'grant' as const,
        textVersion: CONSENT_VERSION,
        textHash: consentTextHash(purpose, 'household'),
        at: new Date('2026-09-01T00:00:00Z'),
      })),
    );
  }
  return id;
}

export async function clan(
  db: Db,
  communeId: string,
  hamletId: string | null,
  name: string,
  headUserId: string | null,
) {
  const id = randomUUID();
  await db.insert(clans).values({ id, communeId, hamletId, name, headName: name, headUserId });
  return id;
}

export async function orgUnit(
  db: Db,
  communeId: string,
  hamletId: string | null,
  name: string,
  headUserId: string | null,
) {
  const id = randomUUID();
  await db
    .insert(units)
    .values({ id, communeId, hamletId, name, type: 'school', headName: 'Hiệu trưởng', headUserId, staffCount: 2 });
  return id;
}

export async function person(
  db: Db,
  communeId: string,
  fullName: string,
  opts: { householdId?: string; unitId?: string; cdhtGroup?: string } = {},
) {
  const id = randomUUID();
  await db.insert(persons).values({
    id,
    communeId,
    fullName,
    householdId: opts.householdId ?? null,
    unitId: opts.unitId ?? null,
    cdhtGroup: opts.cdhtGroup ?? null,
  });
  return id;
}

/** The standard world: one commune with two hamlets, tổ A and B in hamlet 1, tổ C in hamlet 2; a second commune. */
export async function buildWorld(db: Db) {
  const province = await unit(db, 'province', 'Đồng Tháp');
  const commune = await unit(db, 'commune', 'Xã Mỹ Hòa', province);
  const hamlet1 = await unit(db, 'hamlet', 'Mỹ Phú', commune);
  const hamlet2 = await unit(db, 'hamlet', 'Mỹ Lợi', commune);
  const groupA = await unit(db, 'group', 'Tổ 1', hamlet1);
  const groupB = await unit(db, 'group', 'Tổ 2', hamlet1);
  const groupC = await unit(db, 'group', 'Tổ 3', hamlet2);
  const otherCommune = await unit(db, 'commune', 'Xã Tân Kiều', province);
  const otherHamlet = await unit(db, 'hamlet', 'Tân Hòa', otherCommune);
  const otherGroup = await unit(db, 'group', 'Tổ 9', otherHamlet);
  const at = (h: { id: string }, g: { id: string }) => ({ communeId: commune.id, hamletId: h.id, groupId: g.id });

  const hhA1 = await household(db, at(hamlet1, groupA), 'Nguyễn Văn An');
  const hhA2 = await household(db, at(hamlet1, groupA), 'Trần Thị Bình');
  const hhLeaderA = await household(db, at(hamlet1, groupA), 'Lê Văn Cường');
  const hhB1 = await household(db, at(hamlet1, groupB), 'Phạm Thị Dung');
  const hhC1 = await household(db, at(hamlet2, groupC), 'Võ Văn Em');
  const hhOther = await household(
    db,
    { communeId: otherCommune.id, hamletId: otherHamlet.id, groupId: otherGroup.id },
    'Đỗ Thị Giang',
  );

  const u = {
    hhA1: await user(db, 'Nguyễn Văn An', { householdId: hhA1 }),
    hhA2: await user(db, 'Trần Thị Bình', { householdId: hhA2 }),
    hhB1: await user(db, 'Phạm Thị Dung', { householdId: hhB1 }),
    hhC1: await user(db, 'Võ Văn Em', { householdId: hhC1 }),
    hhOther: await user(db, 'Đỗ Thị Giang', { householdId: hhOther }),
    noConsent: await user(db, 'Chưa đồng ý', { householdId: hhA2, consents: [] }),
    leaderA: await user(db, 'Lê Văn Cường (tổ trưởng tổ 1)', {
      householdId: hhLeaderA,
      roles: [{ role: 'leader', unitId: groupA.id }],
    }),
    leaderA2: await user(db, 'Tổ phó tổ 1', { roles: [{ role: 'leader', unitId: groupA.id }] }),
    leaderB: await user(db, 'Tổ trưởng tổ 2', { roles: [{ role: 'leader', unitId: groupB.id }] }),
    hamletHead1: await user(db, 'Trưởng ấp Mỹ Phú', { roles: [{ role: 'hamlet_head', unitId: hamlet1.id }] }),
    officer: await user(db, 'Cán bộ xã Mỹ Hòa', { roles: [{ role: 'officer', unitId: commune.id }] }),
    otherOfficer: await user(db, 'Cán bộ xã Tân Kiều', { roles: [{ role: 'officer', unitId: otherCommune.id }] }),
    viewer: await user(db, 'Cán bộ tỉnh', { roles: [{ role: 'province_viewer', unitId: province.id }] }),
  };
  return {
    province,
    commune,
    hamlet1,
    hamlet2,
    groupA,
    groupB,
    groupC,
    otherCommune,
    otherHamlet,
    otherGroup,
    hh: { hhA1, hhA2, hhLeaderA, hhB1, hhC1, hhOther },
    u,
    at,
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

export interface Reply {
  status: number;
  // Test assertions read arbitrary JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}
type Headers = Record<string, string>;
export interface Client {
  auth: { authorization: string };
  get(url: string, headers?: Headers): Promise<Reply>;
  post(url: string, payload?: unknown, headers?: Headers): Promise<Reply>;
  put(url: string, payload?: unknown, headers?: Headers): Promise<Reply>;
  patch(url: string, payload?: unknown, headers?: Headers): Promise<Reply>;
  del(url: string, headers?: Headers): Promise<Reply>;
}

/** A tiny HTTP client per user: JSON in, status + body out. */
export async function clientFor(app: App, userId: string): Promise<Client> {
  const s = await devLogin(app, userId);
  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Headers = {},
  ): Promise<Reply> => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...s.auth, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    let body: Reply['body'] = null;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  return {
    auth: s.auth,
    get: (url, headers) => call('GET', url, undefined, headers),
    post: (url, payload, headers) => call('POST', url, payload ?? {}, headers),
    put: (url, payload, headers) => call('PUT', url, payload, headers),
    patch: (url, payload, headers) => call('PATCH', url, payload, headers),
    del: (url, headers) => call('DELETE', url, undefined, headers),
  };
}

export async function openCampaign(officer: Client, communeId: string, extra: Record<string, unknown> = {}) {
  const res = await officer.post('/campaigns', {
    communeId,
    year: 2026,
    title: 'Đánh giá năm 2026',
    ...MILESTONES,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** All GĐHT indicators at full points (10 each → 100). */
export const GDHT_CODES = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2'];

export async function fillAll(
  c: Client,
  id: string,
  codes: string[],
  points: number | ((code: string) => number),
  headers?: Headers,
) {
  for (const code of codes) {
    const p = typeof points === 'function' ? points(code) : points;
    const r = await c.put(`/assessments/${id}/answers/${code}`, { points: p }, headers);
    if (r.status !== 200) throw new Error(`answer ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

export type { TestApp };

/** Logs several users in at once; a tuple in, a tuple of clients out. */
export async function clientsFor<const T extends readonly string[]>(
  app: App,
  ids: T,
): Promise<{ -readonly [K in keyof T]: Client }> {
  return (await Promise.all(ids.map((id) => clientFor(app, id)))) as { -readonly [K in keyof T]: Client };
}
