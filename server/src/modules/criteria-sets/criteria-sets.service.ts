import { parseCriteriaSet, type CriteriaSet } from '@hoctap/shared';
import { catalog, getCatalogSet } from '@hoctap/shared/catalog';
import type { CriteriaSetDetailDto, CriteriaSetSummaryDto } from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import { communesOf, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import {
  findCriteriaSet,
  findCriteriaSetBodies,
  insertCriteriaSet,
  listCriteriaSets,
  replaceUnusedCriteriaSet,
  type CriteriaSetRow,
} from './criteria-sets.repo.ts';
import { upsertCatalogSets } from './criteria-sets.repo.ts';

const IN_USE_MESSAGE = 'Bộ tiêu chí đã được dùng cho đợt đánh giá, hãy tạo phiên bản mới';

const isAdmin = (actor: Actor) => actor.roles.some((g) => g.role === 'admin');

function summary(
  r: Pick<CriteriaSetRow, 'id' | 'subjectType' | 'version' | 'title' | 'source' | 'ownerUnitId' | 'createdAt'> & {
    inUse: boolean;
  },
): CriteriaSetSummaryDto {
  return {
    id: r.id,
    subjectType: r.subjectType as CriteriaSetSummaryDto['subjectType'],
    version: r.version,
    title: r.title,
    source: r.source,
    ownerUnitId: r.ownerUnitId,
    inUse: Boolean(r.inUse),
    createdAt: r.createdAt.toISOString(),
  };
}

/** Every `path: message` of a parse failure, in one 400 so the officer fixes the file in one pass. */
function invalidSet(errors: { path: string; message: string }[]): AppError {
  return badRequest(
    `Bộ tiêu chí không hợp lệ — ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    'CRITERIA_SET_INVALID',
  );
}

export function createCriteriaSetService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  // Parsed uploaded sets, by id. Only sets referenced by a campaign are scored, and those are
  // immutable, so a cached parse can never go stale (catalog sets come from the frozen catalog).
  const parsed = new Map<string, CriteriaSet>();

  function ownerUnitFor(actor: Actor, requested: string | undefined): string | null {
    if (isAdmin(actor)) return requested ?? null;
    const communes = communesOf(actor, OFFICER_ROLES);
    if (communes.length === 0) throw forbidden('Chỉ cán bộ xã hoặc quản trị viên được tải lên bộ tiêu chí.');
    if (requested) {
      if (!communes.includes(requested)) throw forbidden('Bạn chỉ được tải bộ tiêu chí cho xã mình phụ trách.');
      return requested;
    }
    if (communes.length > 1)
      throw badRequest('Bạn phụ trách nhiều xã: hãy chọn xã (ownerUnitId).', 'OWNER_UNIT_REQUIRED');
    return communes[0]!;
  }

  return {
    /** Upserts the shipped catalog (source 'catalog'); runs at start and in every test app. */
    async syncCatalog(): Promise<void> {
      await upsertCatalogSets(
        db,
        catalog.map((s) => ({
          id: s.id,
          subjectType: s.subjectType,
          version: String(s.version),
          title: s.title,
          body: s,
          source: 'catalog' as const,
        })),
      );
    },

    async list(_actor: Actor, subjectType?: string) {
      return { items: (await listCriteriaSets(db, subjectType)).map(summary) };
    },

    async get(_actor: Actor, id: string): Promise<CriteriaSetDetailDto> {
      const row = await findCriteriaSet(db, id);
      if (!row) throw notFound('Không tìm thấy bộ tiêu chí.');
      return { ...summary(row), body: row.body };
    },

    async upload(actor: Actor, json: unknown, requestedOwner: string | undefined): Promise<CriteriaSetDetailDto> {
      const ownerUnitId = ownerUnitFor(actor, requestedOwner);
      const r = parseCriteriaSet(json);
      if (!r.ok) throw invalidSet(r.errors);
      const set = r.set;
      if (getCatalogSet(set.id))
        throw conflict('Mã bộ tiêu chí trùng với bộ tiêu chí quốc gia, hãy đặt mã khác.', 'CRITERIA_SET_EXISTS');
      const now = clock.now();
      await db.transaction(async (tx) => {
        const ok = await insertCriteriaSet(tx, {
          id: set.id,
          subjectType: set.subjectType,
          version: String(set.version),
          title: set.title,
          body: set,
          source: 'uploaded',
          ownerUnitId,
          uploadedBy: actor.userId,
          createdAt: now,
        });
        if (!ok) throw conflict('Mã bộ tiêu chí đã tồn tại, hãy đặt mã khác hoặc sửa bộ đã có.', 'CRITERIA_SET_EXISTS');
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'criteria_set.uploaded',
          entityType: 'criteria_set',
          entityId: set.id,
          data: { ownerUnitId },
        });
      });
      return this.get(actor, set.id);
    },

    async replace(actor: Actor, id: string, json: unknown): Promise<CriteriaSetDetailDto> {
      const existing = await findCriteriaSet(db, id);
      if (!existing) throw notFound('Không tìm thấy bộ tiêu chí.');
      if (existing.source === 'catalog')
        throw forbidden('Bộ tiêu chí quốc gia không sửa được; hãy tải lên bộ điều chỉnh với mã mới.');
      if (!isAdmin(actor)) {
        const communes = communesOf(actor, OFFICER_ROLES);
        if (!existing.ownerUnitId || !communes.includes(existing.ownerUnitId))
          throw notFound('Không tìm thấy bộ tiêu chí.');
      }
      if (existing.inUse) throw conflict(IN_USE_MESSAGE, 'CRITERIA_SET_IN_USE');
      const r = parseCriteriaSet(json);
      if (!r.ok) throw invalidSet(r.errors);
      if (r.set.id !== id)
        throw badRequest(
          `Mã trong tệp (${r.set.id}) khác mã bộ tiêu chí đang sửa (${id}).`,
          'CRITERIA_SET_ID_MISMATCH',
        );
      const now = clock.now();
      await db.transaction(async (tx) => {
        const ok = await replaceUnusedCriteriaSet(tx, id, {
          body: r.set,
          title: r.set.title,
          version: String(r.set.version),
          subjectType: r.set.subjectType,
        });
        // A campaign may have started using it between the read and this write.
        if (!ok) throw conflict(IN_USE_MESSAGE, 'CRITERIA_SET_IN_USE');
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'criteria_set.replaced',
          entityType: 'criteria_set',
          entityId: id,
        });
      });
      parsed.delete(id);
      return this.get(actor, id);
    },

    /** The parsed set for scoring (catalog or uploaded). Throws if absent or invalid. */
    async load(executor: Executor, id: string): Promise<CriteriaSet> {
      const fromCatalog = getCatalogSet(id);
      if (fromCatalog) return fromCatalog;
      const cached = parsed.get(id);
      if (cached) return cached;
      const [row] = await findCriteriaSetBodies(executor, [id]);
      if (!row) throw notFound('Không tìm thấy bộ tiêu chí.');
      const r = parseCriteriaSet(row.body);
      if (!r.ok) throw invalidSet(r.errors);
      parsed.set(id, r.set);
      return r.set;
    },

    /** Existence + subject type of several ids (campaign creation). */
    async describe(executor: Executor, ids: string[]) {
      return findCriteriaSetBodies(executor, ids);
    },
  };
}

export type CriteriaSetService = ReturnType<typeof createCriteriaSetService>;
