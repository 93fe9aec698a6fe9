import { z } from 'zod';
import { SUBJECT_TYPES, type MemberShareKey, type SubjectType } from '../criteria/subject-types.ts';

/*
 * The shared vocabulary and its Vietnamese labels. Server (reports, PDFs, Zalo messages) and mini
 * app show the same words; codes stay English and stable, labels are for people.
 */

export { SUBJECT_TYPES };

export const SUBJECT_TYPE_LABELS: Readonly<Record<SubjectType, string>> = {
  household: 'Hộ gia đình',
  clan: 'Dòng họ',
  community: 'Cộng đồng (ấp/khóm)',
  unit: 'Đơn vị',
  citizen: 'Công dân',
};

/** The title each kind of subject can earn. */
export const TITLE_LABELS: Readonly<Record<SubjectType, string>> = {
  household: 'Gia đình học tập',
  clan: 'Dòng họ học tập',
  community: 'Cộng đồng học tập',
  unit: 'Đơn vị học tập',
  citizen: 'Công dân học tập',
};

/** Abbreviations as written in Vietnamese reports (with Đ). */
export const TITLE_ABBREVIATIONS: Readonly<Record<SubjectType, string>> = {
  household: 'GĐHT',
  clan: 'DHHT',
  community: 'CĐHT',
  unit: 'ĐVHT',
  citizen: 'CDHT',
};

/** States of one assessment in the yearly workflow. */
export const ASSESSMENT_STATES = [
  'draft',
  'submitted',
  'returned',
  'resubmitted',
  'verified',
  'reviewed',
  'recognised',
  'not_recognised',
  'withdrawn',
  'appealed',
] as const;
export const AssessmentStateSchema = z.enum(ASSESSMENT_STATES);
export type AssessmentState = z.infer<typeof AssessmentStateSchema>;

export const ASSESSMENT_STATE_LABELS: Readonly<Record<AssessmentState, string>> = {
  draft: 'Nháp',
  submitted: 'Đã nộp',
  returned: 'Trả lại để bổ sung',
  resubmitted: 'Đã nộp lại',
  verified: 'Đã xác minh',
  reviewed: 'Đã bình xét',
  recognised: 'Được công nhận',
  not_recognised: 'Không được công nhận',
  withdrawn: 'Đã rút',
  appealed: 'Đang khiếu nại',
};

export const ROLES = ['household', 'leader', 'hamlet_head', 'officer', 'province_viewer', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  household: 'Hộ gia đình',
  leader: 'Tổ trưởng',
  hamlet_head: 'Trưởng ấp',
  officer: 'Cán bộ xã',
  province_viewer: 'Cán bộ tỉnh (chỉ xem)',
  admin: 'Quản trị hệ thống',
};

/** Shown next to a value whose provenance is provisional. */
export const PROVENANCE_LABELS = {
  official: 'Chính thức',
  provisional: 'Tạm thời — chờ văn bản chính thức',
} as const;

/** Verdict outcomes of score(). */
export const OUTCOME_LABELS = {
  pass: 'Đạt',
  fail: 'Chưa đạt',
  incomplete: 'Chưa chấm xong',
} as const;

/** Outcomes of evaluate(). */
export const DECISION_LABELS = {
  recognised: 'Đủ điều kiện công nhận',
  not_recognised: 'Chưa đủ điều kiện công nhận',
  incomplete: 'Chưa đủ thông tin để xét',
} as const;

/** How prerequisite shares read in sentences: members counted and the title they hold. */
export const MEMBER_SHARE_LABELS: Readonly<Record<MemberShareKey, { members: string; title: string }>> = {
  householdsWithGdht: { members: 'hộ', title: TITLE_LABELS.household },
  clansWithDhht: { members: 'dòng họ', title: TITLE_LABELS.clan },
  staffWithCdht: { members: 'cán bộ, nhân viên', title: TITLE_LABELS.citizen },
  membersWithCdht: { members: 'thành viên', title: TITLE_LABELS.citizen },
};

/** Whether a commune has reported its year to the province (province view and consolidated XLSX). */
export const REPORTING_STATUS_LABELS = {
  no_campaign: 'Chưa mở đợt đánh giá',
  pending: 'Chưa báo cáo (còn hạn)',
  overdue: 'Chưa báo cáo, đã quá hạn',
  decided: 'Đã có quyết định công nhận',
  closed: 'Đã khóa sổ',
} as const;
