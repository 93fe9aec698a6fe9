import type { AssessmentState } from '@hoctap/shared';
import { ASSESSMENT_STATE_LABELS } from '@hoctap/shared';

/**
 * The assessment state machine, in ONE pure table. Services ask `transition(action, from)` and
 * get either the target state or a Vietnamese reason for a 409; nothing else in the code decides
 * which state follows which.
 *
 * `phase` names the campaign milestone that bounds the action: after it passes, the action needs
 * the officer to reopen that phase (campaign.reopenedUntil). `null` = not bounded by a milestone
 * (review, decision and appeals run until the decision itself).
 */

export type Action =
  | 'submit'
  | 'return'
  | 'verify'
  | 'review'
  | 'recognise'
  | 'not_recognise'
  | 'withdraw'
  | 'appeal'
  | 'appeal_accept'
  | 'appeal_reject_to_verified'
  | 'appeal_reject_to_reviewed';

export type Phase = 'selfAssessment' | 'verification';

interface Rule {
  from: readonly AssessmentState[];
  to: AssessmentState | ((from: AssessmentState) => AssessmentState);
  /** The milestone that bounds it, per source state. */
  phase: (from: AssessmentState) => Phase | null;
  label: string;
}

export const TRANSITIONS: Readonly<Record<Action, Rule>> = {
  // A first submission belongs to the self-assessment phase; a resubmission after a return to
  // the verification phase (the leader returned it while verifying).
  submit: {
    from: ['draft', 'returned'],
    to: (from) => (from === 'returned' ? 'resubmitted' : 'submitted'),
    phase: (from) => (from === 'returned' ? 'verification' : 'selfAssessment'),
    label: 'nộp bản tự đánh giá',
  },
  return: {
    from: ['submitted', 'resubmitted'],
    to: 'returned',
    phase: () => 'verification',
    label: 'trả lại để bổ sung',
  },
  verify: { from: ['submitted', 'resubmitted'], to: 'verified', phase: () => 'verification', label: 'xác minh' },
  review: { from: ['verified'], to: 'reviewed', phase: () => null, label: 'bình xét' },
  recognise: { from: ['reviewed'], to: 'recognised', phase: () => null, label: 'công nhận' },
  not_recognise: { from: ['reviewed'], to: 'not_recognised', phase: () => null, label: 'ra quyết định' },
  withdraw: {
    from: ['draft', 'submitted', 'returned', 'resubmitted'],
    to: 'withdrawn',
    phase: () => null,
    label: 'rút hồ sơ',
  },
  // Appeals are possible until the decision (docs/domain.md §6): against the verified points.
  appeal: { from: ['verified', 'reviewed'], to: 'appealed', phase: () => null, label: 'khiếu nại' },
  appeal_accept: { from: ['appealed'], to: 'verified', phase: () => null, label: 'chấp nhận khiếu nại' },
  appeal_reject_to_verified: { from: ['appealed'], to: 'verified', phase: () => null, label: 'giải quyết khiếu nại' },
  appeal_reject_to_reviewed: { from: ['appealed'], to: 'reviewed', phase: () => null, label: 'giải quyết khiếu nại' },
};

/** States in which the household may still change its own answers and photos. */
export const EDITABLE_STATES: readonly AssessmentState[] = ['draft', 'returned'];
/** Final states: locked for everyone. */
export const FINAL_STATES: readonly AssessmentState[] = ['recognised', 'not_recognised', 'withdrawn'];

export type TransitionResult = { ok: true; to: AssessmentState; phase: Phase | null } | { ok: false; message: string };

export function transition(action: Action, from: AssessmentState): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      message: `Không thể ${rule.label} khi hồ sơ đang ở trạng thái "${ASSESSMENT_STATE_LABELS[from]}".`,
    };
  }
  const to = typeof rule.to === 'function' ? rule.to(from) : rule.to;
  return { ok: true, to, phase: rule.phase(from) };
}

/** The milestone an edit of answers/photos falls under, by state (draft → self-assessment). */
export function editPhase(state: AssessmentState): Phase | null {
  if (state === 'draft') return 'selfAssessment';
  if (state === 'returned') return 'verification';
  return null;
}
