// Every DTO of the HTTP contract comes from @hoctap/shared/api: the zod schemas the server
// validates its responses with. Type-only imports, so the bundle carries no schema code.
import type { ConsentPurposeDto, DevUserDto, LoginResult, MeDto, SessionTokensDto } from '@hoctap/shared/api';

export type { ErrorBody, ErrorCode, ConsentStateDto as ConsentState } from '@hoctap/shared/api';

export type Me = MeDto;
export type RoleAssignment = Me['roles'][number];
export type HouseholdSummary = NonNullable<Me['household']>;
export type ConsentPurpose = ConsentPurposeDto;
export type DevUser = DevUserDto;
export type TokenPair = SessionTokensDto;
export type LoginResponse = LoginResult;
/** What the session keeps of the signed-in user. */
export type SessionUser = Pick<Me, 'id' | 'displayName'>;

/** The purposes in the order the account screen lists them; the check below keeps it complete. */
export const CONSENT_PURPOSES = ['evaluation', 'photos', 'notifications'] as const satisfies readonly ConsentPurpose[];
type MissingPurpose = Exclude<ConsentPurpose, (typeof CONSENT_PURPOSES)[number]>;
const everyPurposeListed: [MissingPurpose] extends [never] ? true : MissingPurpose = true;
void everyPurposeListed;

// Workflow DTOs come from the shared contract (the server's response schemas).
export type {
  CampaignDto as Campaign,
  AssessmentSummaryDto as AssessmentSummary,
  AssessmentDetailDto as AssessmentDetail,
  AssessmentWithVerdictDto as AssessmentWithVerdict,
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
  CarryOverDto as CarryOver,
  CarryOverResultDto as CarryOverResult,
} from '@hoctap/shared/api';

import type {
  campaignCreateSchema,
  clanSchema,
  phoneLinkBodySchema,
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
export type PhoneLinkBody = In<typeof phoneLinkBodySchema>;
export type Household = Out<typeof householdSchema>;
export type Clan = Out<typeof clanSchema>;
export type OrgUnit = Out<typeof orgUnitSchema>;

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
