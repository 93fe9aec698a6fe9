import type { Executor } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { ensureCampaignOpen, ensurePhaseOpen, stateOf, type Access } from './access.ts';
import { loadAssessmentCtx, type AssessmentCtx } from './assessment-ctx.repo.ts';
import type { AssessmentRow, AuditRow } from './assessments.repo.ts';
import { transition, type Action } from './transitions.ts';

/** Steps every workflow write shares: load, transition check, lost-update error, audit rows. */
export function createWorkflow(clock: Clock) {
  async function loadCtx(executor: Executor, id: string): Promise<AssessmentCtx> {
    const ctx = await loadAssessmentCtx(executor, id);
    if (!ctx) throw notFound('Không tìm thấy hồ sơ đánh giá.');
    return ctx;
  }

  function step(action: Action, ctx: AssessmentCtx) {
    const t = transition(action, stateOf(ctx.a.state));
    if (!t.ok) throw conflict(t.message, 'INVALID_TRANSITION');
    ensureCampaignOpen(ctx);
    ensurePhaseOpen(ctx, t.phase, clock);
    return t.to;
  }

  const lost = () => conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.', 'VERSION_CONFLICT');

  function auditRow(
    actor: Actor,
    acc: Pick<Access, 'onBehalfOf'> | null,
    action: string,
    data: Record<string, unknown>,
  ): AuditRow {
    return { at: clock.now(), actorId: actor.userId, onBehalfOf: acc?.onBehalfOf ?? null, action, data };
  }

  function checkVersion(ctx: AssessmentCtx, version: number | undefined) {
    if (version !== undefined && version !== ctx.a.version) throw lost();
  }

  function nextRow(a: AssessmentRow, to: string, set: Partial<AssessmentRow>, now: Date): AssessmentRow {
    return { ...a, ...set, state: to, version: a.version + 1, updatedAt: now };
  }

  return { loadCtx, step, lost, auditRow, checkVersion, nextRow };
}

export type Workflow = ReturnType<typeof createWorkflow>;
