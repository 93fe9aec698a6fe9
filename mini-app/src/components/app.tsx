import { useEffect } from 'react';
import { AnimationRoutes, App, Route, SnackbarProvider, useNavigate, useParams, ZMPRouter } from 'zmp-ui';
import { ApiProvider, useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useOnlineTracking } from '../hooks/use-online.ts';
import { ErrorState, LoadingState, Screen } from './screen.tsx';
import LoginPage from '../pages/login/index.tsx';
import ConsentPage from '../pages/consent/index.tsx';
import LinkHouseholdPage from '../pages/link-household/index.tsx';
import HomePage from '../pages/home/index.tsx';
import WizardPage from '../pages/wizard/index.tsx';
import { isHouseholdUser, useAppStore } from '../store.ts';
import type { Endpoints } from '../services/api.ts';

/** Gate: login → who am I → consent → household link → the role's home and the wizard. */
function Shell() {
  useOnlineTracking();
  const session = useAppStore((s) => s.session);
  const me = useAppStore((s) => s.me);
  if (!session) return <LoginPage />;
  if (!me) return <MeLoader />;
  if (!me.consents.evaluation) return <ConsentPage />;
  if (isHouseholdUser(me) && !me.householdId && me.roles.every((r) => r.role === 'household')) return <LinkHouseholdPage />;
  return (
    <ZMPRouter memoryRouter>
      <AnimationRoutes>
        <Route path="/" element={<HomeRoute />} />
        <Route path="/assessments/:id" element={<WizardRoute />} />
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

function HomeRoute() {
  const navigate = useNavigate();
  return <HomePage openAssessment={(id) => navigate(`/assessments/${encodeURIComponent(id)}`)} />;
}

function WizardRoute() {
  const navigate = useNavigate();
  const { id } = useParams();
  return <WizardPage assessmentId={id ?? ''} onExit={() => navigate('/', { direction: 'backward' })} />;
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
