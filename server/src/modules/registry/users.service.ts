import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { findUnits } from './registry.repo.ts';
import { isAdmin } from './scope.ts';
import { fold, maskPhone } from './text.ts';
import { listUserCandidates } from './users.repo.ts';

/**
 * Whom an officer may appoint (the console's account picker, docs/onboarding.md §6): an officer
 * sees the accounts tied to their commune (a linked household or person, or a role under it); an
 * admin every account, so that a newly signed-in commune officer can be found. Nobody else lists
 * accounts. Phones are masked: the list is for telling namesakes apart, not for calling.
 */
export function createUserPickService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async listUsers(actor: Actor, q: { communeId?: string | undefined; q?: string | undefined; limit: number }) {
      const admin = isAdmin(actor);
      const officerOf = actor.roles
        .filter((g) => g.role === 'officer' && g.unitLevel === 'commune')
        .map((g) => g.unitId);
      if (!admin && officerOf.length === 0)
        throw forbidden('Chỉ cán bộ xã và quản trị hệ thống xem được danh sách tài khoản.');
      let communeIds = officerOf;
      if (q.communeId) {
        if (!admin && !officerOf.includes(q.communeId))
          throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
        communeIds = [q.communeId];
      }
      const all = admin && !q.communeId;
      const communes = all ? [] : (await findUnits(db, communeIds)).filter((u) => u.level === 'commune');
      if (!all && communes.length === 0) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
      const text = q.q?.trim() ?? '';
      let digits = text.replace(/\D/g, '');
      if (digits.startsWith('84')) digits = `0${digits.slice(2)}`;
      const rows = await listUserCandidates(
        db,
        { all, communeIds: communes.map((c) => c.id), communePaths: communes.map((c) => c.path) },
        {
          ...(fold(text) && /\p{L}/u.test(text) ? { foldedNeedle: fold(text) } : {}),
          ...(digits.length >= 3 ? { digits } : {}),
          limit: q.limit,
        },
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          displayName: r.displayName,
          phone: maskPhone(r.phone),
          householdId: r.householdId,
          householdLabel: r.householdId
            ? ['Hộ ' + (r.headName ?? ''), r.groupName, r.hamletName].filter(Boolean).join(' · ')
            : null,
          personId: r.personId,
          personName: r.personName,
        })),
      };
    },
  };
}
