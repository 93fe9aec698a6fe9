import { and, asc, eq, gt, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/types.ts';
import {
  adminUnits,
  clans,
  households,
  invites,
  persons,
  roleAssignments,
  units,
  users,
} from '../../db/schema/index.ts';

/**
 * SQL of the registry. Conventions: `admin_units.path` is the chain of ids from the root down to
 * and including the unit itself, "/<province>/<commune>/<hamlet>/<group>/", so "inside unit X" is
 * `path LIKE X.path || '%'`. Text is stored NFC.
 */

export type AdminUnitRow = typeof adminUnits.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;
/** What a household's answer shows (registry-dto.ts): lists select only these columns. */
const householdListColumns = {
  id: households.id,
  communeId: households.communeId,
  hamletId: households.hamletId,
  groupId: households.groupId,
  headName: households.headName,
  address: households.address,
  memberCount: households.memberCount,
  phone: households.phone,
  clanId: households.clanId,
  externalKey: households.externalKey,
  updatedAt: households.updatedAt,
};
export type HouseholdListRow = Pick<HouseholdRow, keyof typeof householdListColumns>;
export type ClanRow = typeof clans.$inferSelect;
export type OrgUnitRow = typeof units.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type InviteRow = typeof invites.$inferSelect;

export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export async function findUnit(db: Executor, id: string): Promise<AdminUnitRow | undefined> {
  const [row] = await db.select().from(adminUnits).where(eq(adminUnits.id, id)).limit(1);
  return row;
}

export async function findUnits(db: Executor, ids: string[]): Promise<AdminUnitRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(inArray(adminUnits.id, [...new Set(ids)]));
}

/** A unit with its ancestors resolved by level (one query). */
export async function locateUnit(db: Executor, id: string) {
  const unit = await findUnit(db, id);
  if (!unit) return null;
  const chain = await findUnits(db, pathIds(unit.path));
  const at = (level: AdminUnitRow['level']) => chain.find((u) => u.level === level) ?? null;
  return { unit, chain, province: at('province'), commune: at('commune'), hamlet: at('hamlet'), group: at('group') };
}

export async function listChildUnits(db: Executor, parentId: string, today: string, visible: SQL | undefined) {
  return db
    .select()
    .from(adminUnits)
    .where(
      and(
        eq(adminUnits.parentId, parentId),
        or(isNull(adminUnits.effectiveTo), sql`${adminUnits.effectiveTo} >= ${today}`),
        visible,
      ),
    )
    .orderBy(asc(adminUnits.name), asc(adminUnits.id))
    .limit(1000);
}

export async function listRootUnits(db: Executor) {
  return db.select().from(adminUnits).where(isNull(adminUnits.parentId)).orderBy(asc(adminUnits.name)).limit(1000);
}

/** Visibility: the unit is inside one of `prefixes`, or one of `ids` (ancestors and own chain). */
export function unitVisibleSql(prefixes: string[], ids: string[]): SQL {
  const parts: SQL[] = prefixes.map((p) => like(adminUnits.path, `${p}%`));
  if (ids.length) parts.push(inArray(adminUnits.id, ids));
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

export async function insertUnits(db: Executor, rows: (typeof adminUnits.$inferInsert)[]) {
  if (rows.length) await db.insert(adminUnits).values(rows);
}

// ---- households -----------------------------------------------------------------------------

export async function findHousehold(db: Executor, id: string): Promise<HouseholdRow | undefined> {
  const [row] = await db.select().from(households).where(eq(households.id, id)).limit(1);
  return row;
}

export interface HouseholdScope {
  all?: boolean;
  communeIds: string[];
  hamletIds: string[];
  groupIds: string[];
  householdIds: string[];
}

export function householdScopeSql(s: HouseholdScope): SQL | undefined {
  if (s.all) return undefined;
  const parts: SQL[] = [];
  if (s.communeIds.length) parts.push(inArray(households.communeId, s.communeIds));
  if (s.hamletIds.length) parts.push(inArray(households.hamletId, s.hamletIds));
  if (s.groupIds.length) parts.push(inArray(households.groupId, s.groupIds));
  if (s.householdIds.length) parts.push(inArray(households.id, s.householdIds));
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

/** Households under one administrative unit, whatever its level (a province: its communes'). */
export function householdsUnder(u: { id: string; level: string }): SQL {
  if (u.level === 'group') return eq(households.groupId, u.id);
  if (u.level === 'hamlet') return eq(households.hamletId, u.id);
  if (u.level === 'commune') return eq(households.communeId, u.id);
  return sql`${households.communeId} in (select ${adminUnits.id} from ${adminUnits} where ${adminUnits.parentId} = ${u.id})`;
}

/** Member households of a clan (its membership list). */
export function householdsOfClan(clanId: string): SQL {
  return eq(households.clanId, clanId);
}

/** Accent-insensitive on both sides: the stored column is folded by the database, the needle in JS. */
export function headNameMatches(foldedNeedle: string): SQL {
  const escaped = foldedNeedle.replace(/[\\%_]/g, (c) => `\\${c}`);
  // head_name_fold is translate(head_name, FOLD_FROM_TO…), computed by the database on write.
  return sql`${households.headNameFold} like ${`%${escaped}%`}`;
}

const hamletUnit = alias(adminUnits, 'hamlet_unit');
const groupUnit = alias(adminUnits, 'group_unit');

export async function listHouseholds(
  db: Executor,
  opts: {
    scope: SQL | undefined;
    filter: SQL | undefined;
    clan?: SQL | undefined;
    q: SQL | undefined;
    after: [string, string] | null;
    limit: number;
  },
) {
  const after = opts.after
    ? sql`(${households.headName}, ${households.id}) > (${opts.after[0]}, ${opts.after[1]}::uuid)`
    : undefined;
  return db
    .select({ h: householdListColumns, hamletName: hamletUnit.name, groupName: groupUnit.name })
    .from(households)
    .innerJoin(hamletUnit, eq(hamletUnit.id, households.hamletId))
    .innerJoin(groupUnit, eq(groupUnit.id, households.groupId))
    .where(and(opts.scope, opts.filter, opts.clan, opts.q, after))
    .orderBy(asc(households.headName), asc(households.id))
    .limit(opts.limit + 1);
}

export async function unitNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  const rows = ids.length
    ? await db
        .select({ id: adminUnits.id, name: adminUnits.name })
        .from(adminUnits)
        .where(inArray(adminUnits.id, [...new Set(ids)]))
    : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function insertHousehold(db: Executor, row: typeof households.$inferInsert) {
  await db.insert(households).values(row);
}

export async function updateHousehold(db: Executor, id: string, patch: Partial<typeof households.$inferInsert>) {
  await db.update(households).set(patch).where(eq(households.id, id));
}

export async function findHouseholdByKey(db: Executor, communeId: string, key: string) {
  const [row] = await db
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.communeId, communeId), eq(households.externalKey, key)))
    .limit(1);
  return row;
}

export async function householdsByPhone(db: Executor, phone: string) {
  return db
    .select({ h: households, settings: adminUnits.settings })
    .from(households)
    .innerJoin(adminUnits, eq(adminUnits.id, households.communeId))
    .where(eq(households.phone, phone))
    .limit(20);
}

// ---- clans, units, persons ------------------------------------------------------------------

export interface PlaceScope {
  all?: boolean;
  communeIds: string[];
  hamletIds: string[];
  headUserId: string;
}

function placeScopeSql(t: typeof clans | typeof units, s: PlaceScope): SQL | undefined {
  if (s.all) return undefined;
  const parts: SQL[] = [eq(t.headUserId, s.headUserId)];
  if (s.communeIds.length) parts.push(inArray(t.communeId, s.communeIds));
  if (s.hamletIds.length) parts.push(inArray(t.hamletId, s.hamletIds));
  return or(...parts);
}

export async function findClan(db: Executor, id: string) {
  const [row] = await db.select().from(clans).where(eq(clans.id, id)).limit(1);
  return row;
}

export async function listClans(
  db: Executor,
  scope: PlaceScope,
  communeId: string | undefined,
  after: [string, string] | null,
  limit: number,
) {
  return db
    .select({
      c: clans,
      householdCount: sql<number>`(select count(*)::int from households h where h.clan_id = "clans"."id")`.mapWith(
        Number,
      ),
    })
    .from(clans)
    .where(
      and(
        placeScopeSql(clans, scope),
        communeId ? eq(clans.communeId, communeId) : undefined,
        after ? sql`(${clans.name}, ${clans.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(clans.name), asc(clans.id))
    .limit(limit + 1);
}

export async function clanHouseholdCount(db: Executor, clanId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(households)
    .where(eq(households.clanId, clanId));
  return r?.n ?? 0;
}

export async function insertClan(db: Executor, row: typeof clans.$inferInsert) {
  await db.insert(clans).values(row);
}

export async function findOrgUnit(db: Executor, id: string) {
  const [row] = await db.select().from(units).where(eq(units.id, id)).limit(1);
  return row;
}

export async function listOrgUnits(
  db: Executor,
  scope: PlaceScope,
  communeId: string | undefined,
  after: [string, string] | null,
  limit: number,
) {
  return db
    .select()
    .from(units)
    .where(
      and(
        placeScopeSql(units, scope),
        communeId ? eq(units.communeId, communeId) : undefined,
        after ? sql`(${units.name}, ${units.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(units.name), asc(units.id))
    .limit(limit + 1);
}

export async function insertOrgUnit(db: Executor, row: typeof units.$inferInsert) {
  await db.insert(units).values(row);
}

export async function findPerson(db: Executor, id: string) {
  const [row] = await db.select().from(persons).where(eq(persons.id, id)).limit(1);
  return row;
}

export async function listPersons(
  db: Executor,
  by: { householdId?: string; unitId?: string },
  after: [string, string] | null,
  limit: number,
) {
  return db
    .select()
    .from(persons)
    .where(
      and(
        by.householdId ? eq(persons.householdId, by.householdId) : undefined,
        by.unitId ? eq(persons.unitId, by.unitId) : undefined,
        after ? sql`(${persons.fullName}, ${persons.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(persons.fullName), asc(persons.id))
    .limit(limit + 1);
}

export async function insertPerson(db: Executor, row: typeof persons.$inferInsert) {
  await db.insert(persons).values(row);
}

// ---- role assignments -----------------------------------------------------------------------

export async function listRoleAssignments(
  db: Executor,
  opts: { prefixes: string[] | 'all'; selfId: string; unitId?: string; userId?: string },
) {
  const scope =
    opts.prefixes === 'all'
      ? undefined
      : or(eq(roleAssignments.userId, opts.selfId), ...opts.prefixes.map((p) => like(adminUnits.path, `${p}%`)));
  return db
    .select({
      ra: roleAssignments,
      userDisplayName: users.displayName,
      unitLevel: adminUnits.level,
      unitName: adminUnits.name,
    })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .innerJoin(adminUnits, eq(adminUnits.id, roleAssignments.unitId))
    .where(
      and(
        isNull(roleAssignments.revokedAt),
        scope,
        opts.unitId ? eq(roleAssignments.unitId, opts.unitId) : undefined,
        opts.userId ? eq(roleAssignments.userId, opts.userId) : undefined,
      ),
    )
    .orderBy(asc(adminUnits.path), asc(users.displayName))
    .limit(1000);
}

export async function findRoleAssignment(db: Executor, id: string) {
  const [row] = await db.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1);
  return row;
}

export async function findActiveAssignment(db: Executor, userId: string, role: string, unitId: string) {
  const [row] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, userId),
        sql`${roleAssignments.role} = ${role}`,
        eq(roleAssignments.unitId, unitId),
        isNull(roleAssignments.revokedAt),
      ),
    )
    .limit(1);
  return row;
}

export async function insertRoleAssignment(db: Executor, row: typeof roleAssignments.$inferInsert) {
  await db.insert(roleAssignments).values(row);
}

export async function revokeRoleAssignment(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(roleAssignments)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(roleAssignments.id, id), isNull(roleAssignments.revokedAt)))
    .returning({ id: roleAssignments.id });
  return rows.length > 0;
}

// ---- users and invites ----------------------------------------------------------------------

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function linkUserToHousehold(db: Executor, userId: string, householdId: string, at: Date) {
  await db.update(users).set({ householdId, updatedAt: at }).where(eq(users.id, userId));
}

export async function insertInvite(db: Executor, row: typeof invites.$inferInsert) {
  await db.insert(invites).values(row);
}

/** Atomically consumes a live invite; null when the code is unknown, used or expired. */
export async function consumeInvite(
  db: Executor,
  codeHash: string,
  userId: string,
  now: Date,
): Promise<InviteRow | null> {
  const rows = await db
    .update(invites)
    .set({ usedAt: now, usedBy: userId })
    .where(and(eq(invites.codeHash, codeHash), isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .returning();
  return rows[0] ?? null;
}

export async function findInviteByHash(db: Executor, codeHash: string) {
  const [row] = await db.select().from(invites).where(eq(invites.codeHash, codeHash)).limit(1);
  return row;
}
