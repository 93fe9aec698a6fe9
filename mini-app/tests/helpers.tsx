import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ApiProvider } from '../src/hooks/use-api.tsx';
import { ApiError, type Endpoints } from '../src/services/api.ts';
import type { AssessmentDetail, ErrorBody } from '../src/services/types.ts';

/** A fake of every endpoint; tests override what they use. */
export function fakeApi(overrides: Partial<Endpoints> = {}): Endpoints {
  const fail = (name: string) => vi.fn(async () => {
    throw new Error(`unexpected call: ${name}`);
  });
  const base: Record<string, unknown> = {};
  for (const name of [
    'devUsers', 'devLogin', 'zaloLogin', 'logout', 'me', 'giveConsents', 'sendPhoneToken', 'claimInvite', 'campaigns',
    'assessments', 'createAssessment', 'assessment', 'saveAnswer', 'uploadEvidence', 'evidenceBlob', 'submit',
  ]) base[name] = fail(name);
  base.evidenceBlob = vi.fn(async () => new Blob(['x'], { type: 'image/jpeg' }));
  return { ...(base as Endpoints), ...overrides };
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
    state: 'draft',
    criteriaSetId: 'gdht-448-2015-v1',
    answers: { self: {} },
    evidence: [],
    comments: [],
    ...overrides,
  };
}
