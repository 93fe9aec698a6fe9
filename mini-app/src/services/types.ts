// DTOs of the HTTP contract as the mini app assumes it (see shared/design/API.md). When the real
// server schemas land in @hoctap/shared/api, replace these with the shared zod types.
import type { Role } from '@hoctap/shared';

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
  /**
   * The person record of a Công dân học tập user (users.personId). Not in the server's meSchema
   * yet: read when present, otherwise the citizen card cannot register a new assessment.
   */
  personId?: string | null;
  consents: Record<ConsentPurpose, boolean>;
}

// Workflow DTOs come from the shared contract (the server's response schemas).
export type {
  CampaignDto as Campaign,
  AssessmentSummaryDto as AssessmentSummary,
  AssessmentDetailDto as AssessmentDetail,
  AnswerDto,
  EvidenceDto,
  CommentDto,
  DecisionDto as Decision,
  CriteriaSetSummaryDto as CriteriaSetSummary,
  InboxMessageDto as InboxMessage,
  MessageLogItemDto as MessageLogItem,
  ShareSummaryDto as ShareSummary,
  SummaryDto as ReportSummary,
  TitleFigures,
  AdminUnitDto as AdminUnit,
} from '@hoctap/shared/api';

import type {
  campaignCreateSchema,
  clanSchema,
  orgUnitSchema,
  decisionCreateSchema,
  decisionResultSchema,
  householdSchema,
  inboxPageSchema,
  messageLogPageSchema,
  returnBodySchema,
  timelineEntrySchema,
  verifyBodySchema,
} from '@hoctap/shared/api';

/** zod v4 output/input of a shared schema, without depending on zod here. */
type Out<T extends { _zod: { output: unknown } }> = T['_zod']['output'];
type In<T extends { _zod: { input: unknown } }> = T['_zod']['input'];

export type TimelineEntry = Out<typeof timelineEntrySchema>;
export type InboxPage = Out<typeof inboxPageSchema>;
export type MessageLogPage = Out<typeof messageLogPageSchema>;
export type VerifyBody = In<typeof verifyBodySchema>;
export type ReturnBody = In<typeof returnBodySchema>;
export type DecisionBody = In<typeof decisionCreateSchema>;
export type DecisionResult = Out<typeof decisionResultSchema>;
export type CampaignCreateBody = In<typeof campaignCreateSchema>;
export type Household = Out<typeof householdSchema>;
export type Clan = Out<typeof clanSchema>;
export type OrgUnit = Out<typeof orgUnitSchema>;

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
