import { useEffect, useState } from 'react';
import { CATALOG_IDS } from '@hoctap/shared/catalog/ids';
import { useApi } from '../../hooks/use-api.tsx';
import { InlineError, Screen } from '../../components/screen.tsx';
import { DevUserPicker } from '../../components/dev-user-picker.tsx';
import { getAccessToken, isInZalo } from '../../services/zalo.ts';
import { useAppStore } from '../../store.ts';
import { preloadCatalogSets } from '../../services/catalog.ts';
import { startHome } from '../../services/home.ts';
import type { DevUser } from '../../services/types.ts';
import { Button } from 'zmp-ui';

/** Inside Zalo: one button (Zalo token → our session). Elsewhere: the development user list. */
export default function LoginPage({ inZalo = isInZalo() }: { inZalo?: boolean }) {
  // Most people who sign in are households, and home's cards wait for the household criteria set
  // (~4 KB): fetch it while the person reads this screen, not after the tap.
  useEffect(() => {
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback;
    const load = () => void preloadCatalogSets([CATALOG_IDS.household]);
    if (idle) idle(load);
    else setTimeout(load, 0);
  }, []);
  return (
    <Screen title="Đăng nhập">
      <div className="intro">
        <p className="intro-title">Đánh giá danh hiệu học tập</p>
        <p>Gia đình học tập, Dòng họ học tập, Cộng đồng học tập — tự đánh giá và gửi minh chứng ngay trên Zalo.</p>
      </div>
      {inZalo ? <ZaloLogin /> : <DevLogin />}
    </Screen>
  );
}

function ZaloLogin() {
  const api = useApi();
  const signIn = useAppStore((s) => s.signIn);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const login = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const token = await getAccessToken();
      if (!token) throw new Error('Không lấy được thông tin đăng nhập từ Zalo. Vui lòng thử lại.');
      const signedIn = await api.zaloLogin(token);
      signIn(signedIn);
      startHome(api, signedIn.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <InlineError error={error} />
      <Button variant="primary" fullWidth onClick={() => void login()} disabled={busy}>
        {busy ? 'Đang đăng nhập…' : 'Đăng nhập bằng Zalo'}
      </Button>
    </div>
  );
}

function DevLogin() {
  return (
    <DevUserPicker
      look="phone"
      groupsOf={groupDevUsers}
      afterSignIn={(api, login) => startHome(api, login.user)}
      texts={{
        intro: 'Bản thử nghiệm — chọn một người dùng mẫu:',
        loading: 'Đang tải danh sách người dùng thử…',
        off: 'Đăng nhập thử đang tắt trên máy chủ này. Hãy mở ứng dụng trong Zalo.',
        empty: 'Chưa có người dùng mẫu. Hãy chạy lệnh nạp dữ liệu mẫu trên máy chủ.',
      }}
    />
  );
}

const GROUP_ORDER = [
  'Hộ gia đình',
  'Công dân học tập',
  'Trưởng dòng họ',
  'Thủ trưởng đơn vị',
  'Tổ trưởng',
  'Trưởng ấp',
  'Cán bộ xã',
];

/** The demo list by role: people without a role are told apart by what they head (their name says it). */
export function groupDevUsers(list: DevUser[]): [string, DevUser[]][] {
  const roleOf = (u: DevUser) => {
    if (u.roleLabel !== 'Hộ gia đình') return u.roleLabel;
    if (/— Thủ trưởng /.test(u.displayName)) return 'Thủ trưởng đơn vị';
    if (/— Trưởng Dòng họ /i.test(u.displayName)) return 'Trưởng dòng họ';
    if (/— Công dân học tập/.test(u.displayName)) return 'Công dân học tập';
    return 'Hộ gia đình';
  };
  const m = new Map<string, DevUser[]>();
  for (const u of list) m.set(roleOf(u), [...(m.get(roleOf(u)) ?? []), u]);
  const rank = (k: string) => (GROUP_ORDER.includes(k) ? GROUP_ORDER.indexOf(k) : GROUP_ORDER.length);
  return [...m.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
}
