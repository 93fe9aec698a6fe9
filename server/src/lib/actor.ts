import type { Role } from '../db/schema/identity.ts';

export type UnitLevel = 'province' | 'commune' | 'hamlet' | 'group';

export interface RoleGrant {
  role: Role;
  unitId: string;
  unitLevel: UnitLevel;
  unitName: string;
  /** For province-level grants: the communes under the province, resolved when the actor loads. */
  communeIds: string[];
}

/** Who is calling, re-read from the database on every request so revocations apply at once. */
export interface Actor {
  userId: string;
  displayName: string;
  householdId: string | null;
  personId: string | null;
  roles: RoleGrant[];
}

/** Where a subject lives; the most specific level that applies is set. */
export interface Location {
  communeId: string;
  hamletId?: string | null;
  groupId?: string | null;
}

/** Does this grant cover that location? A tổ grant covers its tổ; an ấp grant its ấp; and so on. */
export function grantCovers(grant: RoleGrant, loc: Location): boolean {
  switch (grant.unitLevel) {
    case 'group':
      return loc.groupId === grant.unitId;
    case 'hamlet':
      return loc.hamletId === grant.unitId;
    case 'commune':
      return loc.communeId === grant.unitId;
    case 'province':
      return grant.communeIds.includes(loc.communeId);
  }
}

export function hasRoleOver(actor: Actor, roles: readonly Role[], loc: Location): boolean {
  return actor.roles.some(
    (g) => (g.role === 'admin' || roles.includes(g.role)) && (g.role === 'admin' || grantCovers(g, loc)),
  );
}

/** Roles that may read subjects in their scope. */
export const READ_ROLES: readonly Role[] = ['leader', 'hamlet_head', 'officer', 'province_viewer'];
/** Roles that may verify (tổ leaders, hamlet heads, commune officers). */
export const VERIFY_ROLES: readonly Role[] = ['leader', 'hamlet_head', 'officer'];
export const OFFICER_ROLES: readonly Role[] = ['officer'];

export function communesOf(actor: Actor, roles: readonly Role[]): string[] {
  const out = new Set<string>();
  for (const g of actor.roles) {
    if (!roles.includes(g.role)) continue;
    if (g.unitLevel === 'commune') out.add(g.unitId);
    if (g.unitLevel === 'province') g.communeIds.forEach((c) => out.add(c));
  }
  return [...out];
}
