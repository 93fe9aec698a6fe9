// Years that build on each other (docs/transparency.md §3–§5), kept beside api.ts so the screens
// add one line there. Types come from the shared contract (type-only).
import type { CommendationsDto, HistoryDto, SubjectHistoryDto } from '@hoctap/shared/api';
import type { SubjectType } from '@hoctap/shared';
import type { ApiClient } from './api.ts';

export type SubjectHistory = SubjectHistoryDto;
export type Commendations = CommendationsDto;
export type ReportHistory = HistoryDto;

const enc = encodeURIComponent;

export function historyEndpoints(r: ApiClient['request']) {
  return {
    /** One subject's title year by year (own household, or a reader in scope). */
    subject: (subjectType: SubjectType, subjectId: string) =>
      r<SubjectHistory>(`/api/v1/subjects/${enc(subjectType)}/${enc(subjectId)}/history`),
    /** A place's figures per year, predecessors of a merged commune rolled up. */
    report: (unitId: string, years: number[]) =>
      r<ReportHistory>('/api/v1/reports/history', { query: { unitId, years: years.join(',') } }),
    commendations: (campaignId: string, years?: number) =>
      r<Commendations>(`/api/v1/campaigns/${enc(campaignId)}/commendations`, { query: { years } }),
  };
}
