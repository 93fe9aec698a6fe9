import { randomUUID } from 'node:crypto';
import type { Role } from '../../db/schema/index.ts';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import * as repo from './registry.repo.ts';
import { isAdmin } from './scope.ts';

const LEVEL_FOR_ROLE: Record<Role, readonly string[]> = {
  leader: ['group', 'hamlet'],
  hamlet_head: ['hamlet'],
  officer: ['commune'],
  province_viewer: ['province'],
  admin: ['province', 'commune', 'hamlet', 'group'],
};
/** Roles a commune officer may appoint and revoke inside their commune; the rest need an admin. */
const OFFICER_APPOINTS: readonly Role[] = ['leader', 'hamlet_head'];

/** Role assignments: admins manage every role, officers the leaders and hamlet heads of their commune. */
export function createRoleService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /** Admins manage every role; officers manage leaders and hamlet heads inside their commune. */
  async function mayManageRole(
    actor: Actor,
    role: Role,
    loc: NonNullable<Awaited<ReturnType<typeof repo.locateUnit>>>,
  ) {
    if (isAdmin(actor)) return;
    const communeId = loc.commune?.id;
    const officerHere = !!communeId && hasRoleOver(actor, ['officer'], { communeId });
    if (!officerHere) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
    if (!OFFICER_APPOINTS.includes(role))
      throw forbidden('Chỉ quản trị hệ thống mới được bổ nhiệm cán bộ xã hoặc cấp tỉnh.', 'ROLE_NOT_ALLOWED');
  }

  const service = {
    async listRoleAssignments(actor: Actor, q: { unitId?: string; userId?: string }) {
      let prefixes: string[] | 'all' = 'all';
      if (!isAdmin(actor)) {
        const grantUnits = await repo.findUnits(
          db,
          actor.roles.filter((g) => g.role === 'officer' || g.role === 'province_viewer').map((g) => g.unitId),
        );
        prefixes = grantUnits.map((u) => u.path);
      }
      const rows = await repo.listRoleAssignments(db, { prefixes, selfId: actor.userId, ...q });
      return {
        items: rows.map((r) => ({
          id: r.ra.id,
          userId: r.ra.userId,
          userDisplayName: r.userDisplayName,
          role: r.ra.role,
          unitId: r.ra.unitId,
          unitLevel: r.unitLevel,
          unitName: r.unitName,
          createdAt: r.ra.createdAt.toISOString(),
        })),
      };
    },

    async grantRole(actor: Actor, body: { userId: string; role: Role; unitId: string }) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const loc = await repo.locateUnit(tx, body.unitId);
        if (!loc) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
        await mayManageRole(actor, body.role, loc);
        if (!LEVEL_FOR_ROLE[body.role].includes(loc.unit.level)) {
          throw badRequest(`Vai trò này không gán được cho cấp "${loc.unit.kind}".`, 'ROLE_LEVEL_MISMATCH');
        }
        if (!(await repo.findUserById(tx, body.userId))) throw notFound('Không tìm thấy người dùng.', 'USER_NOT_FOUND');
        if (await repo.findActiveAssignment(tx, body.userId, body.role, body.unitId)) {
          throw conflict('Người này đã giữ vai trò đó ở đơn vị này.', 'ROLE_EXISTS');
        }
        const now = clock.now();
        await repo.insertRoleAssignment(tx, {
          id,
          userId: body.userId,
          role: body.role,
          unitId: body.unitId,
          createdBy: actor.userId,
          createdAt: now,
        });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'role.grant',
          entityType: 'role_assignment',
          entityId: id,
          data: { userId: body.userId, role: body.role, unitId: body.unitId },
        });
      });
      const list = await service.listRoleAssignments(actor, { userId: body.userId, unitId: body.unitId });
      return list.items.find((r) => r.id === id)!;
    },

    async revokeRole(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const ra = await repo.findRoleAssignment(tx, id);
        const loc = ra && !ra.revokedAt ? await repo.locateUnit(tx, ra.unitId) : null;
        if (!ra || !loc) throw notFound('Không tìm thấy phân công này.', 'ROLE_NOT_FOUND');
        await mayManageRole(actor, ra.role, loc);
        const now = clock.now();
        if (!(await repo.revokeRoleAssignment(tx, id, actor.userId, now)))
          throw notFound('Không tìm thấy phân công này.', 'ROLE_NOT_FOUND');
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'role.revoke',
          entityType: 'role_assignment',
          entityId: id,
          data: { userId: ra.userId, role: ra.role, unitId: ra.unitId },
        });
      });
    },
  };
  return service;
}
