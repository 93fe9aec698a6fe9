import type { EvidenceDto } from '@hoctap/shared/api';
import type { EvidenceRow } from './evidence.repo.ts';

/**
 * A photo as every client sees it (household, verifier, officer). Deliberately no coordinates:
 * only whether the original had any (the consent text promises the location is removed).
 */
export function evidenceDto(
  e: Pick<
    EvidenceRow,
    | 'id'
    | 'assessmentId'
    | 'indicatorCode'
    | 'state'
    | 'failureReason'
    | 'width'
    | 'height'
    | 'bytes'
    | 'capturedAt'
    | 'hasLocation'
    | 'nearDuplicates'
    | 'createdAt'
  > & { reusedFromYear?: number | null },
): EvidenceDto {
  return {
    id: e.id,
    assessmentId: e.assessmentId,
    indicatorCode: e.indicatorCode,
    state: e.state,
    failureReason: e.state === 'failed' ? e.failureReason : null,
    width: e.width,
    height: e.height,
    bytes: e.bytes,
    capturedAt: e.capturedAt ? e.capturedAt.toISOString() : null,
    hasLocation: e.hasLocation,
    nearDuplicates: e.nearDuplicates.map((d) => ({
      evidenceId: d.evidenceId,
      distance: d.distance,
      ...(d.exact ? { exact: true } : {}),
    })),
    createdAt: e.createdAt.toISOString(),
    ...(e.reusedFromYear != null ? { reusedFromYear: e.reusedFromYear } : {}),
  };
}
