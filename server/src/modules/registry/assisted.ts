import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import type { Executor } from '../../db/types.ts';
import { notFound } from '../../lib/errors.ts';
import { findHousehold } from './registry.repo.ts';
import { locOf } from './scope.ts';

/**
 * Assisted mode: a tổ leader acts for a household of their tổ (an elderly neighbour without a
 * smartphone). The client asks for it explicitly with the header
 *
 *     X-Act-For-Household: <household id>
 *
 * on the request; routes pass the header value to the service, which calls `resolveActing`.
 * The result names the household the request acts for and, when it is not the caller's own
 * household, `onBehalfOf` — which every audit row of that request must carry next to the
 * caller's own `actorId` (appendAudit({ actorId, onBehalfOf, … })).
 */
export const ACT_FOR_HEADER = 'x-act-for-household';

/** Roles allowed to act for a household they cover. */
export const ASSIST_ROLES = ['leader'] as const;

export interface Acting {
  actor: Actor;
  /** The household this request acts as: the caller's own, or the assisted one. */
  householdId: string | null;
  /** Set in assisted mode: the household acted for (audit_events.on_behalf_of). */
  onBehalfOf: string | null;
}

export async function resolveActing(db: Executor, actor: Actor, requested: string | null | undefined): Promise<Acting> {
  if (!requested || requested === actor.householdId) return { actor, householdId: actor.householdId, onBehalfOf: null };
  const h = await findHousehold(db, requested);
  // Out of scope and unknown look the same (404), as for every other registry read.
  if (!h || !hasRoleOver(actor, ASSIST_ROLES, locOf(h))) {
    throw notFound('Không tìm thấy hộ này trong tổ bạn phụ trách.', 'ASSIST_NOT_ALLOWED');
  }
  return { actor, householdId: h.id, onBehalfOf: h.id };
}
