import { describe, expect, it } from 'vitest';
import { communeReporting } from '@hoctap/server/modules/reports/reporting.ts';
import type { CampaignRow } from '@hoctap/server/modules/reports/reports.repo.ts';

const due = new Date('2026-11-20T16:59:59Z');
const campaign = (status: 'open' | 'closed') => ({ id: 'c', status, reportDueAt: due }) as unknown as CampaignRow;
const before = new Date('2026-11-19T00:00:00Z');
const after = new Date('2026-11-21T00:00:00Z');

describe('whether a commune has reported to the province', () => {
  it('no campaign that year', () => {
    expect(communeReporting(undefined, undefined, after)).toEqual({
      status: 'no_campaign',
      reportDueAt: null,
      decisions: 0,
      lastDecidedOn: null,
    });
  });
  it('open without a decision: pending before the deadline, overdue after it', () => {
    expect(communeReporting(campaign('open'), undefined, before).status).toBe('pending');
    expect(communeReporting(campaign('open'), { n: 0, lastDecidedOn: null }, after).status).toBe('overdue');
  });
  it('a decision is the report, even late; a closed campaign is final', () => {
    expect(communeReporting(campaign('open'), { n: 2, lastDecidedOn: '2026-11-22' }, after)).toEqual({
      status: 'decided',
      reportDueAt: due.toISOString(),
      decisions: 2,
      lastDecidedOn: '2026-11-22',
    });
    expect(communeReporting(campaign('closed'), undefined, after).status).toBe('closed');
  });
});
