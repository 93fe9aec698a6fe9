import { lazy, Suspense } from 'react';
import { Screen } from '../../components/screen.tsx';
import type { OfficerPage } from '../officer/home.tsx';
import { InboxButton } from '../inbox/button.tsx';
import { homeKind, useAppStore } from '../../store.ts';
import { Profiles } from './profiles.tsx';
import { hamletLabel } from '../../services/subjects.ts';
import { Button } from 'zmp-ui';

// Loaded on demand (the route's <Suspense> waits for them): households never download them.
const LeaderHome = lazy(() => import('../leader/home.tsx').then((m) => ({ default: m.LeaderHome })));
const OfficerHome = lazy(() => import('../officer/home.tsx').then((m) => ({ default: m.OfficerHome })));
// Asked for only after home's own data, so it never competes with it on a slow link.
const OpenPostingsButton = lazy(() =>
  import('../posting/open-postings-button.tsx').then((m) => ({ default: m.OpenPostingsButton })),
);

export interface HomeNav {
  openAssessment: (id: string) => void;
  openReview?: (id: string) => void;
  openInbox?: () => void;
  openOfficer?: (page: OfficerPage) => void;
  openHamletReview?: (hamletId: string) => void;
  openAccount?: () => void;
  openPostings?: () => void;
}

export default function HomePage({
  openAssessment,
  openReview = openAssessment,
  openInbox,
  openOfficer,
  openHamletReview,
  openAccount,
  openPostings,
}: HomeNav) {
  const me = useAppStore((s) => s.me)!;
  const signOut = useAppStore((s) => s.signOut);
  const kind = homeKind(me);
  const homeLoaded = useAppStore((s) => s.mine.length > 0);
  return (
    <Screen title="Học tập suốt đời">
      <div className="hello">
        {/* Demo names carry the role ("… — Tổ trưởng"); the role line below says it once. */}
        <p className="hello-name">Xin chào, {me.displayName.split(' — ')[0]}</p>
        {(me.roles.length > 0 || me.householdId) && (
          <p className="small">
            {me.roles
              .map((r) => r.unitName)
              .filter(Boolean)
              .join(' · ') || 'Hộ gia đình'}
          </p>
        )}
      </div>
      {kind === 'household' && <Profiles me={me} openAssessment={openAssessment} />}
      {me.roles
        .filter((r) => r.role === 'hamlet_head' && r.unitLevel === 'hamlet')
        .map((r) => (
          <Button key={r.unitId} variant="primary" fullWidth onClick={() => openHamletReview?.(r.unitId)}>
            Bình xét hồ sơ của {hamletLabel(r.unitName)}
          </Button>
        ))}
      {kind === 'leader' && <LeaderHome me={me} openReview={openReview} openAssessment={openAssessment} />}
      {kind === 'officer' && <OfficerHome me={me} go={(p) => openOfficer?.(p)} />}
      {kind !== 'household' && <Profiles me={me} openAssessment={openAssessment} />}
      {openPostings && homeLoaded && (
        <Suspense fallback={null}>
          <OpenPostingsButton onOpen={openPostings} />
        </Suspense>
      )}
      {openInbox && <InboxButton onOpen={openInbox} />}
      {openAccount ? (
        <Button variant="secondary" fullWidth onClick={openAccount}>
          Tài khoản và sự đồng ý
        </Button>
      ) : (
        <Button variant="tertiary" fullWidth onClick={signOut}>
          Đăng xuất
        </Button>
      )}
    </Screen>
  );
}

export { communeIdOf, currentCampaign, deadlineText } from './helpers.ts';
