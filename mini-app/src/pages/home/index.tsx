import { Screen } from '../../components/screen.tsx';
import { LeaderHome } from '../leader/home.tsx';
import { OfficerHome, type OfficerPage } from '../officer/home.tsx';
import { InboxButton } from '../inbox/index.tsx';
import { homeKind, useAppStore } from '../../store.ts';
import { Profiles } from './profiles.tsx';
import { hamletLabel } from '../../services/subjects.ts';

export interface HomeNav {
  openAssessment: (id: string) => void;
  openReview?: (id: string) => void;
  openInbox?: () => void;
  openOfficer?: (page: OfficerPage) => void;
  openHamletReview?: (hamletId: string) => void;
}

export default function HomePage({ openAssessment, openReview = openAssessment, openInbox, openOfficer, openHamletReview }: HomeNav) {
  const me = useAppStore((s) => s.me)!;
  const signOut = useAppStore((s) => s.signOut);
  const kind = homeKind(me);
  return (
    <Screen title="Học tập suốt đời">
      <div className="hello">
        <p className="hello-name">Xin chào, {me.displayName}</p>
        {(me.roles.length > 0 || me.householdId) && <p className="small">{me.roles.map((r) => r.unitName).filter(Boolean).join(' · ') || 'Hộ gia đình'}</p>}
      </div>
      {kind === 'household' && <Profiles me={me} openAssessment={openAssessment} />}
      {me.roles
        .filter((r) => r.role === 'hamlet_head' && r.unitLevel === 'hamlet')
        .map((r) => (
          <button key={r.unitId} type="button" className="btn btn-primary btn-block" onClick={() => openHamletReview?.(r.unitId)}>
            Bình xét hồ sơ của {hamletLabel(r.unitName)}
          </button>
        ))}
      {kind === 'leader' && <LeaderHome me={me} openReview={openReview} openAssessment={openAssessment} />}
      {kind === 'officer' && <OfficerHome me={me} go={(p) => openOfficer?.(p)} />}
      {kind !== 'household' && <Profiles me={me} openAssessment={openAssessment} />}
      {openInbox && <InboxButton onOpen={openInbox} />}
      <button type="button" className="btn btn-link btn-block" onClick={signOut}>
        Đăng xuất
      </button>
    </Screen>
  );
}

export { communeIdOf, currentCampaign, deadlineText } from './helpers.ts';
