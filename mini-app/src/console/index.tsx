// The officer console: the mini app's code laid out for a PC at the commune office (1366×768),
// opened at /console and loaded on demand (app.ts), so a household's phone never downloads it.
// Screens: list imports with the dry-run report, the registry, appointments, invite QR sheets,
// progress charts, targets, Zalo group mapping, provinces and communes, the province view, and the phone's officer screens in a wide frame.
import { Component, lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { App, Button, SnackbarProvider } from 'zmp-ui';
import { ApiProvider, useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useOnlineTracking } from '../hooks/use-online.ts';
import { ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import { DevUserPicker } from '../components/dev-user-picker.tsx';
import ConsentPage from '../pages/consent/index.tsx';
import { useAppStore } from '../store.ts';
import type { DevUser, Me } from '../services/types.ts';
import { navFor, useHashRoute, type NavItem } from './nav.ts';
import { finishZaloWebLogin, startZaloWebLogin } from './zalo-web.ts';
import './console.css';

const ProgressScreen = lazy(() => import('./progress.tsx'));
const ImportScreen = lazy(() => import('./imports.tsx'));
const RegistryScreen = lazy(() => import('./registry.tsx'));
const RolesScreen = lazy(() => import('./roles.tsx'));
const InvitesScreen = lazy(() => import('./invites.tsx'));
const ProvinceScreen = lazy(() => import('./province.tsx'));
const PhoneScreen = lazy(() => import('./phone-screens.tsx'));
const TargetsScreen = lazy(() => import('./targets.tsx'));
const ZaloGroupsScreen = lazy(() => import('./zalo-groups.tsx'));
const AdminUnitsScreen = lazy(() => import('./admin-units.tsx'));

export default function ConsoleApp() {
  return (
    <App>
      <SnackbarProvider>
        <ApiProvider>
          <ConsoleShell />
        </ApiProvider>
      </SnackbarProvider>
    </App>
  );
}

function ConsoleShell() {
  useOnlineTracking();
  const session = useAppStore((s) => s.session);
  const me = useAppStore((s) => s.me);
  useEffect(() => {
    document.title = 'Bàn làm việc cán bộ — Học tập suốt đời';
  }, []);
  if (!session) return <ConsoleLogin />;
  if (!me) return <MeLoader />;
  if (!me.consents.evaluation)
    return (
      <div className="console-narrow">
        <ConsentPage />
      </div>
    );
  if (navFor(me).length === 0) return <NotStaff />;
  return <ConsoleLayout me={me} />;
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
    <main className="console-center">
      {me.error ? (
        <>
          <ErrorState error={me.error} onRetry={me.reload} />
          <Button variant="tertiary" onClick={signOut}>
            Đăng xuất
          </Button>
        </>
      ) : (
        <LoadingState label="Đang tải thông tin của bạn…" />
      )}
    </main>
  );
}

function NotStaff() {
  const signOut = useAppStore((s) => s.signOut);
  return (
    <main className="console-center">
      <h1 className="console-h1">Bàn làm việc dành cho cán bộ</h1>
      <p>
        Tài khoản này không giữ vai trò cán bộ xã, cán bộ tỉnh hay quản trị hệ thống. Hộ gia đình, tổ trưởng và trưởng
        ấp dùng ứng dụng “Học tập suốt đời” trên Zalo.
      </p>
      <p>
        <a href="/">Mở ứng dụng trên trình duyệt</a>
      </p>
      <Button variant="secondary" onClick={signOut}>
        Đăng xuất
      </Button>
    </main>
  );
}

/** Staff first: the console is for officers, province viewers and admins (the demo lists everyone). */
const STAFF_ORDER = ['Cán bộ xã', 'Quản trị hệ thống', 'Cán bộ tỉnh (chỉ xem)', 'Trưởng ấp', 'Tổ trưởng'];
const staffGroups = (users: DevUser[]) =>
  STAFF_ORDER.map((label) => [label, users.filter((u) => u.roleLabel === label)] as const);

function ConsoleLogin() {
  const api = useApi();
  const signIn = useAppStore((s) => s.signIn);
  const [error, setError] = useState<unknown>();
  // Back from Zalo's permission page (?code=&state=): finish the web sign-in once.
  const [zaloBusy, setZaloBusy] = useState(() => new URLSearchParams(window.location.search).has('code'));
  useEffect(() => {
    if (!zaloBusy) return;
    finishZaloWebLogin(api).then(
      (login) => {
        if (login) signIn(login);
        setZaloBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setZaloBusy(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);
  const zalo = async () => {
    setError(undefined);
    setZaloBusy(true);
    try {
      await startZaloWebLogin(api);
    } catch (err) {
      setError(err);
      setZaloBusy(false);
    }
  };
  return (
    <div className="console-login">
      <header className="console-login-head">
        <p className="console-brand">Học tập suốt đời</p>
        <h1 className="console-h1">Bàn làm việc cán bộ</h1>
        <p>
          Nhập danh sách hộ và nhân khẩu, quản lý sổ, phân công tổ trưởng và trưởng ấp, in mã mời, theo dõi tiến độ và
          báo cáo — trên máy tính ở trụ sở xã.
        </p>
      </header>
      <main className="console-login-body">
        <h2 className="console-h2">Đăng nhập</h2>
        <InlineError error={error} />
        <div className="console-row" style={{ margin: '8px 0 20px' }}>
          <button type="button" className="console-btn" disabled={zaloBusy} onClick={() => void zalo()}>
            {zaloBusy ? 'Đang đăng nhập bằng Zalo…' : 'Đăng nhập bằng Zalo'}
          </button>
          <span className="console-muted">Dùng tài khoản Zalo đã được giao vai trò cán bộ.</span>
        </div>
        <DevUserPicker
          look="console"
          groupsOf={staffGroups}
          texts={{
            intro: 'Bản thử nghiệm — chọn một tài khoản:',
            loading: 'Đang tải danh sách tài khoản thử…',
            off: 'Đăng nhập thử đang tắt trên máy chủ này. Hãy đăng nhập bằng Zalo.',
            empty: 'Chưa có tài khoản cán bộ. Hãy chạy lệnh “npm run admin:create” trên máy chủ.',
          }}
        />
      </main>
    </div>
  );
}

function ConsoleLayout({ me }: { me: Me }) {
  const nav = navFor(me);
  const [route, go] = useHashRoute(nav[0]!.path);
  const signOut = useAppStore((s) => s.signOut);
  const active = nav.find((n) => route === n.path || route.startsWith(`${n.path}/`)) ?? nav[0]!;
  const where = me.roles.map((r) => r.unitName).filter((v, i, a) => a.indexOf(v) === i);
  return (
    <div className="console">
      {/* Not a <header>: a phone screen framed below brings its own banner (one per page). */}
      <nav className="console-top" aria-label="Tài khoản">
        <p className="console-brand">Học tập suốt đời · Bàn làm việc cán bộ</p>
        <p className="console-who">
          {me.displayName.split(' — ')[0]} · {where.join(', ')}
        </p>
        <button type="button" className="console-link-button" onClick={signOut}>
          Đăng xuất
        </button>
      </nav>
      <nav className="console-nav" aria-label="Chức năng">
        <ul>
          {nav
            .filter((n) => !n.hidden)
            .map((n: NavItem) => (
              <li key={n.path}>
                <a href={`#${n.path}`} aria-current={n === active ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      {/* A phone screen brings its own <main>: the frame is then a plain box, not a second landmark. */}
      <Main phone={active.screen === 'phone'}>
        <ScreenBoundary key={route}>
          <Suspense fallback={<LoadingState label="Đang tải màn hình…" />}>
            <Screen route={route} item={active} me={me} go={go} />
          </Suspense>
        </ScreenBoundary>
      </Main>
    </div>
  );
}

function Main({ phone, children }: { phone: boolean; children: ReactNode }) {
  return phone ? (
    <div className="console-main" id="console-main">
      {children}
    </div>
  ) : (
    <main className="console-main" id="console-main">
      {children}
    </main>
  );
}

function Screen({ route, item, me, go }: { route: string; item: NavItem; me: Me; go: (path: string) => void }) {
  switch (item.screen) {
    case 'progress':
      return <ProgressScreen me={me} go={go} />;
    case 'import':
      return <ImportScreen me={me} kinds={item.path === '/units' ? ['units'] : ['households', 'persons']} />;
    case 'registry':
      return <RegistryScreen me={me} />;
    case 'roles':
      return <RolesScreen me={me} />;
    case 'admin-roles':
      return <RolesScreen me={me} admin />;
    case 'targets':
      return <TargetsScreen me={me} />;
    case 'zalo-groups':
      return <ZaloGroupsScreen me={me} />;
    case 'admin-units':
      return <AdminUnitsScreen me={me} />;
    case 'invites':
      return <InvitesScreen me={me} />;
    case 'province':
      return <ProvinceScreen me={me} />;
    case 'phone':
      return <PhoneScreen me={me} route={route} go={go} />;
  }
}

/** A screen whose code fails to download: say so and retry in place. */
class ScreenBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <ErrorState
        error={new Error('Không tải được màn hình này. Hãy kiểm tra kết nối mạng rồi thử lại.')}
        onRetry={() => this.setState({ error: undefined })}
      />
    );
  }
}
