import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { createAdminUnitService } from './admin-units.service.ts';
import { createClanService } from './clans.service.ts';
import { createEditService } from './edits.service.ts';
import { createHouseholdService } from './households.service.ts';
import { createInviteService } from './invites.service.ts';
import { createOrgUnitService } from './org-units.service.ts';
import { createPersonService } from './persons.service.ts';
import { createRoleService } from './roles.service.ts';
import { createUnitService } from './units.service.ts';
import { createUserPickService } from './users.service.ts';

/**
 * The registry, one file per entity: administrative units, households, invites and linking,
 * clans, organisations, persons and role assignments. Routes call exactly one method each.
 */
export function createRegistryService(deps: { db: Db; clock: Clock }) {
  return {
    ...createUnitService(deps),
    ...createHouseholdService(deps),
    ...createInviteService(deps),
    ...createClanService(deps),
    ...createOrgUnitService(deps),
    ...createPersonService(deps),
    ...createRoleService(deps),
    ...createAdminUnitService(deps),
    ...createEditService(deps),
    ...createUserPickService(deps),
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
