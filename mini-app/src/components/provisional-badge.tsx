import { PROVENANCE_LABELS } from '@hoctap/shared';

export function ProvisionalBadge({ note }: { note?: string | undefined }) {
  return (
    <p className="provisional" title={note}>
      <span aria-hidden="true">⚠ </span>
      {PROVENANCE_LABELS.provisional}
    </p>
  );
}
