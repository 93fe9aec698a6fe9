import { lazy, Suspense } from 'react';
import type { CriteriaSet } from '@hoctap/shared';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { answerDrafts } from '../services/drafts.ts';

// The offer's screen part is downloaded only when there is something to offer: a household in its
// first year, or one that has answered already, never needs it. On a dropped link the offer is
// left out (it is optional: the form is filled in from scratch) rather than the wizard replaced
// by an error screen.
const CarryOverOffer = lazy(() => import('./carry-over-offer.tsx').catch(() => ({ default: () => null })));

/**
 * Carry-over (docs/transparency.md §6): on an empty draft, offers last year's answers indicator
 * by indicator; only the ones ticked "vẫn đúng năm nay" are copied (with last year's photos
 * where the criteria set allows). Shows nothing when there is nothing to carry.
 */
export function CarryOverCard({
  assessmentId,
  set,
  onCarried,
}: {
  assessmentId: string;
  set: CriteriaSet;
  /** After a successful copy: the page reloads the assessment. */
  onCarried: () => void;
}) {
  const api = useApi();
  const data = useAsync(() => api.carryOver(assessmentId), [api, assessmentId]);
  const c = data.data;
  // Offered only on an empty draft: nothing on the server, nothing typed on this phone.
  if (!c || !c.available || !c.draftEmpty || c.fromYear === null) return null;
  if (Object.keys(answerDrafts.all(assessmentId)).length > 0) return null;
  return (
    <Suspense fallback={null}>
      <CarryOverOffer assessmentId={assessmentId} set={set} offer={c} year={c.fromYear} onCarried={onCarried} />
    </Suspense>
  );
}
