import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ApiProvider } from '../src/hooks/use-api.tsx';
import { ApiError, type Endpoints } from '../src/services/api.ts';
import type { AssessmentDetail, ErrorBody, EvidenceDto } from '../src/services/types.ts';

/** A fake of every endpoint; tests override what they use. */
export function fakeApi(overrides: Partial<Endpoints> = {}): Endpoints {
  const fail = (name: string) => vi.fn(async () => {
    throw new Error(`unexpected call: ${name}`);
  });
  const base: Record<string, unknown> = {};
  for (const name of [
    'devUsers', 'devLogin', 'zaloLogin', 'logout', 'me', 'consentState', 'giveConsents', 'sendPhoneToken', 'claimInvite', 'campaigns',
    'assessments', 'createAssessment', 'assessment', 'saveAnswer', 'uploadEvidence', 'evidenceBlob', 'submit',
    'consentState', 'timeline', 'addComment', 'verify', 'returnForFix', 'review', 'decisions', 'decide', 'criteriaSets',
    'createCampaign', 'patchCampaign', 'adminUnits', 'clans', 'orgUnits', 'households', 'reportSummary', 'inbox', 'markRead', 'messages',
    'shareSummary', 'download',
  ]) base[name] = fail(name);
  base.evidenceBlob = vi.fn(async () => new Blob(['x'], { type: 'image/jpeg' }));
  return { ...(base as Endpoints), ...overrides };
}

export function evidence(id: string, indicatorCode: string): EvidenceDto {
  return { id, assessmentId: 'a1', indicatorCode, width: 1600, height: 1200, bytes: 250_000, capturedAt: null, gpsLat: null, gpsLon: null, nearDuplicates: [], createdAt: '2026-11-23T08:00:00Z' };
}

export function renderWithApi(ui: ReactElement, api: Endpoints) {
  return render(<ApiProvider api={api}>{ui}</ApiProvider>);
}

export function apiError(status: number, message = 'Service Unavailable', reqId = 'req-42'): ApiError {
  const body: ErrorBody = { statusCode: status, error: 'Error', message, reqId };
  return new ApiError('http', status, body);
}

export function draftAssessment(overrides: Partial<AssessmentDetail> = {}): AssessmentDetail {
  return {
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
}
