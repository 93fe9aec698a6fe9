import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ApiProvider } from '../src/hooks/use-api.tsx';
import { ApiError, type Endpoints } from '../src/services/api.ts';
import {
  adminUnitSchema,
  assessmentDetailSchema,
  carryOverResultSchema,
  carryOverSchema,
  assessmentSummarySchema,
  assessmentWithVerdictSchema,
  campaignSchema,
  clanSchema,
  commentSchema,
  consentStateSchema,
  criteriaSetSummarySchema,
  decisionResultSchema,
  decisionSchema,
  devUserSchema,
  errorBodySchema,
  evidenceSchema,
  householdSchema,
  inboxPageSchema,
  inboxReadSchema,
  loginResultSchema,
  meSchema,
  messageLogPageSchema,
  orgUnitSchema,
  reviewResultSchema,
  shareSummarySchema,
  summarySchema,
  timelineEntrySchema,
} from '@hoctap/shared/api';
import type {
  AssessmentDetail,
  AssessmentSummary,
  AssessmentWithVerdict,
  ConsentState,
  ErrorBody,
  EvidenceDto,
  Me,
} from '../src/services/types.ts';
import { conforming } from './contract.ts';

type Schema = Parameters<typeof conforming>[0];
/**
 * The server's response schema of each endpoint the screens call (lists: of one item, since the
 * client unwraps `items`). A fake's answer is checked against it, so contract drift fails a test.
 */
const RESPONSES: Partial<Record<keyof Endpoints, { schema: Schema; list?: true }>> = {
  devUsers: { schema: devUserSchema, list: true },
  devLogin: { schema: loginResultSchema },
  zaloLogin: { schema: loginResultSchema },
  me: { schema: meSchema },
  consentState: { schema: consentStateSchema },
  giveConsents: { schema: consentStateSchema },
  withdrawConsents: { schema: consentStateSchema },
  campaigns: { schema: campaignSchema, list: true },
  assessments: { schema: assessmentSummarySchema, list: true },
  createAssessment: { schema: assessmentSummarySchema },
  assessment: { schema: assessmentDetailSchema },
  carryOver: { schema: carryOverSchema },
  applyCarryOver: { schema: carryOverResultSchema },
  uploadEvidence: { schema: evidenceSchema },
  submit: { schema: assessmentWithVerdictSchema },
  timeline: { schema: timelineEntrySchema, list: true },
  addComment: { schema: commentSchema },
  verify: { schema: assessmentWithVerdictSchema },
  returnForFix: { schema: assessmentSummarySchema },
  review: { schema: reviewResultSchema },
  decisions: { schema: decisionSchema, list: true },
  decide: { schema: decisionResultSchema },
  criteriaSets: { schema: criteriaSetSummarySchema, list: true },
  createCampaign: { schema: campaignSchema },
  patchCampaign: { schema: campaignSchema },
  adminUnits: { schema: adminUnitSchema, list: true },
  clans: { schema: clanSchema, list: true },
  orgUnits: { schema: orgUnitSchema, list: true },
  households: { schema: householdSchema, list: true },
  reportSummary: { schema: summarySchema },
  inbox: { schema: inboxPageSchema },
  markRead: { schema: inboxReadSchema },
  messages: { schema: messageLogPageSchema },
  shareSummary: { schema: shareSummarySchema },
};

/** Wraps a fake endpoint so what it resolves to is checked against the endpoint's response schema. */
function checked(name: keyof Endpoints, fake: unknown): unknown {
  const response = RESPONSES[name];
  if (!response || typeof fake !== 'function') return fake;
  const f = fake as (...args: unknown[]) => unknown;
  const check = (value: unknown) =>
    response.list && Array.isArray(value)
      ? value.map((v, i) => conforming(response.schema, v, `fake ${name}()[${i}]`))
      : conforming(response.schema, value, `fake ${name}()`);
  // The test keeps its vi.fn: calls are recorded on it, the check runs on what it returns.
  return new Proxy(f, {
    apply(target, thisArg, args) {
      const out = Reflect.apply(target, thisArg, args);
      return out instanceof Promise ? out.then(check) : out;
    },
  });
}

/**
 * A fake of every endpoint; tests override what they use. Every override's answer must have the
 * shape of the shared contract (tests/contract.ts).
 */
export function fakeApi(overrides: Partial<Endpoints> = {}): Endpoints {
  const fail = (name: string) =>
    vi.fn(async () => {
      throw new Error(`unexpected call: ${name}`);
    });
  const base: Record<string, unknown> = {};
  for (const name of [
    'devUsers',
    'devLogin',
    'zaloLogin',
    'logout',
    'me',
    'consentState',
    'giveConsents',
    'withdrawConsents',
    'sendPhoneToken',
    'claimInvite',
    'campaigns',
    'assessments',
    'createAssessment',
    'assessment',
    'saveAnswer',
    'uploadEvidence',
    'evidenceBlob',
    'submit',
    'consentState',
    'timeline',
    'addComment',
    'verify',
    'returnForFix',
    'review',
    'decisions',
    'decide',
    'criteriaSets',
    'createCampaign',
    'patchCampaign',
    'adminUnits',
    'clans',
    'orgUnits',
    'households',
    'reportSummary',
    'inbox',
    'markRead',
    'messages',
    'shareSummary',
    'download',
  ])
    base[name] = fail(name);
  // Most screens never meet a carry-over: by default there is nothing from last year.
  base.carryOver = vi.fn(async () => ({
    available: false,
    fromAssessmentId: null,
    fromYear: null,
    draftEmpty: true,
    indicators: [],
  }));
  base.evidenceBlob = vi.fn(async () => new Blob(['x'], { type: 'image/jpeg' }));
  // The result screen asks for the subject's earlier years; by default there are none (renders nothing).
  base.history = {
    subject: vi.fn(async (subjectType: string, subjectId: string) => ({
      subjectType,
      subjectId,
      name: '',
      currentRun: 0,
      years: [],
    })),
    report: fail('history.report'),
    commendations: fail('history.commendations'),
  };
  const wrapped = Object.fromEntries(
    Object.entries(overrides).map(([name, fake]) => [name, checked(name as keyof Endpoints, fake)]),
  );
  return { ...(base as Endpoints), ...wrapped };
}

export function evidence(id: string, indicatorCode: string): EvidenceDto {
  return conforming(
    evidenceSchema,
    {
      id,
      assessmentId: 'a1',
      indicatorCode,
      state: 'ready',
      failureReason: null,
      width: 1600,
      height: 1200,
      bytes: 250_000,
      capturedAt: null,
      hasLocation: false,
      nearDuplicates: [],
      createdAt: '2026-11-23T08:00:00Z',
    } satisfies EvidenceDto,
    'evidence()',
  );
}

export function renderWithApi(ui: ReactElement, api: Endpoints) {
  return render(<ApiProvider api={api}>{ui}</ApiProvider>);
}

export function apiError(status: number, message = 'Service Unavailable', reqId = 'req-42'): ApiError {
  const body: ErrorBody = conforming(
    errorBodySchema,
    { statusCode: status, error: 'Error', message, reqId },
    'apiError()',
  );
  return new ApiError('http', status, body);
}

export function draftAssessment(overrides: Partial<AssessmentDetail> = {}): AssessmentDetail {
  const detail: AssessmentDetail = {
    id: '7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c',
    campaignId: 'camp-2026',
    subjectType: 'household',
    subjectId: 'hh-1',
    subjectName: 'Hộ Nguyễn Văn Bình',
    communeId: 'xa-1',
    hamletId: null,
    groupId: null,
    criteriaSetId: 'gdht-448-2015-v1',
    subjectGroup: null,
    state: 'draft',
    stateLabel: 'Nháp',
    version: 1,
    selfTotal: null,
    verifiedTotal: null,
    communeTotal: null,
    outcome: null,
    submittedAt: null,
    verifiedAt: null,
    decidedAt: null,
    certificateNo: null,
    updatedAt: '2026-11-23T08:00:00Z',
    verdict: null,
    layers: { self: [], verifier: [], commune: [] },
    evidence: [],
    comments: [],
    decision: null,
    ...overrides,
  };
  return conforming(assessmentDetailSchema, detail, 'draftAssessment()');
}

/** Clicks `label` inside the zmp-ui confirmation modal titled `title` (not the button that opened it). */
export async function confirmIn(title: string, label: string): Promise<void> {
  const { screen, within, fireEvent } = await import('@testing-library/react');
  const heading = await screen.findByText(title);
  const modal = heading.closest('.zaui-modal-content') as HTMLElement;
  fireEvent.click(within(modal).getByRole('button', { name: label }));
}

/** A signed-in person as GET /me answers it: no role, no household, every consent given. */
export function meFixture(overrides: Partial<Me> = {}): Me {
  const me: Me = {
    id: 'u1',
    displayName: 'Nguyễn Thị Hoa',
    phone: null,
    roles: [],
    householdId: null,
    personId: null,
    household: null,
    consents: { evaluation: true, photos: true, notifications: true },
    ...overrides,
  };
  return conforming(meSchema, me, 'meFixture()');
}

/** The list row of an assessment (what GET /assessments answers), from its detail. */
export function summaryOf(detail: AssessmentDetail): AssessmentSummary {
  const {
    verdict: _verdict,
    layers: _layers,
    evidence: _evidence,
    comments: _comments,
    decision: _decision,
    ...row
  } = detail;
  return conforming(assessmentSummarySchema, row, 'summaryOf()');
}

/** What submit and verify answer: the summary with the verdict just computed. */
export function withVerdict(detail: AssessmentDetail): AssessmentWithVerdict {
  const verdict = { outcome: 'pass' as const, canStillPass: true, reasons: [], summary: 'Đạt' };
  return conforming(assessmentWithVerdictSchema, { ...summaryOf(detail), verdict }, 'withVerdict()');
}

/** GET/POST /me/consents: the texts, what is live and a one-line log. */
export function consentStateFixture(live: Me['consents']): ConsentState {
  const state: ConsentState = {
    version: '2026-11-v1',
    texts: {
      evaluation: { title: 'Đánh giá danh hiệu', text: 'Tôi đồng ý … đánh giá.' },
      photos: { title: 'Ảnh minh chứng', text: 'Tôi đồng ý gửi ảnh minh chứng.' },
      notifications: { title: 'Nhận thông báo qua Zalo', text: 'Tôi đồng ý nhận thông báo.' },
    },
    live,
    log: [{ purpose: 'evaluation', action: 'grant', textVersion: '2026-11-v1', at: '2026-11-20T08:00:00Z' }],
  };
  return conforming(consentStateSchema, state, 'consentStateFixture()');
}
