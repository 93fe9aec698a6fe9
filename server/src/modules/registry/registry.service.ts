import { createHash, randomInt, randomUUID } from 'node:crypto';
import { eq, inArray, type SQL } from 'drizzle-orm';
import type {
  AdminUnitDto,
  HouseholdDto,
} from '@hoctap/shared/api';
import { adminUnits, households, type Role } from '../../db/schema/index.ts';
import type { Db, Executor } from '../../db/types.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { resolveActing } from './assisted.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import * as repo from './registry.repo.ts';
import {
  canReadHousehold,
  canReadPlace,
  canWriteAt,
  householdScopeOf,
  isAdmin,
  locOf,
  placeScopeOf,
  unitVisibilityOf,
  unitVisible,
} from './scope.ts';
import { clean, fold, groupKey, hamletKey, maskPhone, normalizePhone } from './text.ts';

/** Unambiguous alphabet for invite codes: no 0/O, 1/I/L. 31^8 ≈ 8.5e11 codes. */
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_LENGTH = 8;
export const INVITE_TTL_DAYS = 14;

export const hashInviteCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');
export const normalizeInviteCode = (code: string) => code.toUpperCase().replace(/[\s\-_.]/g, '');

/** Stable import/identity key of a household: "ma:<mã hộ>" or the normalised place+head+address. */
export function householdKey(p: { code?: string | null; hamletName: string; groupName: string; headName: string; address: string }): string {
  const code = clean(p.code);
  if (code) return `ma:${fold(code).replace(/\s+/g, '')}`;
  return `k:${[hamletKey(p.hamletName), groupKey(p.groupName), fold(p.headName), fold(p.address)].join('|')}`;
}

const LEVEL_FOR_ROLE: Record<Role, readonly string[]> = {
  leader: ['group', 'hamlet'],
  hamlet_head: ['hamlet'],
  officer: ['commune'],
  province_viewer: ['province'],
  admin: ['province', 'commune', 'hamlet', 'group'],
};
/** Roles a commune officer may appoint and revoke inside their commune; the rest need an admin. */
const OFFICER_APPOINTS: readonly Role[] = ['leader', 'hamlet_head'];

function unitDto(u: repo.AdminUnitRow): AdminUnitDto {
  return {
    id: u.id,
    level: u.level,
    kind: u.kind,
    name: u.name,
    code: u.code,
    parentId: u.parentId,
    legacyParentId: u.legacyParentId,
    effectiveFrom: u.effectiveFrom,
    effectiveTo: u.effectiveTo,
  };
}

function page<T>(rows: T[], limit: number, key: (r: T) => (string | number)[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(key(last)) : null };
}

export function createRegistryService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const today = () => clock.now().toISOString().slice(0, 10);

  function householdDto(actor: Actor, h: repo.HouseholdRow, names: Map<string, string>): HouseholdDto {
    const officer = canWriteAt(actor, locOf(h));
    const full = officer || actor.householdId === h.id;
    return {
      id: h.id,
      communeId: h.communeId,
      hamletId: h.hamletId,
      groupId: h.groupId,
      hamletName: names.get(h.hamletId) ?? '',
      groupName: names.get(h.groupId) ?? '',
      headName: h.headName,
      address: h.address,
      memberCount: h.memberCount,
      phone: full ? h.phone : maskPhone(h.phone),
      clanId: h.clanId,
      ...(officer ? { externalKey: h.externalKey } : {}),
      updatedAt: h.updatedAt.toISOString(),
    };
  }

  async function readableHousehold(executor: Executor, actor: Actor, id: string) {
    const h = await repo.findHousehold(executor, id);
    if (!h || !canReadHousehold(actor, h)) throw notFound('Không tìm thấy hộ gia đình.', 'HOUSEHOLD_NOT_FOUND');
    return h;
  }

  /** A tổ (group) the officer may place households in. */
  async function writableGroup(executor: Executor, actor: Actor, groupId: string) {
    const loc = await repo.locateUnit(executor, groupId);
    if (!loc || loc.unit.level !== 'group' || !loc.commune || !loc.hamlet) throw notFound('Không tìm thấy tổ.', 'GROUP_NOT_FOUND');
    const where = { communeId: loc.commune.id, hamletId: loc.hamlet.id, groupId: loc.unit.id };
    if (!canWriteAt(actor, where)) {
      if (hasRoleOver(actor, ['leader', 'hamlet_head', 'officer', 'province_viewer'], where)) throw forbidden('Chỉ cán bộ xã mới được sửa danh sách hộ.');
      throw notFound('Không tìm thấy tổ.', 'GROUP_NOT_FOUND');
    }
    return loc;
  }

  async function checkClan(executor: Executor, clanId: string | null | undefined, communeId: string) {
    if (!clanId) return;
    const c = await repo.findClan(executor, clanId);
    if (!c || c.communeId !== communeId) throw badRequest('Dòng họ không thuộc xã này.', 'CLAN_NOT_IN_COMMUNE');
  }

  function phoneOrThrow(phone: string | null | undefined): string | null {
    const p = normalizePhone(phone);
    if (p === false) throw badRequest(`Số điện thoại "${clean(phone)}" không hợp lệ.`, 'PHONE_INVALID');
    return p;
  }

  return {
    // ---- admin units ----------------------------------------------------------------------

    async getUnit(actor: Actor, id: string): Promise<AdminUnitDto> {
      const u = await repo.findUnit(db, id);
      if (!u || !unitVisible(await unitVisibilityOf(db, actor), u)) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
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
      const rows = await repo.listChildUnits(db, parentId, today(), v.all ? undefined : repo.unitVisibleSql(v.prefixes, v.ids));
      return { items: rows.map(unitDto) };
    },

    // ---- households -----------------------------------------------------------------------

    async listHouseholds(actor: Actor, q: { unitId?: string; q?: string; cursor?: string; limit: number }) {
      let filter: SQL | undefined;
      if (q.unitId) {
        const u = await repo.findUnit(db, q.unitId);
        if (!u || !unitVisible(await unitVisibilityOf(db, actor), u)) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
        filter =
          u.level === 'group'
            ? eq(households.groupId, u.id)
            : u.level === 'hamlet'
              ? eq(households.hamletId, u.id)
              : u.level === 'commune'
                ? eq(households.communeId, u.id)
                : inArray(households.communeId, db.select({ id: adminUnits.id }).from(adminUnits).where(eq(adminUnits.parentId, u.id)));
      }
      const needle = fold(q.q);
      const after = decodeCursor(q.cursor, 2) as [string, string] | null;
      const rows = await repo.listHouseholds(db, {
        scope: repo.householdScopeSql(householdScopeOf(actor)),
        filter,
        q: needle ? repo.headNameMatches(needle) : undefined,
        after,
        limit: q.limit,
      });
      const p = page(rows, q.limit, (r) => [r.h.headName, r.h.id]);
      return {
        items: p.items.map((r) => householdDto(actor, r.h, new Map([[r.h.hamletId, r.hamletName], [r.h.groupId, r.groupName]]))),
        nextCursor: p.nextCursor,
      };
    },

    async getHousehold(actor: Actor, id: string): Promise<HouseholdDto> {
      const h = await readableHousehold(db, actor, id);
      return householdDto(actor, h, await repo.unitNames(db, [h.hamletId, h.groupId]));
    },

    async createHousehold(
      actor: Actor,
      body: { groupId: string; headName: string; address: string; memberCount: number; phone?: string | null; clanId?: string | null; code?: string },
    ): Promise<HouseholdDto> {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const loc = await writableGroup(tx, actor, body.groupId);
        await checkClan(tx, body.clanId, loc.commune!.id);
        const headName = clean(body.headName);
        const address = clean(body.address);
        const externalKey = householdKey({ code: body.code, hamletName: loc.hamlet!.name, groupName: loc.unit.name, headName, address });
        if (await repo.findHouseholdByKey(tx, loc.commune!.id, externalKey)) {
          throw conflict('Hộ này đã có trong danh sách của xã (trùng mã hộ hoặc trùng chủ hộ và địa chỉ).', 'HOUSEHOLD_EXISTS');
        }
        const now = clock.now();
        await repo.insertHousehold(tx, {
          id,
          communeId: loc.commune!.id,
          hamletId: loc.hamlet!.id,
          groupId: loc.unit.id,
          headName,
          address,
          memberCount: body.memberCount,
          phone: phoneOrThrow(body.phone),
          clanId: body.clanId ?? null,
          externalKey,
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'household.create', entityType: 'household', entityId: id });
      });
      return this.getHousehold(actor, id);
    },

    async updateHousehold(
      actor: Actor,
      id: string,
      patch: { groupId?: string; headName?: string; address?: string; memberCount?: number; phone?: string | null; clanId?: string | null },
    ): Promise<HouseholdDto> {
      await db.transaction(async (tx) => {
        const h = await readableHousehold(tx, actor, id);
        if (!canWriteAt(actor, locOf(h))) throw forbidden('Chỉ cán bộ xã mới được sửa thông tin hộ.');
        const loc = await writableGroup(tx, actor, patch.groupId ?? h.groupId);
        if (loc.commune!.id !== h.communeId) throw badRequest('Không thể chuyển hộ sang xã khác.', 'CROSS_COMMUNE_MOVE');
        if (patch.clanId !== undefined) await checkClan(tx, patch.clanId, h.communeId);
        const next = {
          groupId: loc.unit.id,
          hamletId: loc.hamlet!.id,
          headName: patch.headName !== undefined ? clean(patch.headName) : h.headName,
          address: patch.address !== undefined ? clean(patch.address) : h.address,
          memberCount: patch.memberCount ?? h.memberCount,
          phone: patch.phone !== undefined ? phoneOrThrow(patch.phone) : h.phone,
          clanId: patch.clanId !== undefined ? patch.clanId : h.clanId,
        };
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== h[k]);
        if (changed.length === 0) return;
        // A derived key follows the data it is derived from; a "mã hộ" key never changes.
        let externalKey = h.externalKey;
        if (externalKey.startsWith('k:')) {
          externalKey = householdKey({ hamletName: loc.hamlet!.name, groupName: loc.unit.name, headName: next.headName, address: next.address });
          const other = await repo.findHouseholdByKey(tx, h.communeId, externalKey);
          if (other && other.id !== h.id) throw conflict('Đã có hộ khác cùng chủ hộ và địa chỉ trong tổ này.', 'HOUSEHOLD_EXISTS');
        }
        const now = clock.now();
        await repo.updateHousehold(tx, id, { ...next, externalKey, updatedAt: now });
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'household.update', entityType: 'household', entityId: id, data: { fields: changed } });
      });
      return this.getHousehold(actor, id);
    },

    // ---- invites and linking ---------------------------------------------------------------

    async issueInvite(actor: Actor, householdId: string) {
      const code = Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000);
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const h = await readableHousehold(tx, actor, householdId);
        if (!hasRoleOver(actor, ['leader', 'officer'], locOf(h))) {
          throw forbidden('Chỉ tổ trưởng của tổ hoặc cán bộ xã mới được cấp mã mời.', 'INVITE_NOT_ALLOWED');
        }
        await repo.insertInvite(tx, { id, codeHash: hashInviteCode(code), householdId, issuedBy: actor.userId, expiresAt, createdAt: now });
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'invite.issue', entityType: 'household', entityId: householdId, data: { inviteId: id } });
      });
      return { id, householdId, code, expiresAt: expiresAt.toISOString(), qrPayload: `hoctap://invite/${code}`, deepLinkPath: `/invite?code=${code}` };
    },

    async claimInvite(actor: Actor, rawCode: string) {
      const code = normalizeInviteCode(rawCode);
      const unknown = () => notFound('Mã mời không đúng. Vui lòng kiểm tra lại 8 ký tự trên phiếu mời.', 'INVITE_UNKNOWN');
      if (code.length !== INVITE_LENGTH || [...code].some((c) => !INVITE_ALPHABET.includes(c))) throw unknown();
      const hash = hashInviteCode(code);
      const now = clock.now();
      const householdId = await db.transaction(async (tx) => {
        const inv = await repo.consumeInvite(tx, hash, actor.userId, now);
        if (!inv) {
          const existing = await repo.findInviteByHash(tx, hash);
          if (!existing) throw unknown();
          if (existing.usedAt) throw conflict('Mã mời này đã được sử dụng. Vui lòng xin tổ trưởng cấp mã mới.', 'INVITE_USED');
          throw new AppError(410, 'INVITE_EXPIRED', 'Mã mời đã hết hạn (mã chỉ dùng được trong 14 ngày). Vui lòng xin tổ trưởng cấp mã mới.');
        }
        const user = await repo.findUserById(tx, actor.userId);
        if (user?.householdId && user.householdId !== inv.householdId) {
          throw conflict('Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.', 'ALREADY_LINKED');
        }
        await repo.linkUserToHousehold(tx, actor.userId, inv.householdId, now);
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'invite.claim', entityType: 'household', entityId: inv.householdId, data: { inviteId: inv.id } });
        return inv.householdId;
      });
      return linkResult(householdId);
    },

    async linkByPhone(actor: Actor) {
      const user = await repo.findUserById(db, actor.userId);
      const phone = normalizePhone(user?.phone);
      if (!phone) throw badRequest('Bạn chưa xác minh số điện thoại trên Zalo. Vui lòng xác minh hoặc nhập mã mời của tổ trưởng.', 'PHONE_REQUIRED');
      const matches = (await repo.householdsByPhone(db, phone)).filter((m) => m.settings?.['phoneMatch'] === true);
      if (matches.length === 0) {
        throw notFound('Không tìm thấy hộ nào có số điện thoại này trong danh sách của xã. Vui lòng nhập mã mời của tổ trưởng.', 'PHONE_NO_MATCH');
      }
      if (matches.length > 1) {
        throw conflict('Có nhiều hộ cùng dùng số điện thoại này. Vui lòng nhập mã mời do tổ trưởng cấp để liên kết đúng hộ.', 'PHONE_AMBIGUOUS');
      }
      const h = matches[0]!.h;
      if (user?.householdId && user.householdId !== h.id) {
        throw conflict('Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.', 'ALREADY_LINKED');
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.linkUserToHousehold(tx, actor.userId, h.id, now);
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'household.link_by_phone', entityType: 'household', entityId: h.id });
      });
      return linkResult(h.id);
    },

    // ---- clans ---------------------------------------------------------------------------

    async listClans(actor: Actor, q: { communeId?: string; cursor?: string; limit: number }) {
      const rows = await repo.listClans(db, placeScopeOf(actor), q.communeId, decodeCursor(q.cursor, 2) as [string, string] | null, q.limit);
      const p = page(rows, q.limit, (r) => [r.c.name, r.c.id]);
      return { items: p.items.map((r) => ({ ...clanDto(r.c), householdCount: r.householdCount })), nextCursor: p.nextCursor };
    },

    async getClan(actor: Actor, id: string) {
      const c = await repo.findClan(db, id);
      if (!c || !canReadPlace(actor, c)) throw notFound('Không tìm thấy dòng họ.', 'CLAN_NOT_FOUND');
      return { ...clanDto(c), householdCount: await repo.clanHouseholdCount(db, id) };
    },

    async createClan(actor: Actor, body: { communeId: string; hamletId?: string | null; name: string; headName: string; headUserId?: string | null }) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await checkPlace(tx, actor, body.communeId, body.hamletId ?? null);
        const now = clock.now();
        try {
          await repo.insertClan(tx, { id, communeId: body.communeId, hamletId: body.hamletId ?? null, name: clean(body.name), headName: clean(body.headName), headUserId: body.headUserId ?? null, createdAt: now, updatedAt: now });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có dòng họ cùng tên.', 'CLAN_EXISTS');
          throw err;
        }
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'clan.create', entityType: 'clan', entityId: id });
      });
      return this.getClan(actor, id);
    },

    // ---- units (organisations) ------------------------------------------------------------

    async listOrgUnits(actor: Actor, q: { communeId?: string; cursor?: string; limit: number }) {
      const rows = await repo.listOrgUnits(db, placeScopeOf(actor), q.communeId, decodeCursor(q.cursor, 2) as [string, string] | null, q.limit);
      const p = page(rows, q.limit, (r) => [r.name, r.id]);
      return { items: p.items.map(orgUnitDto), nextCursor: p.nextCursor };
    },

    async getOrgUnit(actor: Actor, id: string) {
      const u = await repo.findOrgUnit(db, id);
      if (!u || !canReadPlace(actor, u)) throw notFound('Không tìm thấy đơn vị.', 'ORG_UNIT_NOT_FOUND');
      return orgUnitDto(u);
    },

    async createOrgUnit(
      actor: Actor,
      body: { communeId: string; hamletId?: string | null; name: string; type: repo.OrgUnitRow['type']; headName: string; headUserId?: string | null; staffCount: number },
    ) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await checkPlace(tx, actor, body.communeId, body.hamletId ?? null);
        const now = clock.now();
        try {
          await repo.insertOrgUnit(tx, { id, communeId: body.communeId, hamletId: body.hamletId ?? null, name: clean(body.name), type: body.type, headName: clean(body.headName), headUserId: body.headUserId ?? null, staffCount: body.staffCount, createdAt: now, updatedAt: now });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('Xã đã có đơn vị cùng tên.', 'ORG_UNIT_EXISTS');
          throw err;
        }
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'unit.create', entityType: 'unit', entityId: id });
      });
      return this.getOrgUnit(actor, id);
    },

    // ---- persons --------------------------------------------------------------------------

    async listPersons(actor: Actor, q: { householdId?: string; unitId?: string; cursor?: string; limit: number }) {
      if (!!q.householdId === !!q.unitId) throw badRequest('Cần chọn đúng một hộ (householdId) hoặc một đơn vị (unitId).', 'PERSON_FILTER_REQUIRED');
      if (q.householdId) await readableHousehold(db, actor, q.householdId);
      if (q.unitId) await this.getOrgUnit(actor, q.unitId);
      const rows = await repo.listPersons(db, q, decodeCursor(q.cursor, 2) as [string, string] | null, q.limit);
      const p = page(rows, q.limit, (r) => [r.fullName, r.id]);
      return { items: p.items.map(personDto), nextCursor: p.nextCursor };
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
      return personDto(p);
    },

    /**
     * Officers add persons anywhere in their commune; a household adds its own members, and a tổ
     * leader may do so for a household of their tổ in assisted mode (`actFor`), which is audited
     * with both identities. Unit heads add their staff.
     */
    async createPerson(
      actor: Actor,
      body: { householdId?: string; unitId?: string; fullName: string; birthYear?: number | null; relation?: string | null; inSchool?: boolean | null; cdhtGroup?: string | null; isWorker: boolean },
      actFor?: string | null,
    ) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const acting = await resolveActing(tx, actor, actFor);
        let communeId: string;
        if (body.householdId) {
          const h = await readableHousehold(tx, actor, body.householdId);
          if (!(acting.householdId === h.id || canWriteAt(actor, locOf(h)))) {
            throw forbidden('Bạn chỉ được thêm thành viên cho hộ của mình (hoặc dùng chế độ hỗ trợ hộ).', 'PERSON_NOT_ALLOWED');
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
          createdAt: now,
        });
        await appendAudit(tx, { at: now, actorId: actor.userId, onBehalfOf: acting.onBehalfOf, action: 'person.create', entityType: 'person', entityId: id });
      });
      const p = await repo.findPerson(db, id);
      return personDto(p!);
    },

    // ---- role assignments ---------------------------------------------------------------

    async listRoleAssignments(actor: Actor, q: { unitId?: string; userId?: string }) {
      let prefixes: string[] | 'all' = 'all';
      if (!isAdmin(actor)) {
        const grantUnits = await repo.findUnits(db, actor.roles.filter((g) => g.role === 'officer' || g.role === 'province_viewer').map((g) => g.unitId));
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
        await repo.insertRoleAssignment(tx, { id, userId: body.userId, role: body.role, unitId: body.unitId, createdBy: actor.userId, createdAt: now });
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'role.grant', entityType: 'role_assignment', entityId: id, data: { userId: body.userId, role: body.role, unitId: body.unitId } });
      });
      const list = await this.listRoleAssignments(actor, { userId: body.userId, unitId: body.unitId });
      return list.items.find((r) => r.id === id)!;
    },

    async revokeRole(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const ra = await repo.findRoleAssignment(tx, id);
        const loc = ra && !ra.revokedAt ? await repo.locateUnit(tx, ra.unitId) : null;
        if (!ra || !loc) throw notFound('Không tìm thấy phân công này.', 'ROLE_NOT_FOUND');
        await mayManageRole(actor, ra.role, loc);
        const now = clock.now();
        if (!(await repo.revokeRoleAssignment(tx, id, actor.userId, now))) throw notFound('Không tìm thấy phân công này.', 'ROLE_NOT_FOUND');
        await appendAudit(tx, { at: now, actorId: actor.userId, action: 'role.revoke', entityType: 'role_assignment', entityId: id, data: { userId: ra.userId, role: ra.role, unitId: ra.unitId } });
      });
    },
  };

  async function linkResult(householdId: string) {
    const h = (await repo.findHousehold(db, householdId))!;
    const names = await repo.unitNames(db, [h.hamletId, h.groupId]);
    return { householdId: h.id, headName: h.headName, hamletName: names.get(h.hamletId) ?? '', groupName: names.get(h.groupId) ?? '' };
  }

  async function checkPlace(executor: Executor, actor: Actor, communeId: string, hamletId: string | null) {
    const commune = await repo.findUnit(executor, communeId);
    if (!commune || commune.level !== 'commune' || !canWriteAt(actor, { communeId })) throw notFound('Không tìm thấy xã.', 'UNIT_NOT_FOUND');
    if (hamletId) {
      const h = await repo.findUnit(executor, hamletId);
      if (!h || h.level !== 'hamlet' || h.parentId !== communeId) throw badRequest('Ấp không thuộc xã này.', 'HAMLET_NOT_IN_COMMUNE');
    }
  }

  /** Admins manage every role; officers manage leaders and hamlet heads inside their commune. */
  async function mayManageRole(actor: Actor, role: Role, loc: NonNullable<Awaited<ReturnType<typeof repo.locateUnit>>>) {
    if (isAdmin(actor)) return;
    const communeId = loc.commune?.id;
    const officerHere = !!communeId && hasRoleOver(actor, ['officer'], { communeId });
    if (!officerHere) throw notFound('Không tìm thấy đơn vị hành chính.', 'UNIT_NOT_FOUND');
    if (!OFFICER_APPOINTS.includes(role)) throw forbidden('Chỉ quản trị hệ thống mới được bổ nhiệm cán bộ xã hoặc cấp tỉnh.', 'ROLE_NOT_ALLOWED');
  }
}

function clanDto(c: repo.ClanRow) {
  return { id: c.id, communeId: c.communeId, hamletId: c.hamletId, name: c.name, headName: c.headName, headUserId: c.headUserId };
}

function orgUnitDto(u: repo.OrgUnitRow) {
  return { id: u.id, communeId: u.communeId, hamletId: u.hamletId, name: u.name, type: u.type, headName: u.headName, headUserId: u.headUserId, staffCount: u.staffCount };
}

function personDto(p: repo.PersonRow) {
  return {
    id: p.id,
    communeId: p.communeId,
    householdId: p.householdId,
    unitId: p.unitId,
    fullName: p.fullName,
    birthYear: p.birthYear,
    relation: p.relation,
    inSchool: p.inSchool,
    cdhtGroup: p.cdhtGroup,
    isWorker: p.isWorker,
  };
}

function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export type RegistryService = ReturnType<typeof createRegistryService>;
