import { useState } from 'react';
import { useApi } from '../../hooks/use-api.tsx';
import { InlineError, Screen } from '../../components/screen.tsx';
import { TextField } from '../../components/text-field.tsx';
import { textDraft } from '../../services/drafts.ts';
import { useAppStore } from '../../store.ts';
import { Button } from 'zmp-ui';

const DRAFT = 'invite-code';

/** A household member links their Zalo account to their household with the tổ leader's code. */
export default function LinkHouseholdPage() {
  const api = useApi();
  const setMe = useAppStore((s) => s.setMe);
  const signOut = useAppStore((s) => s.signOut);
  const [code, setCode] = useState(() => textDraft.get(DRAFT));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const change = (v: string) => {
    const clean = v.toUpperCase().replace(/\s+/g, '');
    setCode(clean);
    textDraft.set(DRAFT, clean);
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.claimInvite(code);
      textDraft.clear(DRAFT);
      setMe(await api.me());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title="Liên kết hộ gia đình">
      <p className="lead">Nhập mã mời do tổ trưởng hoặc trưởng ấp gửi cho gia đình bạn.</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.length >= 4) void submit();
        }}
      >
        <TextField
          label="Mã mời"
          className="input-code"
          value={code}
          onChange={(e) => change(e.target.value)}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="one-time-code"
          maxLength={32}
          placeholder="Ví dụ: AB12CD"
        />
        <InlineError error={error} />
        <Button htmlType="submit" variant="primary" fullWidth disabled={busy || code.length < 4}>
          {busy ? 'Đang liên kết…' : 'Liên kết'}
        </Button>
      </form>
      <p className="small">Chưa có mã? Hãy hỏi tổ trưởng tổ nhân dân tự quản nơi bạn ở.</p>
      <Button variant="tertiary" fullWidth onClick={signOut}>
        Đăng xuất
      </Button>
    </Screen>
  );
}
