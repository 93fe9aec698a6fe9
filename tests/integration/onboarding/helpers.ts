import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { App } from '@hoctap/server';
import type { Db } from '@hoctap/server/db/types.ts';
import { roleAssignments, users } from '@hoctap/server/db/schema/index.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import type { Clock } from '@hoctap/server/lib/clock.ts';
import { loginAs, multipartFile, seedSecondCommune } from '../registry/helpers.ts';

/**
 * The onboarding world: the demo commune X (officer, leaders, households, citizen), a second
 * commune Y with its own officer, a province viewer of the demo province and the demo admin.
 */
export async function onboardingWorld(app: App, db: Db, clock: Clock) {
  await seedDemo(db, clock);
  const other = await seedSecondCommune(db);
  const viewerId = randomUUID();
  await db.insert(users).values({ id: viewerId, displayName: 'Chuyên viên Sở GD&ĐT', devLogin: true });
  await db.insert(roleAssignments).values({
    id: randomUUID(),
    userId: viewerId,
    role: 'province_viewer',
    unitId: DEMO.provinceId,
  });
  const [admin, officer, officerY, viewer, household, leader] = await Promise.all([
    loginAs(app, DEMO.users.admin),
    loginAs(app, DEMO.users.officer),
    loginAs(app, other.officer),
    loginAs(app, viewerId),
    loginAs(app, DEMO.users.households[0]!.userId),
    loginAs(app, DEMO.users.leaders[0]!),
  ]);
  return { other, viewerId, admin, officer, officerY, viewer, household, leader };
}

export type Caller = Awaited<ReturnType<typeof loginAs>>;

/** POST a file as multipart to an /api/v1 path. */
export async function uploadTo(app: App, who: Caller, path: string, fileName: string, bytes: Buffer | string) {
  const { payload, headers } = multipartFile(fileName, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
  return app.inject({
    method: 'POST',
    url: `/api/v1${path}`,
    payload,
    headers: { ...headers, authorization: `Bearer ${who.token}` },
  });
}

/** Row counts of the tables an import may write, to prove a dry run or a refused commit wrote nothing. */
export async function counts(db: Db) {
  const r = await db.execute(
    sql`select (select count(*)::int from admin_units) as units, (select count(*)::int from persons) as persons,
        (select count(*)::int from households) as households, (select max(updated_at)::text from persons) as last`,
  );
  const rows =
    (r as unknown as { rows: Record<string, unknown>[] }).rows ?? (r as unknown as Record<string, unknown>[]);
  return rows[0];
}

/** A new dev-login user, optionally with a verified phone. */
export async function newUser(app: App, db: Db, name: string, phone: string | null = null) {
  const id = randomUUID();
  await db.insert(users).values({ id, displayName: name, devLogin: true, phone });
  return { id, c: await loginAs(app, id) };
}
