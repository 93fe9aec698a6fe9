import { useState } from 'react';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { ApiError } from '../../services/api.ts';
import { getAccessToken, isInZalo } from '../../services/zalo.ts';
import { useAppStore } from '../../store.ts';
import type { DevUser } from '../../services/types.ts';
import { Button } from 'zmp-ui';

/** Inside Zalo: one button (Zalo token → our session). Elsewhere: the development user list. */
export default function LoginPage({ inZalo = isInZalo() }: { inZalo?: boolean }) {
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
      signIn(await api.zaloLogin(token));
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
  const api = useApi();
  const signIn = useAppStore((s) => s.signIn);
  const users = useAsync(() => api.devUsers(), [api]);
  const [busyId, setBusyId] = useState<string>();
  const [error, setError] = useState<unknown>();

  const pick = async (u: DevUser) => {
    setBusyId(u.id);
    setError(undefined);
    try {
      signIn(await api.devLogin(u.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(undefined);
    }
  };

  if (users.loading && !users.data) return <LoadingState label="Đang tải danh sách người dùng thử…" />;
  if (users.error && !users.data) {
    if (users.error instanceof ApiError && users.error.status === 404)
      return <EmptyState title="Đăng nhập thử đang tắt trên máy chủ này. Hãy mở ứng dụng trong Zalo." />;
    return <ErrorState error={users.error} onRetry={users.reload} />;
  }
  const list = users.data ?? [];
  const groups = groupDevUsers(list);
  return (
    <div className="stack">
      <p className="section-label">Bản thử nghiệm — chọn một người dùng mẫu:</p>
      <InlineError error={error} />
      {list.length === 0 ? (
        <EmptyState title="Chưa có người dùng mẫu. Hãy chạy lệnh nạp dữ liệu mẫu trên máy chủ." />
      ) : (
        groups.map(([label, members]) => (
          <section key={label} className="stack" aria-label={label}>
            <h2 className="h2">{label}</h2>
            <ul className="list">
              {members.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    className="list-item"
                    onClick={() => void pick(u)}
                    disabled={busyId !== undefined}
                  >
                    <span className="list-item-title">{u.displayName}</span>
                    {u.unitName && <span className="list-item-sub">{u.unitName}</span>}
                    {busyId === u.id && <span className="list-item-sub">Đang đăng nhập…</span>}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
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
