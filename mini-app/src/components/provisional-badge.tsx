import { PROVENANCE_LABELS } from '@hoctap/shared';

export function ProvisionalBadge({ note }: { note?: string | undefined }) {
  return (
    <p className="provisional" title={note}>
      {PROVENANCE_LABELS.provisional}
    </p>
  );
}
