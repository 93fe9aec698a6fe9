import type { Executor } from '../../db/types.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { encodeCursor } from '../../lib/cursor.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import * as repo from './registry.repo.ts';
import { canReadHousehold, canReadPlace, canWriteAt } from './scope.ts';
import { clean, normalizePhone } from './text.ts';

/** Checks shared by the registry services: readable/writable places, phone and clan checks, paging. */

export async function readableHousehold(executor: Executor, actor: Actor, id: string) {
  const h = await repo.findHousehold(executor, id);
  if (!h || !canReadHousehold(actor, h)) throw notFound('Không tìm thấy hộ gia đình.', 'HOUSEHOLD_NOT_FOUND');
  return h;
}

/** A tổ (group) the officer may place households in. */
export async function writableGroup(executor: Executor, actor: Actor, groupId: string) {
  const loc = await repo.locateUnit(executor, groupId);
  if (!loc || loc.unit.level !== 'group' || !loc.commune || !loc.hamlet)
    throw notFound('Không tìm thấy tổ.', 'GROUP_NOT_FOUND');
  const where = { communeId: loc.commune.id, hamletId: loc.hamlet.id, groupId: loc.unit.id };
  if (!canWriteAt(actor, where)) {
    if (hasRoleOver(actor, ['leader', 'hamlet_head', 'officer', 'province_viewer'], where))
      throw forbidden('Chỉ cán bộ xã mới được sửa danh sách hộ.');
    throw notFound('Không tìm thấy tổ.', 'GROUP_NOT_FOUND');
  }
  return loc;
}

export async function checkClan(executor: Executor, clanId: string | null | undefined, communeId: string) {
  if (!clanId) return;
  const c = await repo.findClan(executor, clanId);
  if (!c || c.communeId !== communeId) throw badRequest('Dòng họ không thuộc xã này.', 'CLAN_NOT_IN_COMMUNE');
}

export function phoneOrThrow(phone: string | null | undefined): string | null {
  const p = normalizePhone(phone);
  if (p === false) throw badRequest(`Số điện thoại "${clean(phone)}" không hợp lệ.`, 'PHONE_INVALID');
  return p;
}

export async function checkPlace(executor: Executor, actor: Actor, communeId: string, hamletId: string | null) {
  const commune = await repo.findUnit(executor, communeId);
  if (!commune || commune.level !== 'commune' || !canWriteAt(actor, { communeId }))
    throw notFound('Không tìm thấy xã.', 'UNIT_NOT_FOUND');
  if (hamletId) {
    const h = await repo.findUnit(executor, hamletId);
    if (!h || h.level !== 'hamlet' || h.parentId !== communeId)
      throw badRequest('Ấp không thuộc xã này.', 'HAMLET_NOT_IN_COMMUNE');
  }
}

export function page<T>(rows: T[], limit: number, key: (r: T) => (string | number)[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(key(last)) : null };
}

export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function readableOrgUnit(executor: Executor, actor: Actor, id: string) {
  const u = await repo.findOrgUnit(executor, id);
  if (!u || !canReadPlace(actor, u)) throw notFound('Không tìm thấy đơn vị.', 'ORG_UNIT_NOT_FOUND');
  return u;
}
