import type { AssessmentState } from '@hoctap/shared';
import { hasRoleOver, READ_ROLES, VERIFY_ROLES, OFFICER_ROLES, type Actor, type Location } from '../../lib/actor.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AssessmentCtx } from './assessment-ctx.repo.ts';
import { countSlotOf, type CountsDelta } from './assessments.repo.ts';
import type { Phase } from './transitions.ts';

/**
 * Who may do what with one assessment, decided from the actor's live grants and the subject's
 * location (copied onto the assessment). Out of scope → 404 (nobody probes other households);
 * in scope but not allowed → 403 with the reason.
 */

/** Assisted mode header: a tổ leader acts for a household of their tổ. */
export const ACT_FOR_HEADER = 'x-act-for-household';

export interface Access {
  /** May fill in, submit, withdraw, appeal (the subject itself or its head). */
  owner: boolean;
  /** Set when the owner right comes from assisted mode: the household acted for. */
  onBehalfOf: string | null;
  reader: boolean;
  /** Holds a verifying role over the subject (leader, hamlet head, officer). */
  verifierRole: boolean;
  reviewer: boolean;
  officer: boolean;
}

export const locOf = (a: { communeId: string; hamletId: string | null; groupId: string | null }): Location => ({
  communeId: a.communeId,
  hamletId: a.hamletId,
  groupId: a.groupId,
});

export function accessOf(
  actor: Actor,
  ctx: Pick<AssessmentCtx, 'a' | 'headUserId'>,
  actFor: string | null | undefined,
): Access {
  const { a } = ctx;
  const loc = locOf(a);
  let owner = false;
  let onBehalfOf: string | null = null;
  switch (a.subjectType) {
    case 'household':
      if (actor.householdId === a.subjectId) owner = true;
      else if (actFor && actFor === a.subjectId && hasRoleOver(actor, ['leader'], loc)) {
        owner = true;
        onBehalfOf = a.subjectId;
      }
      break;
    case 'citizen':
      owner = actor.personId === a.subjectId;
      break;
    case 'community':
      owner = actor.roles.some((g) => g.role === 'hamlet_head' && g.unitId === a.subjectId);
      break;
    case 'clan':
    case 'unit':
      owner = ctx.headUserId === actor.userId;
      break;
  }
  const reader = owner || hasRoleOver(actor, READ_ROLES, loc);
  return {
    owner,
    onBehalfOf,
    reader,
    verifierRole: hasRoleOver(actor, VERIFY_ROLES, loc),
    reviewer: hasRoleOver(actor, ['hamlet_head', 'officer'], loc),
    officer: hasRoleOver(actor, OFFICER_ROLES, loc),
  };
}

export function requireReader(acc: Access): void {
  if (!acc.reader) throw notFound('Không tìm thấy hồ sơ đánh giá.');
}

export function requireOwner(acc: Access): void {
  requireReader(acc);
  if (!acc.owner)
    throw forbidden('Chỉ chủ hồ sơ (hoặc người được hỗ trợ nhập thay) mới thực hiện được thao tác này.', 'NOT_OWNER');
}

export function requireOfficer(acc: Access): void {
  requireReader(acc);
  if (!acc.officer) throw forbidden('Chỉ cán bộ xã mới thực hiện được thao tác này.', 'NOT_OFFICER');
}

export function ensureCampaignOpen(ctx: Pick<AssessmentCtx, 'c'>): void {
  if (ctx.c.status === 'closed') throw conflict('Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.', 'CAMPAIGN_CLOSED');
}

const PHASE_LABELS: Record<Phase, string> = { selfAssessment: 'tự đánh giá', verification: 'xác minh' };

function formatDateVi(d: Date): string {
  // Communes read dates in Vietnam time (UTC+7, no DST).
  const v = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
}

/** After the milestone of the phase, only an officer's reopen (until a date) lets changes through. */
export function ensurePhaseOpen(ctx: Pick<AssessmentCtx, 'c'>, phase: Phase | null, clock: Clock): void {
  if (!phase) return;
  const now = clock.now().getTime();
  const due = phase === 'selfAssessment' ? ctx.c.selfAssessmentDueAt : ctx.c.verificationDueAt;
  if (now <= due.getTime()) return;
  const reopened = ctx.c.reopenedUntil[phase];
  if (reopened && now <= new Date(reopened).getTime()) return;
  throw conflict(
    `Đã quá hạn ${PHASE_LABELS[phase]} (${formatDateVi(due)}). Cần cán bộ xã mở lại giai đoạn này để tiếp tục.`,
    'DEADLINE_PASSED',
  );
}

export function countsOf(ctx: Pick<AssessmentCtx, 'a' | 'provinceId'>): CountsDelta {
  const unitIds = [ctx.a.hamletId, ctx.a.communeId, ctx.provinceId].filter((x): x is string => !!x);
  return { campaignId: ctx.a.campaignId, subjectType: ctx.a.subjectType, unitIds, slot: countSlotOf(ctx.a.id) };
}

export const stateOf = (s: string) => s as AssessmentState;
