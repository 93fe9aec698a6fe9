import { ASSESSMENT_STATE_LABELS } from '@hoctap/shared';
import type { AssessmentSummaryDto, CommentDto } from '@hoctap/shared/api';
import { stateOf } from './access.ts';
import type { AssessmentRow } from './assessments.repo.ts';

/** Row → API shapes for assessments, evidence, comments and timeline entries (no I/O). */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function summaryDto(a: AssessmentRow): AssessmentSummaryDto {
  return {
    id: a.id,
    campaignId: a.campaignId,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    subjectName: a.subjectName,
    communeId: a.communeId,
    hamletId: a.hamletId,
    groupId: a.groupId,
    criteriaSetId: a.criteriaSetId,
    subjectGroup: a.subjectGroup,
    state: stateOf(a.state),
    stateLabel: ASSESSMENT_STATE_LABELS[stateOf(a.state)] ?? a.state,
    version: a.version,
    selfTotal: a.selfTotal,
    verifiedTotal: a.verifiedTotal,
    communeTotal: a.communeTotal,
    outcome: a.verdict?.outcome ?? null,
    submittedAt: iso(a.submittedAt),
    verifiedAt: iso(a.verifiedAt),
    decidedAt: iso(a.decidedAt),
    certificateNo: a.certificateNo,
    updatedAt: a.updatedAt.toISOString(),
  };
}

// Photos are shaped by their own module (state, location hint, duplicate flags).
export { evidenceDto } from '../evidence-uploads/evidence.dto.ts';

export function commentDto(c: {
  id: string;
  indicatorCode: string | null;
  authorId: string;
  body: string;
  createdAt: Date;
}): CommentDto {
  return {
    id: c.id,
    indicatorCode: c.indicatorCode,
    authorId: c.authorId,
    body: c.body,
    createdAt: c.createdAt.toISOString(),
  };
}

const ACTION_LABELS: Record<string, string> = {
  create: 'Đăng ký đánh giá',
  submit: 'Nộp bản tự đánh giá',
  return: 'Trả lại để bổ sung',
  verify: 'Xác minh',
  review: 'Bình xét ở ấp',
  decide: 'Ra quyết định',
  withdraw: 'Rút hồ sơ',
  appeal: 'Khiếu nại',
  appeal_resolved: 'Giải quyết khiếu nại',
  score: 'Chấm điểm',
  comment: 'Góp ý',
  evidence_added: 'Thêm ảnh minh chứng',
  evidence_deleted: 'Xoá ảnh minh chứng',
  carry_over: 'Dùng lại câu trả lời năm trước',
};
const LAYER_LABELS: Record<string, string> = { self: 'tự chấm', verifier: 'xác minh', commune: 'xã chấm' };

function stateLabel(s: unknown): string {
  return typeof s === 'string' ? (ASSESSMENT_STATE_LABELS[stateOf(s)] ?? s) : '';
}

export function timelineEntry(e: {
  at: Date;
  action: string;
  actorId: string | null;
  onBehalfOf: string | null;
  data: Record<string, unknown>;
}) {
  const d = e.data;
  let label = ACTION_LABELS[e.action] ?? e.action;
  if (e.action === 'score') {
    label = `${label} chỉ số ${String(d.indicatorCode)} (${LAYER_LABELS[String(d.layer)] ?? d.layer}): ${d.from ?? '—'} → ${d.to ?? '—'}`;
  } else if (typeof d.to === 'string' && e.action !== 'create') {
    label = `${label}: ${stateLabel(d.from)} → ${stateLabel(d.to)}`;
  } else if ((e.action === 'evidence_added' || e.action === 'evidence_deleted') && d.indicatorCode) {
    label = `${label} cho chỉ số ${String(d.indicatorCode)}`;
  } else if (e.action === 'carry_over' && Array.isArray(d.indicators)) {
    label = `Dùng lại câu trả lời năm ${String(d.fromYear)}: ${d.indicators.length} chỉ số, ${Number(d.photos ?? 0)} ảnh`;
  }
  if (e.onBehalfOf) label += ' (nhập thay hộ)';
  return {
    at: e.at.toISOString(),
    action: e.action,
    label,
    actorId: e.actorId,
    onBehalfOf: e.onBehalfOf,
    from:
      e.action === 'score'
        ? d.from === null || d.from === undefined
          ? null
          : String(d.from)
        : typeof d.from === 'string'
          ? d.from
          : null,
    to:
      e.action === 'score'
        ? d.to === null || d.to === undefined
          ? null
          : String(d.to)
        : typeof d.to === 'string'
          ? d.to
          : null,
    reason: typeof d.reason === 'string' ? d.reason : null,
    data: d,
  };
}
