import type { Role } from '../../db/schema/index.ts';
import { hasRoleOver, READ_ROLES, type Actor, type Location } from '../../lib/actor.ts';
import type { Executor } from '../../db/types.ts';
import {
  findHousehold,
  findUnits,
  pathIds,
  type AdminUnitRow,
  type HouseholdScope,
  type PlaceScope,
} from './registry.repo.ts';

/**
 * Scope rules of the registry, in one place (docs/domain.md §5, docs/security.md §1). The actor's grants come from the
 * database on every request, so a revoked role stops working on the next request.
 *
 * - Households: readers (tổ leader, hamlet head, officer, province viewer) within their grant;
 *   a linked household user reads only their own household. Officers write.
 * - Admin units: the subtree under each grant, plus the ancestors of each grant (a tổ leader sees
 *   their ấp and xã), plus a linked household's own chain (xã → ấp → tổ).
 * - Clans and units: commune-level readers of the commune, hamlet-level readers of the hamlet,
 *   and the clan's/unit's own head user.
 */

export const isAdmin = (actor: Actor) => actor.roles.some((g) => g.role === 'admin');

export function householdScopeOf(actor: Actor): HouseholdScope {
  const s: HouseholdScope = {
    communeIds: [],
    hamletIds: [],
    groupIds: [],
    householdIds: actor.householdId ? [actor.householdId] : [],
  };
  if (isAdmin(actor)) return { ...s, all: true };
  for (const g of actor.roles) {
    if (!READ_ROLES.includes(g.role)) continue;
    if (g.unitLevel === 'group') s.groupIds.push(g.unitId);
    else if (g.unitLevel === 'hamlet') s.hamletIds.push(g.unitId);
    else if (g.unitLevel === 'commune') s.communeIds.push(g.unitId);
    else s.communeIds.push(...g.communeIds);
  }
  return s;
}

export function placeScopeOf(actor: Actor): PlaceScope {
  const s: PlaceScope = { communeIds: [], hamletIds: [], headUserId: actor.userId };
  if (isAdmin(actor)) return { ...s, all: true };
  for (const g of actor.roles) {
    if (!READ_ROLES.includes(g.role)) continue;
    if (g.unitLevel === 'hamlet') s.hamletIds.push(g.unitId);
    else if (g.unitLevel === 'commune') s.communeIds.push(g.unitId);
    else if (g.unitLevel === 'province') s.communeIds.push(...g.communeIds);
  }
  return s;
}

export const locOf = (h: { communeId: string; hamletId: string | null; groupId?: string | null }): Location => ({
  communeId: h.communeId,
  hamletId: h.hamletId,
  groupId: h.groupId ?? null,
});

export function canReadHousehold(
  actor: Actor,
  h: { id: string; communeId: string; hamletId: string; groupId: string },
): boolean {
  return actor.householdId === h.id || hasRoleOver(actor, READ_ROLES, locOf(h));
}

export function canWriteAt(actor: Actor, loc: Location, roles: readonly Role[] = ['officer']): boolean {
  return hasRoleOver(actor, roles, loc);
}

export function canReadPlace(
  actor: Actor,
  p: { communeId: string; hamletId: string | null; headUserId: string | null },
): boolean {
  return (
    p.headUserId === actor.userId || hasRoleOver(actor, READ_ROLES, { communeId: p.communeId, hamletId: p.hamletId })
  );
}

export interface UnitVisibility {
  all: boolean;
  /** Paths whose subtrees are visible. */
  prefixes: string[];
  /** Individually visible units (ancestors of grants, the household's chain). */
  ids: string[];
  /** Where the caller's view of the tree starts. */
  startIds: string[];
}

export async function unitVisibilityOf(db: Executor, actor: Actor): Promise<UnitVisibility> {
  if (isAdmin(actor)) return { all: true, prefixes: [], ids: [], startIds: [] };
  const grantIds = actor.roles.filter((g) => READ_ROLES.includes(g.role)).map((g) => g.unitId);
  const startIds = [...grantIds];
  let householdGroup: string | null = null;
  if (actor.householdId) {
    const h = await findHousehold(db, actor.householdId);
    if (h) householdGroup = h.groupId;
  }
  const rows = await findUnits(db, householdGroup ? [...grantIds, householdGroup] : grantIds);
  const prefixes: string[] = [];
  const ids = new Set<string>();
  for (const u of rows) {
    pathIds(u.path).forEach((id) => ids.add(id));
    if (grantIds.includes(u.id)) prefixes.push(u.path);
    if (u.id === householdGroup) {
      startIds.push(...pathIds(u.path).slice(-3)); // commune, hamlet, tổ of the household
    }
  }
  return { all: false, prefixes, ids: [...ids], startIds: [...new Set(startIds)] };
}

/**
 * Whether the actor may see a unit. The common case needs no query: the unit is, or lies below,
 * a unit the actor reads (an officer's own commune). The rest (units above a grant, a household's
 * own tổ) comes from `unitVisibilityOf`.
 */
export async function unitReadable(db: Executor, actor: Actor, u: AdminUnitRow): Promise<boolean> {
  if (isAdmin(actor)) return true;
  const chain = pathIds(u.path);
  if (actor.roles.some((g) => READ_ROLES.includes(g.role) && chain.includes(g.unitId))) return true;
  return unitVisible(await unitVisibilityOf(db, actor), u);
}

export function unitVisible(v: UnitVisibility, u: AdminUnitRow): boolean {
  return v.all || v.ids.includes(u.id) || v.prefixes.some((p) => u.path.startsWith(p));
}
