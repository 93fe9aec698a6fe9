import { useState } from 'react';
import { SUBJECT_TYPES, TITLE_LABELS, formatNumber, type SubjectType } from '@hoctap/shared';
import { Button } from 'zmp-ui';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { useNotify } from '../../components/feedback.tsx';
import { TextAreaField } from '../../components/fields.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { formatDate, formatDateTime } from '../../services/format.ts';
import type { Campaign, Me } from '../../services/types.ts';
import type { Objection } from '../../services/postings-api.ts';
import { useOfficerCampaign } from './home.tsx';
import '../posting/posting.css';

/*
 * The commune officer's side of niêm yết (docs/transparency.md §2): open a hamlet's posting window,
 * see the windows, and resolve residents' objections (kept / removed, with a reason).
 */

export default function ObjectionsPage({ me, onBack }: { me: Me; onBack: () => void }) {
  const c = useOfficerCampaign(me);
  let body;
  if (c.loading && !c.data) body = <LoadingState />;
  else if (c.error && !c.data) body = <ErrorState error={c.error} onRetry={c.reload} />;
  else if (!c.data!.campaign || !c.data!.commune) body = <EmptyState title="Xã chưa mở đợt đánh giá năm nay." />;
  else body = <Posting campaign={c.data!.campaign} communeId={c.data!.commune.unitId} />;
  return (
    <Screen title="Niêm yết và ý kiến" onBack={onBack}>
      {body}
    </Screen>
  );
}

function Posting({ campaign, communeId }: { campaign: Campaign; communeId: string }) {
  const api = useApi();
  const data = useAsync(async () => {
    const [hamlets, postings, queue] = await Promise.all([
      api.adminUnits(communeId),
      api.postings.list(campaign.id),
      api.postings.queue(campaign.id, 'open'),
    ]);
    return { hamlets: hamlets.filter((h) => h.level === 'hamlet'), postings, queue };
  }, [api, campaign.id, communeId]);
  if (data.loading && !data.data) return <LoadingState label="Đang tải danh sách niêm yết…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { hamlets, postings, queue } = data.data!;
  return (
    <>
      <section className="card" aria-label="Ý kiến chờ xử lý">
        <h2 className="card-title">Ý kiến chờ xử lý ({formatNumber(queue.length)})</h2>
        {queue.length === 0 ? (
          <p className="small">Không có ý kiến nào đang chờ.</p>
        ) : (
          <ul className="list">
            {queue.map((o) => (
              <ObjectionItem key={o.id} o={o} onDone={data.reload} />
            ))}
          </ul>
        )}
      </section>
      <OpenForm campaign={campaign} hamlets={hamlets} onOpened={data.reload} />
      <section className="card" aria-label="Các đợt niêm yết">
        <h2 className="card-title">Các đợt niêm yết</h2>
        {postings.length === 0 ? (
          <p className="small">Chưa niêm yết danh sách nào.</p>
        ) : (
          <ul className="list">
            {postings.map((p) => (
              <li key={p.id} className="list-item">
                <span className="list-item-title">
                  {p.hamletName} · {p.title}
                </span>
                <span className="row">
                  <span className={`chip chip-${p.open ? 'info' : 'neutral'}`}>
                    {p.open ? 'Đang niêm yết' : 'Đã kết thúc'}
                  </span>
                  <span className="list-item-sub">
                    {formatDate(p.startsAt)} – {formatDate(p.endsAt)}
                    {p.unresolved ? ` · ${formatNumber(p.unresolved)} ý kiến chờ xử lý` : ''}
                  </span>
                </span>
                {p.open && (
                  <Button
                    variant="tertiary"
                    size="small"
                    onClick={() => void api.postings.close(p.id).then(data.reload, data.reload)}
                  >
                    Kết thúc niêm yết ngay
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function OpenForm({
  campaign,
  hamlets,
  onOpened,
}: {
  campaign: Campaign;
  hamlets: { id: string; name: string }[];
  onOpened: () => void;
}) {
  const api = useApi();
  const notify = useNotify();
  const [hamletId, setHamletId] = useState(hamlets[0]?.id ?? '');
  const [type, setType] = useState<SubjectType>('household');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const p = await api.postings.open({ campaignId: campaign.id, hamletId, subjectType: type });
      notify.success(
        `Đã niêm yết danh sách ${p.hamletName} đến hết ${formatDate(p.endsAt)}; nhóm Zalo của ấp đã được báo.`,
      );
      onOpened();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-label="Mở niêm yết">
      <h2 className="card-title">Niêm yết danh sách đề nghị công nhận</h2>
      <p className="small">
        Người dân trong ấp xem được danh sách (chỉ tên và danh hiệu) và gửi ý kiến. Chưa ra quyết định được khi còn đang
        niêm yết hoặc còn ý kiến chưa xử lý.
      </p>
      <SelectField
        label="Ấp, khóm"
        value={hamletId}
        options={hamlets.map((h) => ({ value: h.id, label: h.name }))}
        onChange={setHamletId}
      />
      <SelectField
        label="Danh hiệu"
        value={type}
        options={SUBJECT_TYPES.map((t) => ({ value: t, label: TITLE_LABELS[t] }))}
        onChange={(v) => setType(v as SubjectType)}
      />
      {error !== null && <InlineError error={error} />}
      <Button variant="primary" fullWidth disabled={busy || !hamletId} onClick={() => void open()}>
        Niêm yết 5 ngày
      </Button>
    </section>
  );
}

function ObjectionItem({ o, onDone }: { o: Objection; onDone: () => void }) {
  const api = useApi();
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [show, setShow] = useState(false);
  const missing = reason.trim().length === 0;
  const resolve = async (outcome: 'kept' | 'removed') => {
    setShow(true);
    if (missing) return;
    setBusy(true);
    setError(null);
    try {
      await api.postings.resolve(o.id, { outcome, reason: reason.trim() });
      notify.success(
        outcome === 'removed'
          ? `Đã đưa ${o.subjectName} ra khỏi danh sách.`
          : `Đã giữ ${o.subjectName} trong danh sách.`,
      );
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="list-item">
      <span className="list-item-title">{o.subjectName}</span>
      <span className="row">
        <span className={`chip chip-${o.kind === 'objection' ? 'warn' : 'info'}`}>
          {o.kind === 'objection' ? 'Phản ánh' : 'Góp ý'}
        </span>
        <span className="list-item-sub">
          {o.hamletName}
          {o.verifiedTotal !== null ? ` · ${formatNumber(o.verifiedTotal)} điểm xác minh` : ''}
        </span>
      </span>
      <span className="msg-body">“{o.reason}”</span>
      <span className="list-item-sub">
        {o.authorName} · {formatDateTime(o.createdAt)}
      </span>
      <TextAreaField
        label="Kết quả xem xét (gửi cho người phản ánh)"
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        error={show && missing && 'Hãy ghi lý do giữ nguyên hoặc đưa ra khỏi danh sách.'}
      />
      {error !== null && <InlineError error={error} />}
      <Button variant="secondary" fullWidth disabled={busy} onClick={() => void resolve('kept')}>
        Giữ nguyên trong danh sách
      </Button>
      <Button variant="secondary" fullWidth disabled={busy} onClick={() => void resolve('removed')}>
        Đưa ra khỏi danh sách
      </Button>
    </li>
  );
}
