import type { AdminUnitDto, HouseholdDto } from '@hoctap/shared/api';
import type { Actor } from '../../lib/actor.ts';
import type * as repo from './registry.repo.ts';
import { canWriteAt, locOf } from './scope.ts';
import { maskPhone } from './text.ts';

/** Row → API shapes for the registry (no I/O). */
export function unitDto(u: repo.AdminUnitRow): AdminUnitDto {
  return {
    id: u.id,
    level: u.level,
    kind: u.kind,
    name: u.name,
    code: u.code,
    parentId: u.parentId,
    legacyParentId: u.legacyParentId,
    mergedIntoId: u.mergedIntoId,
    effectiveFrom: u.effectiveFrom,
    effectiveTo: u.effectiveTo,
  };
}

export function householdDto(actor: Actor, h: repo.HouseholdListRow, names: Map<string, string>): HouseholdDto {
  const officer = canWriteAt(actor, locOf(h));
  const full = officer || actor.householdId === h.id;
  return {
    id: h.id,
    communeId: h.communeId,
    hamletId: h.hamletId,
    groupId: h.groupId,
    hamletName: names.get(h.hamletId) ?? '',
    groupName: names.get(h.groupId) ?? '',
    headName: h.headName,
    address: h.address,
    memberCount: h.memberCount,
    phone: full ? h.phone : maskPhone(h.phone),
    clanId: h.clanId,
    ...(officer ? { externalKey: h.externalKey } : {}),
    updatedAt: h.updatedAt.toISOString(),
  };
}

export function clanDto(c: repo.ClanRow) {
  return {
    id: c.id,
    communeId: c.communeId,
    hamletId: c.hamletId,
    name: c.name,
    headName: c.headName,
    headUserId: c.headUserId,
    version: c.version,
  };
}

export function orgUnitDto(u: repo.OrgUnitRow) {
  return {
    id: u.id,
    communeId: u.communeId,
    hamletId: u.hamletId,
    name: u.name,
    type: u.type,
    headName: u.headName,
    headUserId: u.headUserId,
    staffCount: u.staffCount,
    version: u.version,
  };
}

/** `fullPhone`: officers of the commune and the person themself; everyone else sees it masked. */
export function personDto(p: repo.PersonRow, fullPhone: boolean) {
  return {
    id: p.id,
    communeId: p.communeId,
    householdId: p.householdId,
    unitId: p.unitId,
    fullName: p.fullName,
    birthYear: p.birthYear,
    relation: p.relation,
    inSchool: p.inSchool,
    cdhtGroup: p.cdhtGroup,
    isWorker: p.isWorker,
    phone: fullPhone ? p.phone : maskPhone(p.phone),
    version: p.version,
  };
}
