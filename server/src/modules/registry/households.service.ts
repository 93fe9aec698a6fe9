import { randomUUID } from 'node:crypto';
import type { HouseholdDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/actor.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { checkClan, page, phoneOrThrow, readableHousehold, writableGroup } from './guards.ts';
import * as repo from './registry.repo.ts';
import { householdDto } from './registry-dto.ts';
import { canReadPlace, canWriteAt, householdScopeOf, locOf, unitReadable } from './scope.ts';
import { clean, fold, householdKey } from './text.ts';

/** The commune's household list: read in scope, created and edited by officers. */
export function createHouseholdService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const service = {
    async listHouseholds(
      actor: Actor,
      q: { unitId?: string; clanId?: string; q?: string; cursor?: string; limit: number },
    ) {
      let filter: ReturnType<typeof repo.householdsUnder> | undefined;
      if (q.unitId) {
        const u = await repo.findUnit(db, q.unitId);
        if (!u || !(await unitReadable(db, actor, u)))
          throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
        filter = repo.householdsUnder(u);
      }
      if (q.clanId) {
        const c = await repo.findClan(db, q.clanId);
        if (!c || !canReadPlace(actor, c)) throw notFound('Không tìm thấy dòng họ.', 'CLAN_NOT_FOUND');
      }
      const needle = fold(q.q);
      const after = decodeCursor(q.cursor, 2) as [string, string] | null;
      const rows = await repo.listHouseholds(db, {
        scope: repo.householdScopeSql(householdScopeOf(actor)),
        filter,
        clan: q.clanId ? repo.householdsOfClan(q.clanId) : undefined,
        q: needle ? repo.headNameMatches(needle) : undefined,
        after,
        limit: q.limit,
      });
      const p = page(rows, q.limit, (r) => [r.h.headName, r.h.id]);
      return {
        items: p.items.map((r) =>
          householdDto(
            actor,
            r.h,
            new Map([
              [r.h.hamletId, r.hamletName],
              [r.h.groupId, r.groupName],
            ]),
          ),
        ),
        nextCursor: p.nextCursor,
      };
    },

    async getHousehold(actor: Actor, id: string): Promise<HouseholdDto> {
      const h = await readableHousehold(db, actor, id);
      return householdDto(actor, h, await repo.unitNames(db, [h.hamletId, h.groupId]));
    },

    async createHousehold(
      actor: Actor,
      body: {
        groupId: string;
        headName: string;
        address: string;
        memberCount: number;
        phone?: string | null;
        clanId?: string | null;
        code?: string;
      },
    ): Promise<HouseholdDto> {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const loc = await writableGroup(tx, actor, body.groupId);
        await checkClan(tx, body.clanId, loc.commune!.id);
        const headName = clean(body.headName);
        const address = clean(body.address);
        const externalKey = householdKey({
          code: body.code,
          hamletName: loc.hamlet!.name,
          groupName: loc.unit.name,
          headName,
          address,
        });
        if (await repo.findHouseholdByKey(tx, loc.commune!.id, externalKey)) {
          throw conflict(
            'Hộ này đã có trong danh sách của xã (trùng mã hộ hoặc trùng chủ hộ và địa chỉ).',
            'HOUSEHOLD_EXISTS',
          );
        }
        const now = clock.now();
        await repo.insertHousehold(tx, {
          id,
          communeId: loc.commune!.id,
          hamletId: loc.hamlet!.id,
          groupId: loc.unit.id,
          headName,
          address,
          memberCount: body.memberCount,
          phone: phoneOrThrow(body.phone),
          clanId: body.clanId ?? null,
          externalKey,
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'household.create',
          entityType: 'household',
          entityId: id,
        });
      });
      return service.getHousehold(actor, id);
    },

    async updateHousehold(
      actor: Actor,
      id: string,
      patch: {
        groupId?: string;
        headName?: string;
        address?: string;
        memberCount?: number;
        phone?: string | null;
        clanId?: string | null;
      },
    ): Promise<HouseholdDto> {
      await db.transaction(async (tx) => {
        const h = await readableHousehold(tx, actor, id);
        if (!canWriteAt(actor, locOf(h))) throw forbidden('Chỉ cán bộ xã mới được sửa thông tin hộ.');
        const loc = await writableGroup(tx, actor, patch.groupId ?? h.groupId);
        if (loc.commune!.id !== h.communeId)
          throw badRequest('Không thể chuyển hộ sang xã khác.', 'CROSS_COMMUNE_MOVE');
        if (patch.clanId !== undefined) await checkClan(tx, patch.clanId, h.communeId);
        const next = {
          groupId: loc.unit.id,
          hamletId: loc.hamlet!.id,
          headName: patch.headName !== undefined ? clean(patch.headName) : h.headName,
          address: patch.address !== undefined ? clean(patch.address) : h.address,
          memberCount: patch.memberCount ?? h.memberCount,
          phone: patch.phone !== undefined ? phoneOrThrow(patch.phone) : h.phone,
          clanId: patch.clanId !== undefined ? patch.clanId : h.clanId,
        };
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== h[k]);
        if (changed.length === 0) return;
        // A derived key follows the data it is derived from; a "mã hộ" key never changes.
        let externalKey = h.externalKey;
        if (externalKey.startsWith('k:')) {
          externalKey = householdKey({
            hamletName: loc.hamlet!.name,
            groupName: loc.unit.name,
            headName: next.headName,
            address: next.address,
          });
          const other = await repo.findHouseholdByKey(tx, h.communeId, externalKey);
          if (other && other.id !== h.id)
            throw conflict('Đã có hộ khác cùng chủ hộ và địa chỉ trong tổ này.', 'HOUSEHOLD_EXISTS');
        }
        const now = clock.now();
        await repo.updateHousehold(tx, id, { ...next, externalKey, updatedAt: now });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'household.update',
          entityType: 'household',
          entityId: id,
          data: { fields: changed },
        });
      });
      return service.getHousehold(actor, id);
    },
  };
  return service;
}
