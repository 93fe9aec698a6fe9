import { useState } from 'react';
import { OBJECTION_REASON_MAX, OBJECTION_REASON_MIN } from '@hoctap/shared/api';
import { Button } from 'zmp-ui';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { useNotify } from '../../components/feedback.tsx';
import { TextAreaField } from '../../components/fields.tsx';
import { formatDate } from '../../services/format.ts';
import type { MyObjection, PostingDetail } from '../../services/postings-api.ts';
import './posting.css';

/*
 * Niêm yết công khai (docs/transparency.md §2): a resident of the hamlet sees the proposed list —
 * names and the title only — while the window runs, and objects to (or comments on) one entry.
 */

const MINE: Record<MyObjection['status'], { label: string; tone: string }> = {
  open: { label: 'Bạn đã gửi ý kiến — đang chờ xã xử lý', tone: 'info' },
  kept: { label: 'Xã đã xử lý: giữ nguyên trong danh sách', tone: 'neutral' },
  removed: { label: 'Xã đã xử lý: đưa ra khỏi danh sách', tone: 'warn' },
};

/** The windows running in the resident's hamlet. */
export function PostingListPage({ onBack, openPosting }: { onBack: () => void; openPosting: (id: string) => void }) {
  const api = useApi();
  const list = useAsync(() => api.postings.list(), [api]);
  let body;
  if (list.loading && !list.data) body = <LoadingState label="Đang tải danh sách niêm yết…" />;
  else if (list.error && !list.data) body = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.data!.length === 0)
    body = <EmptyState title="Hiện không có danh sách nào đang niêm yết ở ấp của bạn." />;
  else
    body = (
      <ul className="list">
        {list.data!.map((p) => (
          <li key={p.id} className="list-item">
            <span className="list-item-title">
              {p.title} — {p.hamletName}
            </span>
            <span className="list-item-sub">
              {p.open ? `Niêm yết đến hết ${formatDate(p.endsAt)}` : `Đã kết thúc ${formatDate(p.endsAt)}`}
            </span>
            <Button variant="secondary" size="small" onClick={() => openPosting(p.id)}>
              Xem danh sách
            </Button>
          </li>
        ))}
      </ul>
    );
  return (
    <Screen title="Danh sách niêm yết" onBack={onBack}>
      {body}
    </Screen>
  );
}

/** One posted list, with a form to object to one entry. */
export function PostingDetailPage({ postingId, onBack }: { postingId: string; onBack: () => void }) {
  const api = useApi();
  const d = useAsync(() => api.postings.detail(postingId), [api, postingId]);
  let body;
  if (d.loading && !d.data) body = <LoadingState label="Đang tải danh sách…" />;
  else if (d.error && !d.data) body = <ErrorState error={d.error} onRetry={d.reload} />;
  else body = <PostedList posting={d.data!} onSent={d.reload} />;
  return (
    <Screen title="Danh sách niêm yết" onBack={onBack}>
      {body}
    </Screen>
  );
}

function PostedList({ posting, onSent }: { posting: PostingDetail; onSent: () => void }) {
  const [writing, setWriting] = useState<string | null>(null);
  return (
    <>
      <section className="card">
        <p className="card-kicker">{posting.hamletName}</p>
        <h2 className="card-title">Danh sách đề nghị công nhận “{posting.title}”</h2>
        <p className="small">
          {posting.open
            ? `Niêm yết công khai đến hết ${formatDate(posting.endsAt)}. Nếu bạn thấy trường hợp nào chưa đúng, hãy gửi ý kiến kèm lý do; cán bộ xã sẽ xem xét và trả lời bạn.`
            : 'Thời gian niêm yết đã kết thúc.'}
        </p>
      </section>
      {posting.entries.length === 0 ? (
        <EmptyState title="Danh sách chưa có trường hợp nào." />
      ) : (
        <ol className="list">
          {posting.entries.map((e) => {
            const latest = e.mine[0];
            const canWrite = posting.open && latest?.status !== 'open';
            return (
              <li key={e.assessmentId} className="list-item">
                <span className="list-item-title">{e.subjectName}</span>
                {latest && <span className={`chip chip-${MINE[latest.status].tone}`}>{MINE[latest.status].label}</span>}
                {latest?.resolution && <span className="list-item-sub">Lý do: {latest.resolution}</span>}
                {writing === e.assessmentId ? (
                  <ObjectionForm
                    postingId={posting.id}
                    assessmentId={e.assessmentId}
                    name={e.subjectName}
                    onCancel={() => setWriting(null)}
                    onSent={() => {
                      setWriting(null);
                      onSent();
                    }}
                  />
                ) : (
                  canWrite && (
                    <Button variant="tertiary" size="small" onClick={() => setWriting(e.assessmentId)}>
                      Gửi ý kiến về trường hợp này
                    </Button>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

export function validateReason(reason: string): string | undefined {
  const n = reason.trim().length;
  if (n < OBJECTION_REASON_MIN) return `Hãy ghi rõ lý do (ít nhất ${OBJECTION_REASON_MIN} ký tự).`;
  if (n > OBJECTION_REASON_MAX) return `Lý do dài quá ${OBJECTION_REASON_MAX} ký tự.`;
  return undefined;
}

function ObjectionForm(p: {
  postingId: string;
  assessmentId: string;
  name: string;
  onCancel: () => void;
  onSent: () => void;
}) {
  const api = useApi();
  const notify = useNotify();
  const [kind, setKind] = useState<'objection' | 'comment'>('objection');
  const [reason, setReason] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const invalid = validateReason(reason);
  const send = async () => {
    setShow(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      await api.postings.object(p.postingId, { assessmentId: p.assessmentId, kind, reason: reason.trim() });
      notify.success('Đã gửi ý kiến. Cán bộ xã sẽ xem xét và trả lời bạn.');
      p.onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="objection-form"
      aria-label={`Ý kiến về ${p.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <fieldset className="field">
        <legend className="field-label">Loại ý kiến</legend>
        <label className="row">
          <input type="radio" name="kind" checked={kind === 'objection'} onChange={() => setKind('objection')} />
          Phản ánh: trường hợp này chưa đủ điều kiện
        </label>
        <label className="row">
          <input type="radio" name="kind" checked={kind === 'comment'} onChange={() => setKind('comment')} />
          Góp ý khác
        </label>
      </fieldset>
      <TextAreaField
        label="Lý do"
        value={reason}
        maxLength={OBJECTION_REASON_MAX}
        onChange={(e) => setReason(e.target.value)}
        error={show && invalid}
      />
      {error !== null && <InlineError error={error} />}
      <Button variant="primary" fullWidth htmlType="submit" disabled={busy}>
        Gửi ý kiến
      </Button>
      <Button variant="tertiary" fullWidth onClick={p.onCancel}>
        Thôi
      </Button>
    </form>
  );
}
