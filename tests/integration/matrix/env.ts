import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteOptions } from 'fastify';
import { eq } from 'drizzle-orm';
import { roleAssignments } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import {
  buildWorld,
  clan,
  clientFor,
  fillAll,
  GDHT_CODES,
  MILESTONES,
  openCampaign,
  orgUnit,
  person,
  T0,
  user,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/**
 * One app and one world for the authorization matrix and the fuzz: every route as Fastify
 * registered it (through onRoute), the ten callers, and one real object of each kind, owned by
 * household A in tổ A of commune X (so "in scope" and "out of scope" mean something per role).
 */

export const ROLES = [
  'anonymous',
  'householdA',
  'householdB',
  'leaderA',
  'leaderB',
  'hamletHead',
  'officerX',
  'officerY',
  'provinceViewer',
  'admin',
] as const;
export type RoleName = (typeof ROLES)[number];

export interface RegisteredRoute {
  method: string;
  url: string;
  schema: RouteOptions['schema'];
}

const photo = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/photos/different.jpg'));

export function multipartPhoto(file: Buffer = photo) {
  const boundary = `----hoctap${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="anh.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function createMatrixEnv() {
  const routes: RegisteredRoute[] = [];
  const clock = manualClock(T0);
  const t: TestApp = await createTestApp(
    { DATA_DIR: mkdtempSync(join(tmpdir(), 'hoctap-matrix-')) },
    {
      clock,
      onRoute: (r) => {
        for (const method of [r.method].flat())
          if (method !== 'HEAD') routes.push({ method, url: r.url, schema: r.schema });
      },
    },
  );
  const db = t.db.database.db;
  const w: World = await buildWorld(db);
  const adminId = await user(db, 'Quản trị hệ thống', { roles: [{ role: 'admin', unitId: w.province.id }] });
  const userIds: Record<Exclude<RoleName, 'anonymous'>, string> = {
    householdA: w.u.hhA1,
    householdB: w.u.hhB1,
    leaderA: w.u.leaderA,
    leaderB: w.u.leaderB,
    hamletHead: w.u.hamletHead1,
    officerX: w.u.officer,
    officerY: w.u.otherOfficer,
    provinceViewer: w.u.viewer,
    admin: adminId,
  };
  const tokens: Partial<Record<RoleName, string>> = {};
  for (const [role, id] of Object.entries(userIds)) tokens[role as RoleName] = (await devLogin(t.app, id)).accessToken;

  // Objects of commune X, owned by household A where that means anything.
  const officer = await clientFor(t.app, w.u.officer);
  const hhA = await clientFor(t.app, w.u.hhA1);
  const campaignId = await openCampaign(officer, w.commune.id);
  const lastYear = Object.fromEntries(Object.entries(MILESTONES).map(([k, v]) => [k, v.replace('2026', '2025')]));
  const spareCampaignId = await openCampaign(officer, w.commune.id, { year: 2025, ...lastYear });
  const assessmentId = randomUUID();
  const reg = await hhA.post('/assessments', {
    id: assessmentId,
    campaignId,
    subjectType: 'household',
    subjectId: w.hh.hhA1,
  });
  if (reg.status !== 201) throw new Error(`assessment: ${reg.status} ${JSON.stringify(reg.body)}`);
  await fillAll(hhA, assessmentId, GDHT_CODES, 10);
  const up = multipartPhoto();
  const ev = await t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=1.1`,
    headers: { ...hhA.auth, ...up.headers },
    payload: up.payload,
  });
  if (ev.statusCode !== 201) throw new Error(`evidence: ${ev.statusCode} ${ev.body}`);
  // Photos are processed after the upload (worker pool); the image routes serve only processed ones.
  await t.app.services.photoProcessing.drain();
  const comment = await hhA.post(`/assessments/${assessmentId}/comments`, { body: 'Nhà tôi có tủ sách.' });
  if (comment.status !== 201) throw new Error(`comment: ${comment.status}`);
  const personId = await person(db, w.commune.id, 'Nguyễn Thị Hoa', { householdId: w.hh.hhA1 });
  const clanId = await clan(db, w.commune.id, w.hamlet1.id, 'Họ Nguyễn', null);
  const orgUnitId = await orgUnit(db, w.commune.id, w.hamlet1.id, 'Trường Tiểu học Mỹ Hòa', null);
  const [assignment] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(eq(roleAssignments.userId, w.u.leaderA2));
  const criteriaSets = await officer.get('/criteria-sets');
  const criteriaSetId = criteriaSets.body.items[0].id as string;

  return {
    t,
    w,
    clock,
    routes,
    tokens,
    ids: {
      campaignId,
      spareCampaignId,
      assessmentId,
      evidenceId: ev.json().id as string,
      personId,
      clanId,
      orgUnitId,
      roleAssignmentId: assignment!.id,
      criteriaSetId,
    },
    close: () => t.close(),
  };
}
export type MatrixEnv = Awaited<ReturnType<typeof createMatrixEnv>>;

export async function call(
  env: MatrixEnv,
  role: RoleName,
  req: { method: string; url: string; body?: unknown; headers?: Record<string, string>; payload?: Buffer },
) {
  const token = env.tokens[role];
  const res = await env.t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...req.headers },
    ...(req.payload !== undefined
      ? { payload: req.payload }
      : req.body !== undefined
        ? { payload: req.body as object }
        : {}),
  });
  return res;
}
