import type { Db } from '../../db/types.ts';
import { communesOf, type Actor } from '../../lib/actor.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { findUnit } from '../registry/registry.repo.ts';
import { isAdmin } from '../registry/scope.ts';

/**
 * The commune a list is imported into: the one asked for if the actor is its officer (or an
 * admin), else the officer's only commune. One rule for the household and the person lists.
 */
export async function importCommuneFor(db: Db, actor: Actor, requested: string | undefined) {
  const mine = communesOf(actor, ['officer']);
  let id = requested;
  if (id) {
    if (!isAdmin(actor) && !mine.includes(id)) throw notFound('Không tìm thấy xã.', 'UNIT_NOT_FOUND');
  } else if (mine.length === 1) id = mine[0];
  else if (mine.length === 0 && !isAdmin(actor))
    throw notFound('Bạn không phụ trách xã nào để nhập danh sách.', 'NOT_AN_OFFICER');
  else throw badRequest('Bạn phụ trách nhiều xã: hãy chọn xã (communeId).', 'COMMUNE_REQUIRED');
  const commune = await findUnit(db, id!);
  if (!commune || commune.level !== 'commune') throw notFound('Không tìm thấy xã.', 'UNIT_NOT_FOUND');
  return commune;
}
