import type { Db, Executor } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isUniqueViolation, phoneOrThrow, readableHousehold, readableOrgUnit } from './guards.ts';
import * as ob from './onboarding.repo.ts';
import * as repo from './registry.repo.ts';
import { clanDto, orgUnitDto, personDto } from './registry-dto.ts';
import { canReadHousehold, canReadPlace, canWriteAt, locOf } from './scope.ts';
import { clean } from './text.ts';

/**
 * PATCH of clans, units and persons. Each row carries a version: a caller that sends the version it
 * read gets 409 VERSION_CONFLICT when someone edited in between (the same contract as assessments);
 * the update itself is conditional on the version, so two concurrent edits never both apply.
 * Readable but not writable is 403; not readable is 404, like a missing row.
 */

const lost = () => conflict(undefined, 'VERSION_CONFLICT');

function changedKeys<T extends Record<string, unknown>>(next: T, cur: Record<string, unknown>): (keyof T)[] {
  return (Object.keys(next) as (keyof T)[]).filter((k) => next[k] !== cur[k as string]);
}

async function hamletOfCommune(tx: Executor, hamletId: string | null | undefined, communeId: string) {
  if (!hamletId) return;
  const h = await repo.findUnit(tx, hamletId);
  if (!h || h.level !== 'hamlet' || h.parentId !== communeId)
    throw badRequest('Ấp không thuộc xã này.', 'HAMLET_NOT_IN_COMMUNE');
}

export function createEditService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const service = {
    async updateClan(
      actor: Actor,
      id: string,
      patch: {
        hamletId?: string | null;
        name?: string;
        headName?: string;
        headUserId?: string | null;
        version?: number;
      },
    ) {
      await db.transaction(async (tx) => {
        const c = await repo.findClan(tx, id);
        if (!c || !canReadPlace(actor, c)) throw notFound('Không tìm thấy dòng họ.', 'CLAN_NOT_FOUND');
        if (!canWriteAt(actor, { communeId: c.communeId, hamletId: c.hamletId }))
          throw forbidden(undefined, 'CLAN_WRITE_NOT_ALLOWED');
        if (patch.version !== undefined && patch.version !== c.version) throw lost();
        if (patch.hamletId !== undefined) await hamletOfCommune(tx, patch.hamletId, c.communeId);
        const next = {
          hamletId: patch.hamletId !== undefined ? patch.hamletId : c.hamletId,
          name: patch.name !== undefined ? clean(patch.name) : c.name,
          headName: patch.headName !== undefined ? clean(patch.headName) : c.headName,
          headUserId: patch.headUserId !== undefined ? patch.headUserId : c.headUserId,
        };
        const changed = changedKeys(next, c);
        if (changed.length === 0) return;
        const now = clock.now();
        try {
          if (!(await ob.updateClanVersioned(tx, id, c.version, { ...next, updatedAt: now }))) throw lost();
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có dòng họ cùng tên.', 'CLAN_EXISTS');
          throw err;
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'clan.update',
          entityType: 'clan',
          entityId: id,
          data: { changed },
        });
      });
      const c = (await repo.findClan(db, id))!;
      return { ...clanDto(c), householdCount: await repo.clanHouseholdCount(db, id) };
    },

    async updateOrgUnit(
      actor: Actor,
      id: string,
      patch: {
        hamletId?: string | null;
        name?: string;
        type?: 'school' | 'agency' | 'enterprise' | 'cooperative' | 'other';
        headName?: string;
        headUserId?: string | null;
        staffCount?: number;
        version?: number;
      },
    ) {
      await db.transaction(async (tx) => {
        const u = await readableOrgUnit(tx, actor, id);
        if (!canWriteAt(actor, { communeId: u.communeId, hamletId: u.hamletId }))
          throw forbidden(undefined, 'ORG_UNIT_WRITE_NOT_ALLOWED');
        if (patch.version !== undefined && patch.version !== u.version) throw lost();
        if (patch.hamletId !== undefined) await hamletOfCommune(tx, patch.hamletId, u.communeId);
        const next = {
          hamletId: patch.hamletId !== undefined ? patch.hamletId : u.hamletId,
          name: patch.name !== undefined ? clean(patch.name) : u.name,
          type: patch.type ?? u.type,
          headName: patch.headName !== undefined ? clean(patch.headName) : u.headName,
          headUserId: patch.headUserId !== undefined ? patch.headUserId : u.headUserId,
          staffCount: patch.staffCount ?? u.staffCount,
        };
        const changed = changedKeys(next, u);
        if (changed.length === 0) return;
        const now = clock.now();
        try {
          if (!(await ob.updateOrgUnitVersioned(tx, id, u.version, { ...next, updatedAt: now }))) throw lost();
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có đơn vị cùng tên.', 'ORG_UNIT_EXISTS');
          throw err;
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'unit.update',
          entityType: 'unit',
          entityId: id,
          data: { changed },
        });
      });
      return orgUnitDto((await repo.findOrgUnit(db, id))!);
    },

    /**
     * Officers edit any person of their commune, including moving them between households and
     * giving them a unit (staff membership); a household edits its own members' details; a unit's
     * head edits their staff's details. Moving a person stays inside the commune.
     */
    async updatePerson(
      actor: Actor,
      id: string,
      patch: {
        householdId?: string | null;
        unitId?: string | null;
        fullName?: string;
        birthYear?: number | null;
        relation?: string | null;
        inSchool?: boolean | null;
        cdhtGroup?: string | null;
        isWorker?: boolean;
        phone?: string | null;
        version?: number;
      },
    ) {
      await db.transaction(async (tx) => {
        const p = await repo.findPerson(tx, id);
        const deny = () => notFound('Không tìm thấy người này.', 'PERSON_NOT_FOUND');
        if (!p) throw deny();
        const h = p.householdId ? await repo.findHousehold(tx, p.householdId) : undefined;
        const u = p.unitId ? await repo.findOrgUnit(tx, p.unitId) : undefined;
        const readable =
          p.id === actor.personId ||
          (h && canReadHousehold(actor, h)) ||
          (u && canReadPlace(actor, u)) ||
          hasRoleOver(actor, ['officer'], { communeId: p.communeId });
        if (!readable) throw deny();
        const officer = canWriteAt(actor, h ? locOf(h) : { communeId: p.communeId, hamletId: u?.hamletId ?? null });
        const own = (h && actor.householdId === h.id) || (u && u.headUserId === actor.userId);
        if (!officer && !own)
          throw forbidden(
            'Chỉ cán bộ xã, hộ gia đình hoặc thủ trưởng đơn vị mới được sửa thông tin này.',
            'PERSON_NOT_ALLOWED',
          );
        const moves = patch.householdId !== undefined || patch.unitId !== undefined;
        if (moves && !officer)
          throw forbidden('Chỉ cán bộ xã mới được chuyển hộ hoặc đơn vị của một người.', 'PERSON_NOT_ALLOWED');
        if (patch.version !== undefined && patch.version !== p.version) throw lost();
        const next = {
          householdId: patch.householdId !== undefined ? patch.householdId : p.householdId,
          unitId: patch.unitId !== undefined ? patch.unitId : p.unitId,
          fullName: patch.fullName !== undefined ? clean(patch.fullName) : p.fullName,
          birthYear: patch.birthYear !== undefined ? patch.birthYear : p.birthYear,
          relation: patch.relation !== undefined ? (patch.relation ? clean(patch.relation) : null) : p.relation,
          inSchool: patch.inSchool !== undefined ? patch.inSchool : p.inSchool,
          cdhtGroup: patch.cdhtGroup !== undefined ? (patch.cdhtGroup ? clean(patch.cdhtGroup) : null) : p.cdhtGroup,
          isWorker: patch.isWorker ?? p.isWorker,
          phone: patch.phone !== undefined ? phoneOrThrow(patch.phone) : p.phone,
        };
        if (!next.householdId && !next.unitId) throw badRequest(undefined, 'HOUSEHOLD_REQUIRED_FOR_PERSON');
        if (next.householdId && next.householdId !== p.householdId) {
          const target = await readableHousehold(tx, actor, next.householdId);
          if (target.communeId !== p.communeId || !canWriteAt(actor, locOf(target)))
            throw badRequest('Không thể chuyển người sang xã khác.', 'CROSS_COMMUNE_MOVE');
        }
        if (next.unitId && next.unitId !== p.unitId) {
          const target = await readableOrgUnit(tx, actor, next.unitId);
          if (target.communeId !== p.communeId)
            throw badRequest('Không thể chuyển người sang xã khác.', 'CROSS_COMMUNE_MOVE');
        }
        const changed = changedKeys(next, p);
        if (changed.length === 0) return;
        const now = clock.now();
        if (!(await ob.updatePersonVersioned(tx, id, p.version, { ...next, updatedAt: now }))) throw lost();
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'person.update',
          entityType: 'person',
          entityId: id,
          data: { changed },
        });
      });
      const p = (await repo.findPerson(db, id))!;
      return personDto(p, p.id === actor.personId || hasRoleOver(actor, ['officer'], { communeId: p.communeId }));
    },
  };
  return service;
}
