import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { resolveActing } from './assisted.ts';
import { page, phoneOrThrow, readableHousehold, readableOrgUnit } from './guards.ts';
import * as repo from './registry.repo.ts';
import { personDto } from './registry-dto.ts';
import { canReadHousehold, canReadPlace, canWriteAt, locOf } from './scope.ts';
import { clean } from './text.ts';

const fullPhone = (actor: Actor, p: { id: string; communeId: string }) =>
  p.id === actor.personId || hasRoleOver(actor, ['officer'], { communeId: p.communeId });

/** Persons: household members and organisation staff. */
export function createPersonService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const service = {
    async listPersons(actor: Actor, q: { householdId?: string; unitId?: string; cursor?: string; limit: number }) {
      if (!!q.householdId === !!q.unitId)
        throw badRequest('Cần chọn đúng một hộ (householdId) hoặc một đơn vị (unitId).', 'PERSON_FILTER_REQUIRED');
      if (q.householdId) await readableHousehold(db, actor, q.householdId);
      if (q.unitId) await readableOrgUnit(db, actor, q.unitId);
      const rows = await repo.listPersons(db, q, decodeCursor(q.cursor, 2) as [string, string] | null, q.limit);
      const p = page(rows, q.limit, (r) => [r.fullName, r.id]);
      return { items: p.items.map((r) => personDto(r, fullPhone(actor, r))), nextCursor: p.nextCursor };
    },

    async getPerson(actor: Actor, id: string) {
      const p = await repo.findPerson(db, id);
      const deny = () => notFound('Không tìm thấy người này.', 'PERSON_NOT_FOUND');
      if (!p) throw deny();
      if (p.id !== actor.personId) {
        if (p.householdId) {
          const h = await repo.findHousehold(db, p.householdId);
          if (!h || !canReadHousehold(actor, h)) throw deny();
        } else if (p.unitId) {
          const u = await repo.findOrgUnit(db, p.unitId);
          if (!u || !canReadPlace(actor, u)) throw deny();
        } else if (!hasRoleOver(actor, ['officer'], { communeId: p.communeId })) throw deny();
      }
      return personDto(p, fullPhone(actor, p));
    },

    /**
     * Officers add persons anywhere in their commune; a household adds its own members, and a tổ
     * leader may do so for a household of their tổ in assisted mode (`actFor`), which is audited
     * with both identities. Unit heads add their staff.
     */
    async createPerson(
      actor: Actor,
      body: {
        householdId?: string;
        unitId?: string;
        fullName: string;
        birthYear?: number | null;
        relation?: string | null;
        inSchool?: boolean | null;
        cdhtGroup?: string | null;
        isWorker: boolean;
        phone?: string | null;
      },
      actFor?: string | null,
    ) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const acting = await resolveActing(tx, actor, actFor);
        let communeId: string;
        if (body.householdId) {
          const h = await readableHousehold(tx, actor, body.householdId);
          if (!(acting.householdId === h.id || canWriteAt(actor, locOf(h)))) {
            throw forbidden(
              'Bạn chỉ được thêm thành viên cho hộ của mình (hoặc dùng chế độ hỗ trợ hộ).',
              'PERSON_NOT_ALLOWED',
            );
          }
          communeId = h.communeId;
        } else {
          const u = await repo.findOrgUnit(tx, body.unitId!);
          if (!u || !canReadPlace(actor, u)) throw notFound('Không tìm thấy đơn vị.', 'ORG_UNIT_NOT_FOUND');
          if (!(u.headUserId === actor.userId || canWriteAt(actor, { communeId: u.communeId, hamletId: u.hamletId }))) {
            throw forbidden('Chỉ thủ trưởng đơn vị hoặc cán bộ xã mới được thêm nhân sự.', 'PERSON_NOT_ALLOWED');
          }
          communeId = u.communeId;
        }
        const now = clock.now();
        await repo.insertPerson(tx, {
          id,
          communeId,
          householdId: body.householdId ?? null,
          unitId: body.unitId ?? null,
          fullName: clean(body.fullName),
          birthYear: body.birthYear ?? null,
          relation: body.relation ? clean(body.relation) : null,
          inSchool: body.inSchool ?? null,
          cdhtGroup: body.cdhtGroup ? clean(body.cdhtGroup) : null,
          isWorker: body.isWorker,
          phone: phoneOrThrow(body.phone),
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          onBehalfOf: acting.onBehalfOf,
          action: 'person.create',
          entityType: 'person',
          entityId: id,
        });
      });
      const p = await repo.findPerson(db, id);
      return personDto(p!, fullPhone(actor, p!));
    },
  };
  return service;
}
