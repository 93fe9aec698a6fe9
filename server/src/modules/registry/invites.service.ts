import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isUniqueViolation, readableHousehold } from './guards.ts';
import * as repo from './registry.repo.ts';
import * as ob from './onboarding.repo.ts';
import { canReadHousehold, canReadPlace, locOf } from './scope.ts';
import { normalizePhone } from './text.ts';

/** Unambiguous alphabet for invite codes: no 0/O, 1/I/L. 31^8 ≈ 8.5e11 codes. */
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_LENGTH = 8;
export const INVITE_TTL_DAYS = 14;

export const hashInviteCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');
export const normalizeInviteCode = (code: string) => code.toUpperCase().replace(/[\s\-_.]/g, '');

/** Linking a Zalo account to its household: invite codes from the leader, or a phone match. */
export function createInviteService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function linkResult(householdId: string | null, personId: string | null = null) {
    const person = personId ? await repo.findPerson(db, personId) : undefined;
    const h = householdId ? await repo.findHousehold(db, householdId) : undefined;
    const names = h ? await repo.unitNames(db, [h.hamletId, h.groupId]) : new Map<string, string>();
    return {
      householdId: h?.id ?? null,
      headName: h?.headName ?? '',
      hamletName: h ? (names.get(h.hamletId) ?? '') : '',
      groupName: h ? (names.get(h.groupId) ?? '') : '',
      personId: person?.id ?? null,
      personName: person?.fullName ?? null,
    };
  }

  function newCode() {
    return Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
  }

  function issued(id: string, code: string, expiresAt: Date, householdId: string | null, personId: string | null) {
    return {
      id,
      householdId,
      personId,
      code,
      expiresAt: expiresAt.toISOString(),
      qrPayload: `hoctap://invite/${code}`,
      deepLinkPath: `/invite?code=${code}`,
    };
  }

  /** Links the caller to the invite's person (and the person's household when the caller has none). */
  async function linkPerson(tx: Executor, actor: Actor, personId: string, now: Date) {
    const person = await repo.findPerson(tx, personId);
    if (!person) throw notFound('Không tìm thấy người này.', 'PERSON_NOT_FOUND');
    const user = await repo.findUserById(tx, actor.userId);
    if (user?.personId && user.personId !== person.id) throw conflict(undefined, 'ACCOUNT_HAS_PERSON');
    if (await ob.userLinkedToPerson(tx, person.id, actor.userId)) throw conflict(undefined, 'PERSON_ALREADY_LINKED');
    if (person.householdId && user?.householdId && user.householdId !== person.householdId)
      throw conflict(
        'Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.',
        'ALREADY_LINKED',
      );
    try {
      await ob.linkUserToPerson(tx, actor.userId, person.id, user?.householdId ? null : person.householdId, now);
    } catch (err) {
      // users_person_uq: another claim for the same person committed first.
      if (isUniqueViolation(err)) throw conflict(undefined, 'PERSON_ALREADY_LINKED');
      throw err;
    }
    return person;
  }

  const service = {
    async issueInvite(actor: Actor, householdId: string) {
      const code = newCode();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000);
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const h = await readableHousehold(tx, actor, householdId);
        if (!hasRoleOver(actor, ['leader', 'officer'], locOf(h))) {
          throw forbidden('Chỉ tổ trưởng của tổ hoặc cán bộ xã mới được cấp mã mời.', 'INVITE_NOT_ALLOWED');
        }
        await repo.insertInvite(tx, {
          id,
          codeHash: hashInviteCode(code),
          householdId,
          issuedBy: actor.userId,
          expiresAt,
          createdAt: now,
        });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'invite.issue',
          entityType: 'household',
          entityId: householdId,
          data: { inviteId: id },
        });
      });
      return issued(id, code, expiresAt, householdId, null);
    },

    /**
     * A code for one person (a citizen self-assessing Công dân học tập, or unit staff): officers of
     * the commune, the tổ leader of the person's household, or the head of the person's unit.
     */
    async issuePersonInvite(actor: Actor, personId: string) {
      const code = newCode();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000);
      const id = randomUUID();
      let householdId: string | null = null;
      await db.transaction(async (tx) => {
        const p = await repo.findPerson(tx, personId);
        const deny = () => notFound('Không tìm thấy người này.', 'PERSON_NOT_FOUND');
        if (!p) throw deny();
        const h = p.householdId ? await repo.findHousehold(tx, p.householdId) : undefined;
        const u = p.unitId ? await repo.findOrgUnit(tx, p.unitId) : undefined;
        const officer = hasRoleOver(actor, ['officer'], { communeId: p.communeId });
        const readable = officer || (h && canReadHousehold(actor, h)) || (u && canReadPlace(actor, u));
        if (!readable) throw deny();
        const allowed =
          officer || (h && hasRoleOver(actor, ['leader'], locOf(h))) || (u && u.headUserId === actor.userId);
        if (!allowed)
          throw forbidden(
            'Chỉ cán bộ xã, tổ trưởng của hộ hoặc thủ trưởng đơn vị mới được cấp mã mời.',
            'INVITE_NOT_ALLOWED',
          );
        householdId = p.householdId;
        await repo.insertInvite(tx, {
          id,
          codeHash: hashInviteCode(code),
          householdId: p.householdId,
          personId,
          issuedBy: actor.userId,
          expiresAt,
          createdAt: now,
        });
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'invite.issue',
          entityType: 'person',
          entityId: personId,
          data: { inviteId: id },
        });
      });
      return issued(id, code, expiresAt, householdId, personId);
    },

    /** A citizen links to the one person of a phone-match commune whose registry phone is theirs. */
    async linkPersonByPhone(actor: Actor) {
      const user = await repo.findUserById(db, actor.userId);
      const phone = normalizePhone(user?.phone);
      if (!phone)
        throw badRequest(
          'Bạn chưa xác minh số điện thoại trên Zalo. Vui lòng xác minh hoặc nhập mã mời của tổ trưởng.',
          'PHONE_REQUIRED',
        );
      const matches = (await ob.personsByPhone(db, phone)).filter((m) => m.settings?.['phoneMatch'] === true);
      if (matches.length === 0)
        throw notFound(
          'Không tìm thấy người nào có số điện thoại này trong danh sách của xã. Vui lòng nhập mã mời của tổ trưởng.',
          'PHONE_NO_MATCH',
        );
      if (matches.length > 1)
        throw conflict(
          'Có nhiều người cùng dùng số điện thoại này. Vui lòng nhập mã mời để liên kết đúng người.',
          'PHONE_AMBIGUOUS',
        );
      const now = clock.now();
      const person = await db.transaction(async (tx) => {
        const p = await linkPerson(tx, actor, matches[0]!.p.id, now);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'person.link_by_phone',
          entityType: 'person',
          entityId: p.id,
        });
        return p;
      });
      const after = await repo.findUserById(db, actor.userId);
      return linkResult(after?.householdId ?? person.householdId, person.id);
    },

    async claimInvite(actor: Actor, rawCode: string) {
      const code = normalizeInviteCode(rawCode);
      const unknown = () =>
        notFound('Mã mời không đúng. Vui lòng kiểm tra lại 8 ký tự trên phiếu mời.', 'INVITE_UNKNOWN');
      if (code.length !== INVITE_LENGTH || [...code].some((c) => !INVITE_ALPHABET.includes(c))) throw unknown();
      const hash = hashInviteCode(code);
      const now = clock.now();
      const linked = await db.transaction(async (tx) => {
        const inv = await repo.consumeInvite(tx, hash, actor.userId, now);
        if (!inv) {
          const existing = await repo.findInviteByHash(tx, hash);
          if (!existing) throw unknown();
          if (existing.usedAt)
            throw conflict('Mã mời này đã được sử dụng. Vui lòng xin tổ trưởng cấp mã mới.', 'INVITE_USED');
          throw new AppError(
            410,
            'INVITE_EXPIRED',
            'Mã mời đã hết hạn (mã chỉ dùng được trong 14 ngày). Vui lòng xin tổ trưởng cấp mã mới.',
          );
        }
        if (inv.personId) {
          const p = await linkPerson(tx, actor, inv.personId, now);
          await appendAudit(tx, {
            at: now,
            actorId: actor.userId,
            action: 'invite.claim',
            entityType: 'person',
            entityId: p.id,
            data: { inviteId: inv.id },
          });
          return { householdId: p.householdId, personId: p.id };
        }
        const user = await repo.findUserById(tx, actor.userId);
        if (!inv.householdId) throw unknown();
        if (user?.householdId && user.householdId !== inv.householdId) {
          throw conflict(
            'Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.',
            'ALREADY_LINKED',
          );
        }
        await repo.linkUserToHousehold(tx, actor.userId, inv.householdId, now);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'invite.claim',
          entityType: 'household',
          entityId: inv.householdId,
          data: { inviteId: inv.id },
        });
        return { householdId: inv.householdId, personId: null };
      });
      return linkResult(linked.householdId, linked.personId);
    },

    async linkByPhone(actor: Actor) {
      const user = await repo.findUserById(db, actor.userId);
      const phone = normalizePhone(user?.phone);
      if (!phone)
        throw badRequest(
          'Bạn chưa xác minh số điện thoại trên Zalo. Vui lòng xác minh hoặc nhập mã mời của tổ trưởng.',
          'PHONE_REQUIRED',
        );
      const matches = (await repo.householdsByPhone(db, phone)).filter((m) => m.settings?.['phoneMatch'] === true);
      if (matches.length === 0) {
        throw notFound(
          'Không tìm thấy hộ nào có số điện thoại này trong danh sách của xã. Vui lòng nhập mã mời của tổ trưởng.',
          'PHONE_NO_MATCH',
        );
      }
      if (matches.length > 1) {
        throw conflict(
          'Có nhiều hộ cùng dùng số điện thoại này. Vui lòng nhập mã mời do tổ trưởng cấp để liên kết đúng hộ.',
          'PHONE_AMBIGUOUS',
        );
      }
      const h = matches[0]!.h;
      if (user?.householdId && user.householdId !== h.id) {
        throw conflict(
          'Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.',
          'ALREADY_LINKED',
        );
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.linkUserToHousehold(tx, actor.userId, h.id, now);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'household.link_by_phone',
          entityType: 'household',
          entityId: h.id,
        });
      });
      return linkResult(h.id);
    },
  };
  return service;
}
