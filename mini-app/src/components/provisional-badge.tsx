import { PROVENANCE_LABELS, provisionalItems, type CriteriaSet } from '@hoctap/shared';
import { CATALOG_IDS } from '@hoctap/shared/catalog/ids';
import { getCatalogSet } from '../services/catalog.ts';
import type { SubjectType } from '@hoctap/shared';

/** Block mark under a provisional indicator or criterion. */
export function ProvisionalBadge({ note }: { note?: string | undefined }) {
  return (
    <p className="provisional" title={note}>
      {PROVENANCE_LABELS.provisional}
    </p>
  );
}

/** Inline mark next to a value that is not official yet (a pass mark, a verdict, a set). */
export function ProvisionalTag({ note }: { note?: string | undefined }) {
  return (
    <span className="provisional-tag" title={note ?? PROVENANCE_LABELS.provisional}>
      tạm thời
    </span>
  );
}

/** Whether the verdict of a set rests on provisional values: its rating rules, prerequisites or the set itself. */
export function verdictIsProvisional(set: CriteriaSet | undefined): boolean {
  if (!set) return false;
  return provisionalItems(set).some((i) => i.kind === 'set' || i.kind === 'ratingRule' || i.kind === 'prerequisite');
}

/** Same, from a criteria set id the app ships (unknown ids: not marked). */
export function setIdIsProvisional(id: string | null | undefined): boolean {
  return !!id && verdictIsProvisional(getCatalogSet(id));
}

/**
 * A note for screens people rely on (hamlet review, officer lists, decisions): the verdicts
 * shown are computed with values that still wait for an official text.
 */
export function ProvisionalNote({
  set,
  what = 'Kết quả “Đạt/Chưa đạt”',
}: {
  set: CriteriaSet | undefined;
  what?: string;
}) {
  if (!verdictIsProvisional(set)) return null;
  return (
    <p className="provisional-note" role="note">
      <ProvisionalTag /> {what} có dùng ngưỡng hoặc điều kiện chưa có văn bản chính thức.
    </p>
  );
}

/** The set a campaign uses for a title: its own choice, else the one the app ships. */
export function campaignSet(
  criteriaSetIds: Partial<Record<SubjectType, string>> | undefined,
  type: SubjectType,
): CriteriaSet | undefined {
  return getCatalogSet(criteriaSetIds?.[type] ?? CATALOG_IDS[type]);
}
