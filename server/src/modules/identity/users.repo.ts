import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, roleAssignments, users } from '../../db/schema/index.ts';
import type { Actor, RoleGrant, UnitLevel } from '../../lib/actor.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByZaloId(db: Executor, zaloId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.zaloId, zaloId)).limit(1);
  return row;
}

/** The caller with live roles: one query for the user and roles, one more only for province roles. */
export async function loadActor(db: Executor, userId: string): Promise<(Actor & { status: string; authVersion: string }) | null> {
  const rows = await db
    .select({
      user: users,
      role: roleAssignments.role,
      unitId: roleAssignments.unitId,
      unitLevel: adminUnits.level,
      unitName: adminUnits.name,
    })
    .from(users)
    .leftJoin(roleAssignments, and(eq(roleAssignments.userId, users.id), isNull(roleAssignments.revokedAt)))
    .leftJoin(adminUnits, eq(adminUnits.id, roleAssignments.unitId))
    .where(eq(users.id, userId));
  const first = rows[0];
  if (!first) return null;
  const roles: RoleGrant[] = [];
  for (const r of rows) {
    if (!r.role || !r.unitId || !r.unitLevel) continue;
    roles.push({ role: r.role, unitId: r.unitId, unitLevel: r.unitLevel as UnitLevel, unitName: r.unitName ?? '', communeIds: [] });
  }
  const provinceGrants = roles.filter((g) => g.unitLevel === 'province');
  if (provinceGrants.length > 0) {
    const communes = await db
      .select({ id: adminUnits.id, parentId: adminUnits.parentId })
      .from(adminUnits)
      .where(and(eq(adminUnits.level, 'commune'), inArray(adminUnits.parentId, provinceGrants.map((g) => g.unitId))));
    for (const g of provinceGrants) g.communeIds = communes.filter((c) => c.parentId === g.unitId).map((c) => c.id);
  }
  const u = first.user;
  return {
    userId: u.id,
    displayName: u.displayName,
    householdId: u.householdId,
    personId: u.personId,
    roles,
    status: u.status,
    authVersion: u.authVersion,
  };
}

export async function touchLastOpened(db: Executor, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ lastOpenedAt: at }).where(eq(users.id, userId));
}

/** Invalidate every access token already issued to the user (deactivation, role change). */
export async function bumpAuthVersion(db: Executor, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ authVersion: sql`(${users.authVersion}::int + 1)::text`, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
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

export async function findDevUser(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), eq(users.devLogin, true), eq(users.status, 'active')));
  return row;
}
