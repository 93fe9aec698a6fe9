import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/types.ts';
import { adminUnits, households, persons, roleAssignments, users } from '../../db/schema/index.ts';
import { FOLD_FROM_TO } from './text.ts';

/**
 * SQL of the account picker (whom an officer may appoint): accounts linked to a household or a
 * person of the given communes, or holding a live role under them.
 */

const groupUnit = alias(adminUnits, 'pick_group');
const hamletUnit = alias(adminUnits, 'pick_hamlet');

export interface UserPickScope {
  /** Every account (admins); otherwise only those tied to these communes. */
  all?: boolean;
  communeIds: string[];
  /** path of each commune, for role holders under it. */
  communePaths: string[];
}

export async function listUserCandidates(
  db: Executor,
  scope: UserPickScope,
  opts: { foldedNeedle?: string; digits?: string; limit: number },
) {
  let inScope: SQL | undefined;
  if (!scope.all) {
    if (scope.communeIds.length === 0) return [];
    const roleUnder = or(...scope.communePaths.map((p) => like(adminUnits.path, `${p}%`)));
    inScope = or(
      inArray(households.communeId, scope.communeIds),
      inArray(persons.communeId, scope.communeIds),
      sql`exists (select 1 from ${roleAssignments} join ${adminUnits} on ${adminUnits.id} = ${roleAssignments.unitId}
        where ${roleAssignments.userId} = ${users.id} and ${roleAssignments.revokedAt} is null and (${roleUnder}))`,
    );
  }
  let match: SQL | undefined;
  if (opts.foldedNeedle || opts.digits) {
    const parts: SQL[] = [];
    if (opts.foldedNeedle) {
      const escaped = `%${opts.foldedNeedle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(sql`lower(translate(${users.displayName}, ${FOLD_FROM_TO.from}, ${FOLD_FROM_TO.to})) like ${escaped}`);
      parts.push(
        sql`lower(translate(${households.headName}, ${FOLD_FROM_TO.from}, ${FOLD_FROM_TO.to})) like ${escaped}`,
      );
    }
    if (opts.digits) parts.push(like(users.phone, `%${opts.digits}%`));
    match = or(...parts);
  }
  return db
    .select({
      id: users.id,
      displayName: users.displayName,
      phone: users.phone,
      householdId: users.householdId,
      headName: households.headName,
      groupName: groupUnit.name,
      hamletName: hamletUnit.name,
      personId: users.personId,
      personName: persons.fullName,
    })
    .from(users)
    .leftJoin(households, eq(households.id, users.householdId))
    .leftJoin(groupUnit, eq(groupUnit.id, households.groupId))
    .leftJoin(hamletUnit, eq(hamletUnit.id, households.hamletId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(and(eq(users.status, 'active'), inScope, match))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(opts.limit);
}
