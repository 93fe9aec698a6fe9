import { useState } from 'react';
import { ROLE_LABELS } from '@hoctap/shared';
import { Button, Switch } from 'zmp-ui';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { ConfirmDialog, useNotify } from '../../components/feedback.tsx';
import { formatDateTime } from '../../services/format.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../services/types.ts';
import { useAppStore } from '../../store.ts';

const PURPOSE_TITLES: Record<ConsentPurpose, string> = {
  evaluation: 'Đánh giá danh hiệu',
  photos: 'Ảnh minh chứng',
  notifications: 'Nhận thông báo qua Zalo',
};

/**
 * "Tài khoản": who I am, my household, what I agreed to (and changing it), my data, signing out.
 * Withdrawing the evaluation consent ends the use of the app, so it asks first.
 */
export default function AccountPage({ onBack }: { onBack: () => void }) {
  const api = useApi();
  const notify = useNotify();
  const me = useAppStore((s) => s.me);
  const session = useAppStore((s) => s.session);
  const setMe = useAppStore((s) => s.setMe);
  const signOut = useAppStore((s) => s.signOut);
  const consents = useAsync(() => api.consentState(), [api]);
  const [busy, setBusy] = useState<ConsentPurpose>();
  const [error, setError] = useState<unknown>();
  const [askWithdraw, setAskWithdraw] = useState<ConsentPurpose>();

  const change = async (purpose: ConsentPurpose, on: boolean) => {
    setBusy(purpose);
    setError(undefined);
    try {
      if (on) await api.giveConsents([purpose], consents.data?.version ?? '');
      else await api.withdrawConsents([purpose]);
      notify.success(on ? `Đã đồng ý: ${PURPOSE_TITLES[purpose]}.` : `Đã rút lại đồng ý: ${PURPOSE_TITLES[purpose]}.`);
      consents.reload();
      setMe(await api.me());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
      setAskWithdraw(undefined);
    }
  };

  const leave = async () => {
    const refresh = session?.refreshToken;
    // Signing out on this phone must work offline too: the server call is best effort.
    if (refresh) await api.logout(refresh).catch(() => undefined);
    signOut();
  };

  // Signed out: the shell shows the login screen; nothing to draw meanwhile.
  if (!me) return null;
  const live = consents.data?.live ?? me.consents;
  const texts = consents.data?.texts;
  const log = [...(consents.data?.log ?? [])].reverse().slice(0, 6);
  const h = me.household;
  return (
    <Screen title="Tài khoản" onBack={onBack}>
      <section className="card" aria-label="Thông tin của bạn">
        <p className="card-kicker">Thông tin của bạn</p>
        <h2 className="card-title">{me.displayName.split(' — ')[0]}</h2>
        {me.roles.length > 0 && (
          <ul className="names">
            {me.roles.map((r) => (
              <li key={`${r.role}:${r.unitId}`}>
                {ROLE_LABELS[r.role]} · {r.unitName}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-label="Hộ gia đình">
        <h2 className="card-title">Hộ gia đình</h2>
        {h ? (
          <p>
            Đã liên kết với <strong>hộ {h.headName}</strong> · {h.groupName}, {h.hamletName}
            {h.address ? ` · ${h.address}` : ''}.
          </p>
        ) : (
          <p className="small">
            Tài khoản chưa liên kết với hộ gia đình nào. Hãy nhờ tổ trưởng gửi mã mời để liên kết.
          </p>
        )}
      </section>

      <section className="card" aria-label="Sự đồng ý">
        <h2 className="card-title">Sự đồng ý sử dụng thông tin</h2>
        {consents.loading && !consents.data && <LoadingState label="Đang tải…" />}
        {consents.error !== undefined && !consents.data && (
          <ErrorState error={consents.error} onRetry={consents.reload} />
        )}
        <InlineError error={error} />
        {CONSENT_PURPOSES.map((p) => (
          <div key={p} className="stack">
            <div className="account-row">
              <span>
                <strong>{texts?.[p]?.title ?? PURPOSE_TITLES[p]}</strong>
                <span className="consent-live"> · {live[p] ? 'Đang đồng ý' : 'Chưa đồng ý'}</span>
              </span>
              <Switch
                aria-label={`${PURPOSE_TITLES[p]}: ${live[p] ? 'đang đồng ý' : 'chưa đồng ý'}`}
                checked={live[p]}
                disabled={busy !== undefined || !consents.data}
                onChange={(e) =>
                  e.target.checked
                    ? void change(p, true)
                    : p === 'evaluation'
                      ? setAskWithdraw(p)
                      : void change(p, false)
                }
              />
            </div>
            {texts?.[p] && <p className="small">{texts[p].text}</p>}
            {p === 'photos' && !live.photos && (
              <p className="small">Khi chưa đồng ý, bạn không gửi được ảnh minh chứng (chỉ số cần ảnh sẽ chưa đủ).</p>
            )}
          </div>
        ))}
        {log.length > 0 && (
          <>
            <p className="section-label">Lịch sử gần đây</p>
            <ul className="names">
              {log.map((e, i) => (
                <li key={`${e.at}:${i}`}>
                  {formatDateTime(e.at)}: {e.action === 'grant' ? 'đồng ý' : 'rút lại'} “{PURPOSE_TITLES[e.purpose]}”
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="card" aria-label="Dữ liệu cá nhân">
        <h2 className="card-title">Dữ liệu cá nhân của bạn</h2>
        <p className="small">
          Bạn có quyền xem, nhận bản sao và yêu cầu xóa dữ liệu cá nhân của mình. Ứng dụng chưa nhận các yêu cầu này
          trực tuyến: hãy liên hệ UBND xã hoặc Hội Khuyến học xã, cán bộ sẽ xử lý và báo lại cho bạn.
        </p>
      </section>

      <Button variant="secondary" fullWidth onClick={() => void leave()}>
        Đăng xuất
      </Button>

      <ConfirmDialog
        visible={askWithdraw !== undefined}
        title="Rút lại đồng ý “Đánh giá danh hiệu”?"
        description="Khi rút lại, bạn không dùng được ứng dụng để tự đánh giá hay xác minh nữa. Hồ sơ đã gửi vẫn được lưu theo quy định."
        confirmLabel="Rút lại đồng ý"
        danger
        busy={busy !== undefined}
        onConfirm={() => void change('evaluation', false)}
        onCancel={() => setAskWithdraw(undefined)}
      />
    </Screen>
  );
}
