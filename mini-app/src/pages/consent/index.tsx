import { useState } from 'react';
import { useAsync } from '../../hooks/use-async.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { InlineError, Screen } from '../../components/screen.tsx';
import { useAppStore } from '../../store.ts';
import type { ConsentPurpose } from '../../services/types.ts';
import { Button } from 'zmp-ui';

/**
 * Fallback only: the words and their version come from GET /me/consents (the server refuses a
 * grant of any other version, and logs which text a person agreed to).
 */
export const CONSENT_TEXT_VERSION = '2026-11-v1';

const PURPOSES: { purpose: ConsentPurpose; title: string; text: string; required: boolean }[] = [
  {
    purpose: 'evaluation',
    title: 'Đánh giá danh hiệu',
    text: 'Dùng họ tên, địa chỉ và điểm tự chấm của gia đình để tổ, ấp và xã xét công nhận danh hiệu học tập hằng năm.',
    required: true,
  },
  {
    purpose: 'photos',
    title: 'Ảnh minh chứng',
    text: 'Lưu ảnh bạn gửi (giấy khen, thẻ học sinh, góc học tập…) để tổ trưởng và cán bộ xã xem khi xác minh. Ảnh không công khai.',
    required: false,
  },
  {
    purpose: 'notifications',
    title: 'Nhận thông báo qua Zalo',
    text: 'Nhắc hạn tự đánh giá và báo kết quả công nhận qua Zalo.',
    required: false,
  },
];

export default function ConsentPage() {
  const api = useApi();
  const me = useAppStore((s) => s.me);
  const setMe = useAppStore((s) => s.setMe);
  const signOut = useAppStore((s) => s.signOut);
  // Nothing pre-ticked (Decree 13/2023: consent must be an explicit act); keep what was given before.
  const [chosen, setChosen] = useState<Record<ConsentPurpose, boolean>>({
    evaluation: me?.consents.evaluation ?? false,
    photos: me?.consents.photos ?? false,
    notifications: me?.consents.notifications ?? false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const state = useAsync(() => api.consentState(), [api]);
  const version = state.data?.version ?? CONSENT_TEXT_VERSION;
  const purposes = PURPOSES.map((p) => ({ ...p, ...(state.data?.texts?.[p.purpose] ?? {}) }));

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const purposes = PURPOSES.filter((p) => chosen[p.purpose]).map((p) => p.purpose);
    try {
      await api.giveConsents(purposes, version);
      setMe(await api.me());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen
      title="Đồng ý sử dụng thông tin"
      footer={
        <>
          <InlineError error={error} />
          <Button variant="primary" fullWidth disabled={busy || !chosen.evaluation} onClick={() => void submit()}>
            {busy ? 'Đang gửi…' : 'Đồng ý và tiếp tục'}
          </Button>
          <Button variant="tertiary" fullWidth onClick={signOut}>
            Không đồng ý, thoát
          </Button>
        </>
      }
    >
      <p className="lead">Trước khi bắt đầu, xin bạn đọc và đồng ý cho ứng dụng dùng thông tin vào các việc sau:</p>
      <ul className="consents">
        {purposes.map((p) => (
          <li key={p.purpose}>
            <label className="consent">
              <input
                type="checkbox"
                checked={chosen[p.purpose]}
                onChange={(e) => setChosen((c) => ({ ...c, [p.purpose]: e.target.checked }))}
              />
              <span>
                <span className="consent-title">
                  {p.title}
                  {p.required ? ' (bắt buộc)' : ' (không bắt buộc)'}
                </span>
                <span className="consent-text">{p.text}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {!chosen.evaluation && <p className="note-warn">Hãy đánh dấu mục “Đánh giá danh hiệu” để dùng ứng dụng.</p>}
      <p className="small">Bạn có thể rút lại sự đồng ý bất cứ lúc nào trong mục Tài khoản.</p>
    </Screen>
  );
}
