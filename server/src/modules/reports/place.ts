import type { Role } from '../../db/schema/index.ts';
import type { Executor } from '../../db/types.ts';
import { hasRoleOver, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { groupsInHamlet, unitWithAncestors, type AdminUnitRow } from './reports.repo.ts';

/** A unit with its ancestors by level; what every report and export starts from. */
export interface Place {
  unit: AdminUnitRow;
  province: AdminUnitRow | null;
  commune: AdminUnitRow | null;
  hamlet: AdminUnitRow | null;
}

export async function locate(db: Executor, unitId: string): Promise<Place | null> {
  const chain = await unitWithAncestors(db, unitId);
  const unit = chain.find((u) => u.id === unitId);
  if (!unit) return null;
  const at = (level: AdminUnitRow['level']) => chain.find((u) => u.level === level) ?? null;
  return { unit, province: at('province'), commune: at('commune'), hamlet: at('hamlet') };
}

const isAdmin = (a: Actor) => a.roles.some((g) => g.role === 'admin');
const HAMLET_READERS: readonly Role[] = ['officer', 'province_viewer', 'hamlet_head', 'leader'];
const COMMUNE_READERS: readonly Role[] = ['officer', 'province_viewer'];

/**
 * Who reads figures of a place: officers of the commune and province viewers of the province
 * (commune and its hamlets), hamlet heads and tổ leaders for their own hamlet, province viewers
 * for their province. Out of scope is 404, like every other read (no probing of ids).
 */
export async function assertCanRead(db: Executor, actor: Actor, place: Place): Promise<void> {
  if (isAdmin(actor)) return;
  const { unit } = place;
  let ok = false;
  if (unit.level === 'province') {
    ok = actor.roles.some((g) => g.role === 'province_viewer' && g.unitId === unit.id);
  } else if (unit.level === 'commune') {
    ok = hasRoleOver(actor, COMMUNE_READERS, { communeId: unit.id });
  } else if (unit.level === 'hamlet' && place.commune) {
    ok = hasRoleOver(actor, HAMLET_READERS, { communeId: place.commune.id, hamletId: unit.id });
    if (!ok) {
      const groupGrants = actor.roles
        .filter((g) => g.unitLevel === 'group' && HAMLET_READERS.includes(g.role))
        .map((g) => g.unitId);
      ok = (await groupsInHamlet(db, groupGrants, unit.id)).length > 0;
    }
  }
  if (!ok) throw notFound();
}

/** Files (XLSX, CSV, PDF, ZIP) carry names: commune officers of that commune only. */
export function assertOfficerOf(actor: Actor, communeId: string): void {
  if (!hasRoleOver(actor, OFFICER_ROLES, { communeId })) throw notFound();
}
