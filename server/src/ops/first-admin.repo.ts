import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { adminUnits, users } from '../db/schema/index.ts';

/** SQL of the first-admin command (ops/first-admin.ts): finding live units and accounts, adding an account. */

export async function findLiveUnit(
  db: Executor,
  q: { level: 'province' | 'commune'; parentId: string | null; code?: string | undefined; name: string },
) {
  const rows = await db
    .select({ id: adminUnits.id, name: adminUnits.name, code: adminUnits.code, parentId: adminUnits.parentId })
    .from(adminUnits)
    .where(and(eq(adminUnits.level, q.level), isNull(adminUnits.effectiveTo)));
  return (
    (q.code ? rows.find((r) => r.code === q.code) : undefined) ??
    rows.find((r) => r.parentId === q.parentId && r.name.normalize('NFC') === q.name.normalize('NFC'))
  );
}

export async function findUserById(db: Executor, id: string) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, devLogin: users.devLogin, zaloId: users.zaloId })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export async function findUserByZaloId(db: Executor, zaloId: string) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, devLogin: users.devLogin, zaloId: users.zaloId })
    .from(users)
    .where(eq(users.zaloId, zaloId))
    .limit(1);
  return row;
}

/** A dev-login account of that name already made by an earlier run (the command is rerunnable). */
export async function findDevUserByName(db: Executor, displayName: string) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, devLogin: users.devLogin, zaloId: users.zaloId })
    .from(users)
    .where(and(eq(users.displayName, displayName), eq(users.devLogin, true), isNull(users.zaloId)))
    .limit(1);
  return row;
}

export async function insertUser(
  db: Executor,
  u: { id: string; displayName: string; zaloId: string | null; devLogin: boolean; at: Date },
) {
  await db.insert(users).values({
    id: u.id,
    displayName: u.displayName,
    zaloId: u.zaloId,
    devLogin: u.devLogin,
    createdAt: u.at,
    updatedAt: u.at,
  });
}
