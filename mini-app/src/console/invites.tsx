import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate } from '../services/format.ts';
import type { Me } from '../services/types.ts';
import type { AdminUnit, Household, Invite } from './api.ts';
import { communeOf } from './nav.ts';
import { Field, n, useConsoleApi } from './ui.tsx';

interface Card {
  household: Household;
  invite: Invite;
  qr: string;
}

/**
 * A sheet of invite codes for one tổ, to print and hand to the tổ leader: per household its head,
 * address, the 8-character code and its QR (`hoctap://invite/<code>`, what the mini app opens).
 * Each code is new (one-time, 14 days; older codes of the household stay valid until used or
 * expired), so a sheet is printed when it is handed out, not kept in advance.
 */
export default function InvitesScreen({ me }: { me: Me }) {
  const api = useConsoleApi();
  const communeId = communeOf(me)?.unitId;
  const hamlets = useAsync(
    async () => (communeId ? (await api.units(communeId)).filter((h) => !h.effectiveTo) : []),
    [api, communeId],
  );
  const [hamletId, setHamletId] = useState('');
  const hamlet = hamlets.data?.find((h) => h.id === hamletId) ?? hamlets.data?.[0];
  const groups = useAsync(
    async () => (hamlet ? (await api.units(hamlet.id)).filter((g) => !g.effectiveTo) : []),
    [api, hamlet?.id],
  );
  const [groupId, setGroupId] = useState('');
  const group = groups.data?.find((g) => g.id === groupId) ?? groups.data?.[0];

  if (!communeId) return <EmptyState title="Tài khoản chưa được giao phụ trách xã nào." />;
  return (
    <>
      <h1 className="console-h1 no-print">In mã mời theo tổ</h1>
      <section className="console-panel no-print" aria-labelledby="inv-pick-h">
        <h2 className="console-h2" id="inv-pick-h">
          Chọn tổ
        </h2>
        {hamlets.error ? (
          <ErrorState error={hamlets.error} onRetry={hamlets.reload} />
        ) : !hamlets.data ? (
          <LoadingState />
        ) : hamlets.data.length === 0 ? (
          <EmptyState title="Xã chưa có ấp. Hãy nhập danh sách hộ trước." />
        ) : (
          <div className="console-row">
            <Field label="Ấp">
              <select value={hamlet?.id ?? ''} onChange={(e) => setHamletId(e.target.value)}>
                {hamlets.data.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Tổ">
              <select value={group?.id ?? ''} onChange={(e) => setGroupId(e.target.value)}>
                {(groups.data ?? []).map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
      </section>
      {group && hamlet && <GroupSheet key={group.id} group={group} hamlet={hamlet} />}
    </>
  );
}

function GroupSheet({ group, hamlet }: { group: AdminUnit; hamlet: AdminUnit }) {
  const api = useConsoleApi();
  const households = useAsync(async () => {
    const all: Household[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.households({ unitId: group.id, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }, [api, group.id]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (households.data) setPicked(new Set(households.data.map((h) => h.id)));
  }, [households.data]);
  const [cards, setCards] = useState<Card[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const issue = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const out: Card[] = [];
      // One at a time: each is an audited write, and a tổ is 15–50 households.
      for (const h of households.data!.filter((x) => picked.has(x.id))) {
        const invite = await api.householdInvite(h.id);
        const qr = await QRCode.toDataURL(invite.qrPayload, { errorCorrectionLevel: 'M', margin: 1, width: 264 });
        out.push({ household: h, invite, qr });
      }
      setCards(out);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (households.error) return <ErrorState error={households.error} onRetry={households.reload} />;
  if (!households.data) return <LoadingState label="Đang tải danh sách hộ…" />;
  if (households.data.length === 0) return <EmptyState title="Tổ này chưa có hộ nào." />;
  const place = `${group.name}, ấp ${hamlet.name.replace(/^(Ấp|ấp)\s+/, '')}`;
  return (
    <>
      {!cards && (
        <section className="console-panel" aria-labelledby="inv-hh-h">
          <h2 className="console-h2" id="inv-hh-h">
            Hộ trong {place} ({n(households.data.length)})
          </h2>
          <div className="console-table-wrap">
            <table className="console-table">
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Chọn tất cả"
                      checked={picked.size === households.data.length}
                      onChange={(e) =>
                        setPicked(e.target.checked ? new Set(households.data!.map((h) => h.id)) : new Set())
                      }
                    />
                  </th>
                  <th scope="col">Chủ hộ</th>
                  <th scope="col">Địa chỉ</th>
                  <th scope="col" className="num">
                    Nhân khẩu
                  </th>
                </tr>
              </thead>
              <tbody>
                {households.data.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`In mã cho hộ ${h.headName}`}
                        checked={picked.has(h.id)}
                        onChange={(e) => {
                          const next = new Set(picked);
                          if (e.target.checked) next.add(h.id);
                          else next.delete(h.id);
                          setPicked(next);
                        }}
                      />
                    </td>
                    <td>{h.headName}</td>
                    <td>{h.address || '—'}</td>
                    <td className="num">{h.memberCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <InlineError error={error} />
          <div className="console-row" style={{ marginTop: 12 }}>
            <button
              type="button"
              className="console-btn"
              disabled={busy || picked.size === 0}
              onClick={() => void issue()}
            >
              {busy ? 'Đang tạo mã…' : `Tạo mã mời cho ${n(picked.size)} hộ`}
            </button>
          </div>
        </section>
      )}
      {cards && (
        <section aria-labelledby="inv-sheet-h">
          <div className="console-row no-print" style={{ marginBottom: 12 }}>
            <button type="button" className="console-btn" onClick={() => window.print()}>
              In trang này
            </button>
            <button type="button" className="console-btn console-btn-secondary" onClick={() => setCards(undefined)}>
              Quay lại danh sách hộ
            </button>
          </div>
          <h2 className="console-h2" id="inv-sheet-h">
            Mã mời — {place} ({n(cards.length)} hộ)
          </h2>
          <p className="console-muted" style={{ marginBottom: 10 }}>
            Cách dùng: mở ứng dụng “Học tập suốt đời” trên Zalo, nhập mã vào ô “Mã mời” (hoặc quét mã QR) rồi bấm “Liên
            kết”. Mỗi mã dùng một lần.
          </p>
          <ul className="invite-sheet" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {cards.map((c) => (
              <li key={c.invite.id} className="invite-card">
                <img src={c.qr} alt={`Mã QR của hộ ${c.household.headName}`} />
                <div>
                  <p className="invite-head">Hộ {c.household.headName}</p>
                  <p>{c.household.address || place}</p>
                  <p>{place}</p>
                  <p>Mã mời:</p>
                  <p className="invite-code">{c.invite.code}</p>
                  <p>Hạn dùng: {formatDate(c.invite.expiresAt)}</p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
