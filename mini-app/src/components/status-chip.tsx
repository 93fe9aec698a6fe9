import { ASSESSMENT_STATE_LABELS, type AssessmentState } from '@hoctap/shared';

const TONE: Record<AssessmentState, 'neutral' | 'info' | 'warn' | 'good' | 'bad'> = {
  draft: 'neutral',
  submitted: 'info',
  resubmitted: 'info',
  returned: 'warn',
  verified: 'good',
  reviewed: 'good',
  recognised: 'good',
  not_recognised: 'bad',
  withdrawn: 'neutral',
  appealed: 'warn',
};

export function StatusChip({ state }: { state: AssessmentState | 'not_started' }) {
  if (state === 'not_started') return <span className="chip chip-neutral">Chưa bắt đầu</span>;
  return <span className={`chip chip-${TONE[state] ?? 'neutral'}`}>{ASSESSMENT_STATE_LABELS[state] ?? state}</span>;
}
