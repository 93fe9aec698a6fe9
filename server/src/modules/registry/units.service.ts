import type { AdminUnitDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import * as repo from './registry.repo.ts';
import { unitDto } from './registry-dto.ts';
import { unitReadable, unitVisibilityOf, unitVisible } from './scope.ts';

/** Administrative units (province, commune, hamlet, tổ) the caller may see. */
export function createUnitService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const today = () => clock.now().toISOString().slice(0, 10);

  const service = {
    async getUnit(actor: Actor, id: string): Promise<AdminUnitDto> {
      const u = await repo.findUnit(db, id);
      if (!u || !(await unitReadable(db, actor, u)))
        throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
      return unitDto(u);
    },

    /** Children of `parentId` the caller may see; without it, where the caller's view starts. */
    async listUnits(actor: Actor, parentId: string | undefined) {
      const v = await unitVisibilityOf(db, actor);
      if (!parentId) {
        const rows = v.all ? await repo.listRootUnits(db) : await repo.findUnits(db, v.startIds);
        rows.sort((a, b) => a.path.length - b.path.length || a.name.localeCompare(b.name, 'vi'));
        return { items: rows.map(unitDto) };
      }
      const parent = await repo.findUnit(db, parentId);
      if (!parent || !unitVisible(v, parent)) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
      const rows = await repo.listChildUnits(
        db,
        parentId,
        today(),
        v.all ? undefined : repo.unitVisibleSql(v.prefixes, v.ids),
      );
      return { items: rows.map(unitDto) };
    },
  };
  return service;
}
