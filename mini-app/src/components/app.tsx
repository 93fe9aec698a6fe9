import { useEffect } from 'react';
import { AnimationRoutes, App, Route, SnackbarProvider, useLocation, useNavigate, useParams, ZMPRouter } from 'zmp-ui';
import { ApiProvider, useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useOnlineTracking } from '../hooks/use-online.ts';
import { ErrorState, LoadingState, Screen } from './screen.tsx';
import LoginPage from '../pages/login/index.tsx';
import ConsentPage from '../pages/consent/index.tsx';
import LinkHouseholdPage from '../pages/link-household/index.tsx';
import HomePage from '../pages/home/index.tsx';
import AssessmentPage, { type AssessmentMode } from '../pages/assessment/index.tsx';
import InboxPage from '../pages/inbox/index.tsx';
import ReviewPage from '../pages/leader/review.tsx';
import CampaignPage from '../pages/officer/campaign.tsx';
import RecognitionPage from '../pages/officer/recognition.tsx';
import ExportsPage from '../pages/officer/exports.tsx';
import MessagesPage from '../pages/officer/messages.tsx';
import HamletReviewPage from '../pages/hamlet/review.tsx';
import { useAppStore } from '../store.ts';
import { loadProfiles } from '../services/subjects.ts';
import type { Endpoints } from '../services/api.ts';

/** Gate: login → who am I → consent → household link → the role's home and the wizard. */
function Shell() {
  useOnlineTracking();
  const session = useAppStore((s) => s.session);
  const me = useAppStore((s) => s.me);
  if (!session) return <LoginPage />;
  if (!me) return <MeLoader />;
  if (!me.consents.evaluation) return <ConsentPage />;
  // No household and no role: link a household, unless the person heads a clan or unit or is a citizen.
  if (!me.householdId && !me.personId && me.roles.every((r) => r.role === 'household')) return <HeadGate />;
  return <Routes />;
}

/** Someone with no household and no role: the clans/units they head decide between home and linking. */
function HeadGate() {
  const api = useApi();
  const me = useAppStore((s) => s.me)!;
  const signOut = useAppStore((s) => s.signOut);
  const profiles = useAsync(() => loadProfiles(api, me), [api, me.id]);
  if (profiles.data && profiles.data.length > 0) return <Routes />;
  if (profiles.data) return <LinkHouseholdPage />;
  return (
    <Screen title="Học tập suốt đời">
      {profiles.error ? (
        <>
          <ErrorState error={profiles.error} onRetry={profiles.reload} />
          <button type="button" className="btn btn-link btn-block" onClick={signOut}>
            Đăng xuất
          </button>
        </>
      ) : (
        <LoadingState label="Đang tải thông tin của bạn…" />
      )}
    </Screen>
  );
}

function Routes() {
  return (
    <ZMPRouter memoryRouter>
      <AnimationRoutes>
        <Route path="/" element={<HomeRoute />} />
        <Route path="/assessments/:id" element={<AssessmentRoute mode="auto" />} />
        <Route path="/assessments/:id/edit" element={<AssessmentRoute mode="edit" />} />
        <Route path="/review/:id" element={<ReviewRoute />} />
        <Route path="/inbox" element={<InboxRoute />} />
        <Route path="/officer/:page" element={<OfficerRoute />} />
        <Route path="/hamlet-review/:hamletId" element={<HamletReviewRoute />} />
        <Route path="/campaigns/*" element={<HomeRoute />} />
      </AnimationRoutes>
    </ZMPRouter>
  );
}

function MeLoader() {
  const api = useApi();
  const setMe = useAppStore((s) => s.setMe);
  const signOut = useAppStore((s) => s.signOut);
  const me = useAsync(() => api.me(), [api]);
  useEffect(() => {
    if (me.data) setMe(me.data);
  }, [me.data, setMe]);
  return (
    <Screen title="Học tập suốt đời">
      {me.error ? (
        <>
          <ErrorState error={me.error} onRetry={me.reload} />
          <button type="button" className="btn btn-link btn-block" onClick={signOut}>
            Đăng xuất
          </button>
        </>
      ) : (
        <LoadingState label="Đang tải thông tin của bạn…" />
      )}
    </Screen>
  );
}

const back = (navigate: ReturnType<typeof useNavigate>) => () => navigate('/', { direction: 'backward' });

function HomeRoute() {
  const navigate = useNavigate();
  return (
    <HomePage
      openAssessment={(id) => navigate(`/assessments/${encodeURIComponent(id)}`)}
      openReview={(id) => navigate(`/review/${encodeURIComponent(id)}`)}
      openInbox={() => navigate('/inbox')}
      openOfficer={(p) => navigate(`/officer/${p}`)}
      openHamletReview={(hamletId) => navigate(`/hamlet-review/${encodeURIComponent(hamletId)}`)}
    />
  );
}

function HamletReviewRoute() {
  const navigate = useNavigate();
  const me = useAppStore((s) => s.me)!;
  const { hamletId = '' } = useParams();
  return <HamletReviewPage me={me} hamletId={hamletId} onBack={back(navigate)} />;
}

/** "/assessments/<id>?indicator=1.2" (deep links from the inbox and Zalo messages). */
function AssessmentRoute({ mode }: { mode: AssessmentMode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const { id = '' } = useParams();
  const indicator = new URLSearchParams(location.search).get('indicator') ?? undefined;
  const path = `/assessments/${encodeURIComponent(id)}`;
  return (
    <AssessmentPage
      key={`${id}:${mode}:${indicator ?? ''}`}
      assessmentId={id}
      indicator={indicator}
      mode={mode}
      onExit={back(navigate)}
      onEdit={(code) => navigate(`${path}/edit${code ? `?indicator=${encodeURIComponent(code)}` : ''}`)}
      onOverview={() => navigate(path, { replace: true })}
      onReview={() => navigate(`/review/${encodeURIComponent(id)}`, { replace: true })}
    />
  );
}

function ReviewRoute() {
  const navigate = useNavigate();
  const { id = '' } = useParams();
  return <ReviewPage assessmentId={id} onBack={back(navigate)} onDone={back(navigate)} />;
}

function InboxRoute() {
  const navigate = useNavigate();
  return <InboxPage onBack={back(navigate)} openLink={(link) => navigate(link.startsWith('/assessments/') ? link : '/')} />;
}

function OfficerRoute() {
  const navigate = useNavigate();
  const me = useAppStore((s) => s.me)!;
  const { page } = useParams();
  const onBack = back(navigate);
  if (page === 'campaign') return <CampaignPage me={me} onBack={onBack} />;
  if (page === 'recognition') return <RecognitionPage me={me} onBack={onBack} />;
  if (page === 'exports') return <ExportsPage me={me} onBack={onBack} />;
  if (page === 'messages') return <MessagesPage me={me} onBack={onBack} />;
  return <HomeRoute />;
}

export default function HoctapApp({ api }: { api?: Endpoints }) {
  return (
    <App>
      <SnackbarProvider>
        <ApiProvider {...(api ? { api } : {})}>
          <Shell />
        </ApiProvider>
      </SnackbarProvider>
    </App>
  );
}
