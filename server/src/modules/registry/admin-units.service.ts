import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isUniqueViolation } from './guards.ts';
import * as ob from './onboarding.repo.ts';
import * as repo from './registry.repo.ts';
import { unitDto } from './registry-dto.ts';
import { isAdmin, unitReadable } from './scope.ts';
import { clean, fold, groupKey, hamletKey } from './text.ts';

type Level = repo.AdminUnitRow['level'];
const PARENT_LEVEL: Record<Level, Level | null> = {
  province: null,
  commune: 'province',
  hamlet: 'commune',
  group: 'hamlet',
};
const DEFAULT_KIND: Record<Level, string> = {
  province: 'tỉnh',
  commune: 'xã',
  hamlet: 'ấp',
  group: 'tổ nhân dân tự quản',
};
/** The day the two-tier structure took effect (Resolution 202/2025/QH15). */
export const TWO_TIER_SINCE = '2025-07-01';

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const sameName = (level: Level, a: string, b: string) =>
  level === 'hamlet'
    ? hamletKey(a) === hamletKey(b)
    : level === 'group'
      ? groupKey(a) === groupKey(b)
      : fold(a) === fold(b);

/**
 * Writing the administrative tree. Provinces and communes belong to admins (they come from the
 * official list); hamlets and tổ to the commune's officers. A unit is never deleted: a merger ends
 * the old units (effective_to, merged_into_id) and moves their hamlets, registry and subtree to the
 * successor, each moved hamlet naming its old commune as legacy parent, so the years before stay
 * readable and roll up into the successor (reports/history; honours count by subject id).
 */
export function createAdminUnitService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /** The unit if the caller may write it; 404 if not visible, 403 if visible but not theirs. */
  async function writable(tx: Executor, actor: Actor, id: string) {
    const loc = await repo.locateUnit(tx, id);
    if (!loc || !(await unitReadable(tx, actor, loc.unit)))
      throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
    assertMayWrite(actor, loc.unit.level, loc.commune?.id ?? null);
    return loc;
  }

  function assertMayWrite(actor: Actor, level: Level, communeId: string | null) {
    if (isAdmin(actor)) return;
    if (level === 'province' || level === 'commune') throw forbidden(undefined, 'UNIT_ADMIN_ONLY');
    if (!communeId || !hasRoleOver(actor, ['officer'], { communeId }))
      throw forbidden(undefined, 'UNIT_WRITE_NOT_ALLOWED');
  }

  async function assertNameFree(tx: Executor, level: Level, parentId: string | null, name: string, selfId?: string) {
    const siblings = parentId ? await ob.liveChildren(tx, parentId) : await repo.listRootUnits(tx);
    const clash = siblings.find((s) => s.id !== selfId && s.effectiveTo === null && sameName(level, s.name, name));
    if (clash) throw conflict(`Đã có đơn vị "${clash.name}" cùng tên ở cấp này.`, 'UNIT_NAME_TAKEN');
  }

  const service = {
    async createAdminUnit(
      actor: Actor,
      body: {
        level: Level;
        parentId?: string | null;
        name: string;
        kind?: string;
        code?: string | null;
        effectiveFrom?: string;
      },
    ) {
      const id = randomUUID();
      const name = clean(body.name);
      await db.transaction(async (tx) => {
        let path = `/${id}/`;
        const parentLevel = PARENT_LEVEL[body.level];
        if (parentLevel === null) {
          if (body.parentId) throw badRequest(undefined, 'UNIT_PARENT_INVALID');
          assertMayWrite(actor, body.level, null);
        } else {
          if (!body.parentId) throw badRequest(undefined, 'UNIT_PARENT_INVALID');
          const parent = await repo.locateUnit(tx, body.parentId);
          if (!parent || !(await unitReadable(tx, actor, parent.unit)))
            throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
          if (parent.unit.level !== parentLevel || parent.unit.effectiveTo !== null)
            throw badRequest(undefined, 'UNIT_PARENT_INVALID');
          assertMayWrite(actor, body.level, parent.commune?.id ?? null);
          path = `${parent.unit.path}${id}/`;
        }
        await assertNameFree(tx, body.level, body.parentId ?? null, name);
        const now = clock.now();
        try {
          await ob.insertUnit(tx, {
            id,
            level: body.level,
            kind: body.kind ? clean(body.kind) : DEFAULT_KIND[body.level],
            name,
            code: body.code ?? null,
            parentId: body.parentId ?? null,
            path,
            effectiveFrom: body.effectiveFrom ?? clock.now().toISOString().slice(0, 10),
            createdAt: now,
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(undefined, 'UNIT_CODE_TAKEN');
          throw err;
        }
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'admin_unit.create',
          entityType: 'admin_unit',
          entityId: id,
          data: { level: body.level, code: body.code ?? null },
        });
      });
      return unitDto((await repo.findUnit(db, id))!);
    },

    /** Rename (or re-kind, re-code) in place: the id, and so every past campaign, stays. */
    async updateAdminUnit(actor: Actor, id: string, patch: { name?: string; kind?: string; code?: string | null }) {
      await db.transaction(async (tx) => {
        const { unit } = await writable(tx, actor, id);
        if (unit.effectiveTo !== null) throw conflict(undefined, 'UNIT_ENDED');
        const next = {
          name: patch.name !== undefined ? clean(patch.name) : unit.name,
          kind: patch.kind !== undefined ? clean(patch.kind) : unit.kind,
          code: patch.code !== undefined ? patch.code : unit.code,
        };
        if (next.name === unit.name && next.kind === unit.kind && next.code === unit.code) return;
        if (next.name !== unit.name) await assertNameFree(tx, unit.level, unit.parentId, next.name, unit.id);
        try {
          await ob.updateUnit(tx, id, next);
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(undefined, 'UNIT_CODE_TAKEN');
          throw err;
        }
        await appendAudit(tx, {
          at: clock.now(),
          actorId: actor.userId,
          action: next.name !== unit.name ? 'admin_unit.rename' : 'admin_unit.update',
          entityType: 'admin_unit',
          entityId: id,
          data: { before: { name: unit.name, kind: unit.kind, code: unit.code }, after: next },
        });
      });
      return unitDto((await repo.findUnit(db, id))!);
    },

    /**
     * Merges communes (or provinces) into `targetId` from `effectiveFrom`: each source ends the day
     * before and points at the target; its live children and their subtrees move under the target.
     * A commune with an open campaign cannot be merged (its assessments would change commune midway).
     */
    async mergeAdminUnits(actor: Actor, targetId: string, body: { sourceIds: string[]; effectiveFrom: string }) {
      const result = await db.transaction(async (tx) => {
        const { unit: target } = await writable(tx, actor, targetId);
        if (!isAdmin(actor)) throw forbidden(undefined, 'UNIT_ADMIN_ONLY');
        const ids = [...new Set(body.sourceIds)];
        const sources = await repo.findUnits(tx, ids);
        const ok =
          (target.level === 'commune' || target.level === 'province') &&
          target.effectiveTo === null &&
          sources.length === ids.length &&
          !ids.includes(target.id) &&
          sources.every((s) => s.level === target.level && s.effectiveTo === null) &&
          (target.level === 'province' || sources.every((s) => s.parentId === target.parentId));
        if (!ok) throw badRequest(undefined, 'UNIT_MERGE_INVALID');
        if (target.level === 'commune' && (await ob.openCampaignCount(tx, ids)) > 0)
          throw conflict(undefined, 'UNIT_MERGE_OPEN_CAMPAIGN');
        const end = dayBefore(body.effectiveFrom);
        let movedChildren = 0;
        let movedHouseholds = 0;
        for (const s of sources) {
          await ob.updateUnit(tx, s.id, { effectiveTo: end, mergedIntoId: target.id });
          const fresh = (await repo.findUnit(tx, target.id))!;
          movedChildren += await ob.moveLiveChildren(tx, s, fresh);
          if (target.level === 'commune')
            movedHouseholds += await ob.rehomeCommuneRegistry(tx, s.id, target.id, `${s.name} cũ`);
        }
        await appendAudit(tx, {
          at: clock.now(),
          actorId: actor.userId,
          action: 'admin_unit.merge',
          entityType: 'admin_unit',
          entityId: target.id,
          data: { sourceIds: ids, effectiveFrom: body.effectiveFrom, movedChildren, movedHouseholds },
        });
        return { target, sources, movedChildren, movedHouseholds };
      });
      const after = await repo.findUnits(db, [targetId, ...body.sourceIds]);
      const unit = after.find((u) => u.id === targetId)!;
      return {
        unit: unitDto(unit),
        predecessors: after.filter((u) => u.id !== targetId).map(unitDto),
        movedChildren: result.movedChildren,
        movedHouseholds: result.movedHouseholds,
        message: `Đã sáp nhập ${result.sources.map((s) => s.name).join(', ')} vào ${unit.name} từ ngày ${body.effectiveFrom}.`,
      };
    },
  };
  return service;
}
