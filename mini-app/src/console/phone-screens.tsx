import { lazy } from 'react';
import type { Me } from '../services/types.ts';

// The officer screens the phone already has (campaign, recognition, exports, messages, the review of
// one form), framed in the console's wide layout: the same code, so the two never drift apart.
const CampaignPage = lazy(() => import('../pages/officer/campaign.tsx'));
const RecognitionPage = lazy(() => import('../pages/officer/recognition.tsx'));
const ExportsPage = lazy(() => import('../pages/officer/exports.tsx'));
const MessagesPage = lazy(() => import('../pages/officer/messages.tsx'));
const ReviewPage = lazy(() => import('../pages/leader/review.tsx'));

export default function PhoneScreen({ me, route, go }: { me: Me; route: string; go: (path: string) => void }) {
  const [, page = '', id = ''] = route.split('/');
  const home = () => go('/');
  const recognition = () => go('/recognition');
  let screen;
  if (page === 'campaign') screen = <CampaignPage me={me} onBack={home} />;
  else if (page === 'recognition')
    screen = <RecognitionPage me={me} onBack={home} openReview={(a) => go(`/review/${encodeURIComponent(a)}`)} />;
  else if (page === 'exports') screen = <ExportsPage me={me} onBack={home} />;
  else if (page === 'messages') screen = <MessagesPage me={me} onBack={home} />;
  else if (page === 'review') screen = <ReviewPage assessmentId={id} onBack={recognition} onDone={recognition} />;
  return (
    // The screen's own title bar (its <header> and <h1>) is the heading here, restyled for the PC.
    <div className="console-phone">
      <div className="console-phone-frame">{screen}</div>
    </div>
  );
}
