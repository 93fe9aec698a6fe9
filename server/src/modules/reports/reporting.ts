import type { CommuneReporting } from '@hoctap/shared/api';
import type { CampaignRow } from './reports.repo.ts';

/**
 * Whether a commune has reported its year to the province: a recognition decision is the report
 * (the commune's figures are final for the titles it decided); a closed campaign is final too.
 * Before the report deadline a commune without a decision is pending, after it overdue.
 */
export function communeReporting(
  campaign: CampaignRow | undefined,
  decisions: { n: number; lastDecidedOn: string | null } | undefined,
  now: Date,
): CommuneReporting {
  if (!campaign) return { status: 'no_campaign', reportDueAt: null, decisions: 0, lastDecidedOn: null };
  const n = decisions?.n ?? 0;
  const base = {
    reportDueAt: campaign.reportDueAt.toISOString(),
    decisions: n,
    lastDecidedOn: decisions?.lastDecidedOn ?? null,
  };
  if (campaign.status === 'closed') return { status: 'closed', ...base };
  if (n > 0) return { status: 'decided', ...base };
  return { status: now > campaign.reportDueAt ? 'overdue' : 'pending', ...base };
}
