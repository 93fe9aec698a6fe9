import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { preparedOnce } from '../../db/named-statement.ts';
import type { Executor } from '../../db/types.ts';
import { adminUnits, roleAssignments, users } from '../../db/schema/index.ts';
import type { Actor, RoleGrant } from '../../lib/actor.ts';

/** Whether a user may hold a session, and the token version their access tokens must carry. */
export async function findUserStatus(db: Executor, id: string) {
  const [row] = await db
    .select({ id: users.id, status: users.status, authVersion: users.authVersion })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export type ActorRecord = Actor & { status: string; authVersion: string };

/**
 * The caller with live roles in ONE round trip: every authenticated request runs it, so it is a
 * prepared statement (PostgreSQL parses and plans it once per connection instead of ~0,25 ms of
 * planning on every request, and no SQL is built per call) selecting only what an Actor holds. A
 * province grant carries the ids of its communes (scope checks compare commune ids).
 */
export async function loadActor(db: Executor, userId: string): Promise<ActorRecord | null> {
  const [u] = await preparedOnce(db, actorStatements, prepareActor).execute({ userId });
  return u ?? null;
}

const actorFields = {
  userId: sql<string>`u.id`,
  displayName: sql<string>`u.display_name`,
  householdId: sql<string | null>`u.household_id`,
  personId: sql<string | null>`u.person_id`,
  status: sql<string>`u.status`,
  authVersion: sql<string>`u.auth_version`,
  roles: sql<RoleGrant[]>`coalesce((
        select json_agg(json_build_object(
          'role', ra.role, 'unitId', ra.unit_id, 'unitLevel', au.level, 'unitName', au.name,
          'communeIds', case when au.level = 'province' then coalesce(
            (select json_agg(c.id) from admin_units c where c.parent_id = au.id and c.level = 'commune'), '[]'::json)
            else '[]'::json end
        ) order by ra.created_at, ra.id)
        from role_assignments ra join admin_units au on au.id = ra.unit_id
        where ra.user_id = u.id and ra.revoked_at is null
      ), '[]'::json)`,
};

export interface MeRecord {
  phone: string | null;
  household: {
    id: string;
    headName: string;
    address: string;
    communeId: string;
    hamletId: string;
    groupId: string;
    hamletName: string;
    groupName: string;
  } | null;
  /** The latest consent entry per purpose. */
  consents: { purpose: string; action: string; textVersion: string }[];
}

const meFields = {
  phone: sql<string | null>`u.phone`,
  household: sql<MeRecord['household']>`case when h.id is null then null else json_build_object(
        'id', h.id, 'headName', h.head_name, 'address', h.address, 'communeId', h.commune_id,
        'hamletId', h.hamlet_id, 'groupId', h.group_id,
        'hamletName', coalesce((select name from admin_units where id = h.hamlet_id), ''),
        'groupName', coalesce((select name from admin_units where id = h.group_id), '')) end`,
  consents: sql<MeRecord['consents']>`coalesce((
        select json_agg(json_build_object('purpose', c.purpose, 'action', c.action, 'textVersion', c.text_version))
        from (select distinct on (purpose) purpose, action, text_version from consents
              where user_id = u.id order by purpose, seq desc) c
      ), '[]'::json)`,
};

const usersWithHousehold = sql`users u left join households h on h.id = u.household_id`;
const byUserId = sql`u.id = ${sql.placeholder('userId')}`;

const prepareActor = (db: Executor) =>
  db
    .select(actorFields)
    .from(sql`users u`)
    .where(byUserId)
    .prepare('actor_by_id');
const prepareMe = (db: Executor) => db.select(meFields).from(usersWithHousehold).where(byUserId).prepare('me_by_id');
const prepareActorWithMe = (db: Executor) =>
  db
    .select({ ...actorFields, ...meFields })
    .from(usersWithHousehold)
    .where(byUserId)
    .prepare('actor_with_me_by_id');

const actorStatements = new WeakMap<object, ReturnType<typeof prepareActor>>();
const meStatements = new WeakMap<object, ReturnType<typeof prepareMe>>();
const actorWithMeStatements = new WeakMap<object, ReturnType<typeof prepareActorWithMe>>();

/** Everything GET /me adds to the actor, in one round trip. */
export async function loadMe(db: Executor, userId: string): Promise<MeRecord | null> {
  const [row] = await preparedOnce(db, meStatements, prepareMe).execute({ userId });
  return row ?? null;
}

/**
 * GET /me in ONE statement, authentication included (issue 15): the actor's columns and live
 * roles (as `loadActor`) with what /me adds (as `loadMe`). The caller checks status and token
 * version exactly as for any authenticated request.
 */
export async function loadActorWithMe(
  db: Executor,
  userId: string,
): Promise<{ actor: ActorRecord; me: MeRecord } | null> {
  const [row] = await preparedOnce(db, actorWithMeStatements, prepareActorWithMe).execute({ userId });
  if (!row) return null;
  const { phone, household, consents, ...actor } = row;
  return { actor, me: { phone, household, consents } };
}

/**
 * "Opened the app" for Zalo's 7-day notification window: at most one write per user and day
 * (the condition makes a second write of the day a no-op even across processes).
 */
/**
 * Records that these users opened the app, in one statement: at most once a day each (a row
 * already written since the UTC day of `at` is left alone).
 */
export async function touchLastOpened(db: Executor, opened: { userId: string; at: Date }[]): Promise<void> {
  if (opened.length === 0) return;
  const ids = `{${opened.map((o) => o.userId).join(',')}}`;
  const ats = `{${opened.map((o) => `"${o.at.toISOString()}"`).join(',')}}`;
  await db.execute(sql`update users u set last_opened_at = v.at
    from (select unnest(${ids}::uuid[]) id, unnest(${ats}::timestamptz[]) at) v
    where u.id = v.id and (u.last_opened_at is null or u.last_opened_at < date_trunc('day', v.at, 'UTC'))`);
}

export async function setNotificationsAllowed(db: Executor, userId: string, allowed: boolean): Promise<void> {
  await db.update(users).set({ notificationsAllowed: allowed }).where(eq(users.id, userId));
}

export async function setPhone(db: Executor, userId: string, phone: string, at: Date): Promise<void> {
  await db.update(users).set({ phone, phoneConsentAt: at, updatedAt: at }).where(eq(users.id, userId));
}

/** Creates or refreshes the user of a Zalo identity; keeps a name Zalo withholds. */
export async function upsertZaloUser(
  db: Executor,
  u: { id: string; zaloId: string; name: string | null; pictureUrl: string | null; at: Date },
) {
  const [row] = await db
    .insert(users)
    .values({
      id: u.id,
      zaloId: u.zaloId,
      displayName: u.name ?? 'Người dùng Zalo',
      avatarUrl: u.pictureUrl,
      lastOpenedAt: u.at,
      createdAt: u.at,
      updatedAt: u.at,
    })
    .onConflictDoUpdate({
      target: users.zaloId,
      // Keep a name the user or an officer set when Zalo withholds the name scope.
      set: {
        displayName: sql`coalesce(${u.name}, ${users.displayName})`,
        avatarUrl: sql`coalesce(${u.pictureUrl}, ${users.avatarUrl})`,
        lastOpenedAt: u.at,
        updatedAt: u.at,
      },
    })
    .returning({ id: users.id, status: users.status });
  return row;
}

/** Seeded users for the development login picker, one row per user with their first role. */
export async function listDevUsers(db: Executor) {
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, role: roleAssignments.role, unitName: adminUnits.name })
    .from(users)
    .leftJoin(roleAssignments, and(eq(roleAssignments.userId, users.id), isNull(roleAssignments.revokedAt)))
    .leftJoin(adminUnits, eq(adminUnits.id, roleAssignments.unitId))
    .where(and(eq(users.devLogin, true), eq(users.status, 'active')))
    .orderBy(asc(users.displayName))
    .limit(500);
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    .map((r) => ({ id: r.id, displayName: r.displayName, role: r.role, unitName: r.unitName ?? '' }));
}

export async function findDevUser(db: Executor, id: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), eq(users.devLogin, true), eq(users.status, 'active')));
  return row;
}
