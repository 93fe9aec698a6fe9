import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/actor.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { conflict } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { checkPlace, isUniqueViolation, page, readableOrgUnit } from './guards.ts';
import * as repo from './registry.repo.ts';
import { orgUnitDto } from './registry-dto.ts';
import { placeScopeOf } from './scope.ts';
import { clean } from './text.ts';

/** Organisations (cơ quan, đơn vị) of a commune. */
export function createOrgUnitService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const service = {
    async listOrgUnits(actor: Actor, q: { communeId?: string; cursor?: string; limit: number }) {
      const rows = await repo.listOrgUnits(
        db,
        placeScopeOf(actor),
        q.communeId,
        decodeCursor(q.cursor, 2) as [string, string] | null,
        q.limit,
      );
      const p = page(rows, q.limit, (r) => [r.name, r.id]);
      return { items: p.items.map(orgUnitDto), nextCursor: p.nextCursor };
    },

    async getOrgUnit(actor: Actor, id: string) {
      return orgUnitDto(await readableOrgUnit(db, actor, id));
    },

    async createOrgUnit(
      actor: Actor,
      body: {
        communeId: string;
        hamletId?: string | null;
        name: string;
        type: repo.OrgUnitRow['type'];
        headName: string;
        headUserId?: string | null;
        staffCount: number;
      },
    ) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await checkPlace(tx, actor, body.communeId, body.hamletId ?? null);
        const now = clock.now();
        try {
          await repo.insertOrgUnit(tx, {
            id,
            communeId: body.communeId,
            hamletId: body.hamletId ?? null,
            name: clean(body.name),
            type: body.type,
            headName: clean(body.headName),
            headUserId: body.headUserId ?? null,
            staffCount: body.staffCount,
            createdAt: now,
            updatedAt: now,
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có đơn vị cùng tên.', 'ORG_UNIT_EXISTS');
          throw err;
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'unit.create',
          entityType: 'unit',
          entityId: id,
        });
      });
      return service.getOrgUnit(actor, id);
    },
  };
  return service;
}
