// DTOs of the HTTP contract as the mini app assumes it (see shared/design/API.md). When the real
// server schemas land in @hoctap/shared/api, replace these with the shared zod types.
import type { AssessmentState, Role, SubjectType } from '@hoctap/shared';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  reqId: string;
  code?: string;
}

export interface DevUser {
  id: string;
  displayName: string;
  roleLabel: string;
  unitName: string;
}

export interface SessionUser {
  id: string;
  displayName: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface LoginResponse extends TokenPair {
  user: SessionUser;
}

export interface RoleAssignment {
  role: Role;
  unitId: string;
  unitName: string;
  /** 'province' | 'commune' | 'hamlet' | 'group' (tổ). */
  unitLevel: string;
}

export interface HouseholdSummary {
  id: string;
  headName: string;
  address: string;
  hamletName: string;
  groupName: string;
  /** Not in the brief's shape; used for GET /campaigns?communeId= when present. */
  communeId?: string;
}

export const CONSENT_PURPOSES = ['evaluation', 'photos', 'notifications'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export interface Me {
  id: string;
  displayName: string;
  roles: RoleAssignment[];
  householdId: string | null;
  household?: HouseholdSummary | null;
  consents: Record<ConsentPurpose, boolean>;
}

export interface Campaign {
  id: string;
  name: string;
  year: number;
  communeId: string;
  state?: string;
  /** Criteria set per subject type chosen for this campaign. */
  criteriaSetIds?: Partial<Record<SubjectType, string>>;
  /** ISO date-time: end of self-assessment. */
  selfAssessmentDeadline?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface AssessmentSummary {
  id: string;
  campaignId: string;
  subjectType: SubjectType;
  subjectId: string;
  state: AssessmentState;
  criteriaSetId: string;
  updatedAt?: string;
}

export interface AnswerDto {
  points: number | null;
  note?: string | null;
}

export type AnswerLayer = 'self' | 'verifier' | 'commune';

export interface EvidenceDto {
  id: string;
  indicatorCode: string;
  /** Authorised URLs, fetched with the Bearer token. */
  thumbnailUrl?: string;
  imageUrl?: string;
  createdAt?: string;
}

export interface CommentDto {
  id: string;
  authorName?: string;
  body: string;
  indicatorCode?: string | null;
  createdAt?: string;
}

export interface AssessmentDetail extends AssessmentSummary {
  answers: Partial<Record<AnswerLayer, Record<string, AnswerDto>>>;
  evidence: EvidenceDto[];
  comments: CommentDto[];
}
