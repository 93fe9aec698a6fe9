import { useState } from 'react';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { ApiError } from '../../services/api.ts';
import { getAccessToken, isInZalo } from '../../services/zalo.ts';
import { useAppStore } from '../../store.ts';
import type { DevUser } from '../../services/types.ts';

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
      <button type="button" className="btn btn-primary btn-block" onClick={() => void login()} disabled={busy}>
        {busy ? 'Đang đăng nhập…' : 'Đăng nhập bằng Zalo'}
      </button>
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
  return (
    <div className="stack">
      <p className="section-label">Bản thử nghiệm — chọn một người dùng mẫu:</p>
      <InlineError error={error} />
      {list.length === 0 ? (
        <EmptyState title="Chưa có người dùng mẫu. Hãy chạy lệnh nạp dữ liệu mẫu trên máy chủ." />
      ) : (
        <ul className="list">
          {list.map((u) => (
            <li key={u.id}>
              <button type="button" className="list-item" onClick={() => void pick(u)} disabled={busyId !== undefined}>
                <span className="list-item-title">{u.displayName}</span>
                <span className="list-item-sub">
                  {u.roleLabel} · {u.unitName}
                </span>
                {busyId === u.id && <span className="list-item-sub">Đang đăng nhập…</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
