import { randomUUID } from 'node:crypto';
import type { Role } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { Actor } from '../lib/actor.ts';
import { AppError } from '../lib/errors.ts';
import type { Clock } from '../lib/clock.ts';
import { createRegistryService } from '../modules/registry/registry.service.ts';
import { clean } from '../modules/registry/text.ts';
import * as repo from './first-admin.repo.ts';

/**
 * The first account of an empty database (`npm run admin:create`, docs/onboarding.md §7): the
 * province (and commune) it works in, the account, and its role. Units and the role go through the
 * registry service, so they get the same checks and audit rows as the API's; the acting "admin" is
 * the new account itself, because before it nobody may write. Running it again changes nothing.
 */
export interface FirstAdminInput {
  name: string;
  provinceName: string;
  provinceCode?: string | undefined;
  communeName?: string | undefined;
  communeCode?: string | undefined;
  /** Default: officer of the commune when one is named, otherwise admin of the province. */
  role?: Extract<Role, 'admin' | 'officer' | 'province_viewer'> | undefined;
  /** Give the role to an account that already exists (someone who signed in with Zalo once). */
  userId?: string | undefined;
  /** Or bind the new account to this Zalo id, so that signing in with Zalo finds it. */
  zaloId?: string | undefined;
}

export interface FirstAdminResult {
  userId: string;
  displayName: string;
  role: Role;
  unitId: string;
  unitName: string;
  provinceId: string;
  communeId: string | null;
  created: { province: boolean; commune: boolean; user: boolean; role: boolean };
  /** The account signs in with the development login (no Zalo id). */
  devLogin: boolean;
}

export async function createFirstAdmin(db: Db, clock: Clock, input: FirstAdminInput): Promise<FirstAdminResult> {
  const registry = createRegistryService({ db, clock });
  const role = input.role ?? (input.communeName ? 'officer' : 'admin');
  if (role === 'officer' && !input.communeName) throw new Error('Vai trò cán bộ xã cần tên xã (--commune).');
  const created = { province: false, commune: false, user: false, role: false };

  // The account first: it is the actor of everything below.
  let user = input.userId
    ? await repo.findUserById(db, input.userId)
    : input.zaloId
      ? await repo.findUserByZaloId(db, input.zaloId)
      : await repo.findDevUserByName(db, clean(input.name));
  if (input.userId && !user) throw new Error(`Không có tài khoản ${input.userId}.`);
  if (!user) {
    const id = randomUUID();
    await repo.insertUser(db, {
      id,
      displayName: clean(input.name),
      zaloId: input.zaloId ?? null,
      devLogin: !input.zaloId,
      at: clock.now(),
    });
    user = (await repo.findUserById(db, id))!;
    created.user = true;
  }
  const actor: Actor = {
    userId: user.id,
    displayName: user.displayName,
    householdId: null,
    personId: null,
    roles: [{ role: 'admin', unitId: user.id, unitLevel: 'province', unitName: '', communeIds: [] }],
  };

  let province = await repo.findLiveUnit(db, {
    level: 'province',
    parentId: null,
    code: input.provinceCode,
    name: clean(input.provinceName),
  });
  if (!province) {
    province = await registry.createAdminUnit(actor, {
      level: 'province',
      name: input.provinceName,
      code: input.provinceCode ?? null,
    });
    created.province = true;
  }
  let commune: { id: string; name: string } | undefined;
  if (input.communeName) {
    commune = await repo.findLiveUnit(db, {
      level: 'commune',
      parentId: province.id,
      code: input.communeCode,
      name: clean(input.communeName),
    });
    if (!commune) {
      commune = await registry.createAdminUnit(actor, {
        level: 'commune',
        parentId: province.id,
        name: input.communeName,
        code: input.communeCode ?? null,
      });
      created.commune = true;
    }
  }
  const unit = role === 'officer' && commune ? commune : province;
  try {
    await registry.grantRole(actor, { userId: user.id, role, unitId: unit.id });
    created.role = true;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'ROLE_EXISTS')) throw err;
  }
  return {
    userId: user.id,
    displayName: user.displayName,
    role,
    unitId: unit.id,
    unitName: unit.name,
    provinceId: province.id,
    communeId: commune?.id ?? null,
    created,
    devLogin: user.devLogin,
  };
}

/**
 * A plain account without a role (`--role household`): in a demo without Zalo, the phone that will
 * claim a household's invite code needs an account in the development login list.
 */
export async function createDevAccount(db: Db, clock: Clock, name: string) {
  const existing = await repo.findDevUserByName(db, clean(name));
  if (existing) return { userId: existing.id, displayName: existing.displayName, created: false };
  const id = randomUUID();
  await repo.insertUser(db, { id, displayName: clean(name), zaloId: null, devLogin: true, at: clock.now() });
  return { userId: id, displayName: clean(name), created: true };
}
