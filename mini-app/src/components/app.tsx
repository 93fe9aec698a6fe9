import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react';
import {
  Button,
  AnimationRoutes,
  App,
  Route,
  SnackbarProvider,
  useLocation,
  useNavigate,
  useParams,
  ZMPRouter,
} from 'zmp-ui';
import { ApiProvider, useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useOnlineTracking } from '../hooks/use-online.ts';
import { ErrorState, LoadingState, Screen } from './screen.tsx';
import LoginPage from '../pages/login/index.tsx';
import HomePage from '../pages/home/index.tsx';
import type { AssessmentMode } from '../pages/assessment/index.tsx';
import { homeKind, useAppStore } from '../store.ts';
import { loadProfiles } from '../services/subjects.ts';
import type { Endpoints } from '../services/api.ts';

// Screens after home are loaded on demand: a household never downloads the tổ leader's, the
// officer's or the hamlet head's screens, and its own wizard arrives while home is read.
const AssessmentPage = lazy(() => import('../pages/assessment/index.tsx'));
const ReviewPage = lazy(() => import('../pages/leader/review.tsx'));
const CampaignPage = lazy(() => import('../pages/officer/campaign.tsx'));
const RecognitionPage = lazy(() => import('../pages/officer/recognition.tsx'));
const ExportsPage = lazy(() => import('../pages/officer/exports.tsx'));
const MessagesPage = lazy(() => import('../pages/officer/messages.tsx'));
const HamletReviewPage = lazy(() => import('../pages/hamlet/review.tsx'));
const AccountPage = lazy(() => import('../pages/account/index.tsx'));
const PostingRoutes = lazy(() => import('../pages/posting/routes.tsx'));
const ObjectionsPage = lazy(() => import('../pages/officer/objections.tsx'));
const InboxPage = lazy(() => import('../pages/inbox/index.tsx'));
// Only for someone signed in without a household, a role or anything they head: rare, and the
// entry chunk (what every cold start parses before the login screen) stays smaller without it.
const LinkHouseholdPage = lazy(() => import('../pages/link-household/index.tsx'));
// Once per person (the first sign-in, or after a withdrawal): one round trip then, and every
// other start parses less before the login screen.
const ConsentPage = lazy(() => import('../pages/consent/index.tsx'));

/** Shown while a screen's code or a criteria set downloads. */
function Loading() {
  return (
    <Screen title="Học tập suốt đời">
      <LoadingState label="Đang tải…" />
    </Screen>
  );
}

/**
 * A screen's code (or a criteria set) that fails to download on a dropped link: say so in
 * Vietnamese and retry in place, instead of a blank screen.
 */
class LoadBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <Screen title="Học tập suốt đời">
        <ErrorState
          error={new Error('Không tải được màn hình này. Hãy kiểm tra kết nối mạng rồi thử lại.')}
          onRetry={() => this.setState({ error: undefined })}
        />
      </Screen>
    );
  }
}

/** On demand: the boundary for errors, Suspense for the wait. */
function OnDemand({ children }: { children: ReactNode }) {
  return (
    <LoadBoundary>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </LoadBoundary>
  );
}

/** Gate: login → who am I → consent → household link → the role's home and the wizard. */
function Shell() {
  useOnlineTracking();
  const session = useAppStore((s) => s.session);
  const me = useAppStore((s) => s.me);
  useMeRefresh();
  if (!session) return <LoginPage />;
  if (!me) return <MeLoader />;
  if (!me.consents.evaluation)
    return (
      <OnDemand>
        <ConsentPage />
      </OnDemand>
    );
  // No household and no role: link a household, unless the person heads a clan or unit or is a citizen.
  if (!me.householdId && !me.personId && me.roles.length === 0) return <HeadGate />;
  return <Routes />;
}

/** Someone with no household and no role: the clans/units they head decide between home and linking. */
function HeadGate() {
  const api = useApi();
  const me = useAppStore((s) => s.me)!;
  const signOut = useAppStore((s) => s.signOut);
  const profiles = useAsync(() => loadProfiles(api, me), [api, me.id]);
  if (profiles.data && profiles.data.length > 0) return <Routes />;
  if (profiles.data)
    return (
      <OnDemand>
        <LinkHouseholdPage />
      </OnDemand>
    );
  return (
    <Screen title="Học tập suốt đời">
      {profiles.error ? (
        <>
          <ErrorState error={profiles.error} onRetry={profiles.reload} />
          <Button variant="tertiary" fullWidth onClick={signOut}>
            Đăng xuất
          </Button>
        </>
      ) : (
        <LoadingState label="Đang tải thông tin của bạn…" />
      )}
    </Screen>
  );
}

function Routes() {
  const on = (el: ReactNode) => <OnDemand>{el}</OnDemand>;
  return (
    <ZMPRouter memoryRouter>
      <AnimationRoutes>
        <Route path="/" element={on(<HomeRoute />)} />
        <Route path="/assessments/:id" element={on(<AssessmentRoute mode="auto" />)} />
        <Route path="/assessments/:id/edit" element={on(<AssessmentRoute mode="edit" />)} />
        <Route path="/review/:id" element={on(<ReviewRoute />)} />
        <Route path="/inbox" element={on(<InboxRoute />)} />
        <Route path="/officer/:page" element={on(<OfficerRoute />)} />
        <Route path="/hamlet-review/:hamletId" element={on(<HamletReviewRoute />)} />
        <Route path="/account" element={on(<AccountRoute />)} />
        <Route path="/campaigns/*" element={on(<HomeRoute />)} />
        <Route path="/postings/*" element={on(<PostingRoutes />)} />
      </AnimationRoutes>
    </ZMPRouter>
  );
}

/**
 * A warm start shows home from the /me kept on the phone (store.ts) without waiting for the network,
 * then asks /me once in the background: a changed role or consent applies within one round trip,
 * and a lost session (401 after a failed refresh) signs out through the API client. After a sign-in
 * `me` comes with the sign-in answer and is not asked again.
 */
function useMeRefresh() {
  const api = useApi();
  const setMe = useAppStore((s) => s.setMe);
  const userId = useAppStore((s) => s.session?.user.id);
  const fromStorage = useAppStore((s) => s.meFromStorage);
  useEffect(() => {
    if (!userId || !fromStorage || !useAppStore.getState().me) return;
    let live = true;
    api.me().then(
      (fresh) => live && useAppStore.getState().session?.user.id === userId && setMe(fresh),
      () => undefined, // offline: keep what the phone has
    );
    return () => {
      live = false;
    };
  }, [api, userId, fromStorage, setMe]);
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
          <Button variant="tertiary" fullWidth onClick={signOut}>
            Đăng xuất
          </Button>
        </>
      ) : (
        <LoadingState label="Đang tải thông tin của bạn…" />
      )}
    </Screen>
  );
}

const back = (navigate: ReturnType<typeof useNavigate>) => () => navigate('/', { direction: 'backward' });

/** The wizard's code, fetched while home is read, so "Bắt đầu tự đánh giá" opens at once. */
function prefetchWizard(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback;
  const load = () => void import('../pages/assessment/index.tsx').catch(() => undefined);
  if (idle) idle(load);
  else setTimeout(load, 0);
}

function HomeRoute() {
  const navigate = useNavigate();
  // After home's own data (setMine), so the prefetch never competes with it on a slow link.
  const homeLoaded = useAppStore((s) => s.mine.length > 0);
  useEffect(() => {
    if (homeLoaded) prefetchWizard();
  }, [homeLoaded]);
  return (
    <HomePage
      openAssessment={(id) => navigate(`/assessments/${encodeURIComponent(id)}`)}
      openReview={(id) => navigate(`/review/${encodeURIComponent(id)}`)}
      openInbox={() => navigate('/inbox')}
      openOfficer={(p) => navigate(`/officer/${p}`)}
      openHamletReview={(hamletId) => navigate(`/hamlet-review/${encodeURIComponent(hamletId)}`)}
      openAccount={() => navigate('/account')}
      openPostings={() => navigate('/postings')}
    />
  );
}

function AccountRoute() {
  const navigate = useNavigate();
  return <AccountPage onBack={back(navigate)} />;
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
  const me = useAppStore((s) => s.me)!;
  const { id = '' } = useParams();
  // The commune verifies from its recognition screen: go back there, not to the home screen.
  const done =
    homeKind(me) === 'officer' ? () => navigate('/officer/recognition', { direction: 'backward' }) : back(navigate);
  return <ReviewPage assessmentId={id} onBack={done} onDone={done} />;
}

function InboxRoute() {
  const navigate = useNavigate();
  return (
    <InboxPage
      onBack={back(navigate)}
      openLink={(link) => navigate(/^\/(assessments|postings)\//.test(link) ? link : '/')}
    />
  );
}

function OfficerRoute() {
  const navigate = useNavigate();
  const me = useAppStore((s) => s.me)!;
  const { page } = useParams();
  const onBack = back(navigate);
  if (page === 'campaign') return <CampaignPage me={me} onBack={onBack} />;
  if (page === 'recognition')
    return (
      <RecognitionPage me={me} onBack={onBack} openReview={(id) => navigate(`/review/${encodeURIComponent(id)}`)} />
    );
  if (page === 'exports') return <ExportsPage me={me} onBack={onBack} />;
  if (page === 'messages') return <MessagesPage me={me} onBack={onBack} />;
  if (page === 'objections') return <ObjectionsPage me={me} onBack={onBack} />;
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
