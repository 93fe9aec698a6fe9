import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/actor.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { checkPlace, isUniqueViolation, page } from './guards.ts';
import * as repo from './registry.repo.ts';
import { clanDto } from './registry-dto.ts';
import { canReadPlace, placeScopeOf } from './scope.ts';
import { clean } from './text.ts';

/** Clans (dòng họ) of a commune. */
export function createClanService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const service = {
    async listClans(actor: Actor, q: { communeId?: string; cursor?: string; limit: number }) {
      const rows = await repo.listClans(
        db,
        placeScopeOf(actor),
        q.communeId,
        decodeCursor(q.cursor, 2) as [string, string] | null,
        q.limit,
      );
      const p = page(rows, q.limit, (r) => [r.c.name, r.c.id]);
      return {
        items: p.items.map((r) => ({ ...clanDto(r.c), householdCount: r.householdCount })),
        nextCursor: p.nextCursor,
      };
    },

    async getClan(actor: Actor, id: string) {
      const c = await repo.findClan(db, id);
      if (!c || !canReadPlace(actor, c)) throw notFound('Không tìm thấy dòng họ.', 'CLAN_NOT_FOUND');
      return { ...clanDto(c), householdCount: await repo.clanHouseholdCount(db, id) };
    },

    async createClan(
      actor: Actor,
      body: { communeId: string; hamletId?: string | null; name: string; headName: string; headUserId?: string | null },
    ) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await checkPlace(tx, actor, body.communeId, body.hamletId ?? null);
        const now = clock.now();
        try {
          await repo.insertClan(tx, {
            id,
            communeId: body.communeId,
            hamletId: body.hamletId ?? null,
            name: clean(body.name),
            headName: clean(body.headName),
            headUserId: body.headUserId ?? null,
            createdAt: now,
            updatedAt: now,
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có dòng họ cùng tên.', 'CLAN_EXISTS');
          throw err;
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'clan.create',
          entityType: 'clan',
          entityId: id,
        });
      });
      return service.getClan(actor, id);
    },
  };
  return service;
}
