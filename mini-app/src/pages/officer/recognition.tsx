import { useMemo, useState } from 'react';
import { formatNumber, TITLE_LABELS } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { DownloadButton } from '../../components/download-button.tsx';
import { readJson, removeKey, writeJson } from '../../services/drafts.ts';
import { formatDate, isoDay } from '../../services/format.ts';
import type { Campaign, DecisionResult, Me } from '../../services/types.ts';
import { useOfficerCampaign } from './home.tsx';

export interface DecisionForm {
  number: string;
  decidedOn: string;
  signer: string;
  signerTitle: string;
}

export function validateDecision(f: DecisionForm, today = isoDay(new Date())): Record<keyof DecisionForm, string | undefined> {
  return {
    number: !f.number.trim() ? 'Hãy nhập số quyết định (ví dụ 125/QĐ-UBND).' : f.number.trim().length > 60 ? 'Số quyết định quá dài.' : undefined,
    decidedOn: !/^\d{4}-\d{2}-\d{2}$/.test(f.decidedOn) ? 'Hãy chọn ngày ký quyết định.' : f.decidedOn > today ? 'Ngày ký không được sau hôm nay.' : undefined,
    signer: !f.signer.trim() ? 'Hãy nhập họ tên người ký.' : undefined,
    signerTitle: !f.signerTitle.trim() ? 'Hãy nhập chức vụ người ký.' : undefined,
  };
}

export default function RecognitionPage({ me, onBack }: { me: Me; onBack: () => void }) {
  const c = useOfficerCampaign(me);
  return (
    <Screen title="Bình xét và công nhận" onBack={onBack}>
      {c.loading && !c.data ? (
        <LoadingState />
      ) : c.error && !c.data ? (
        <ErrorState error={c.error} onRetry={c.reload} />
      ) : !c.data!.campaign || !c.data!.commune ? (
        <EmptyState title="Chưa có đợt đánh giá." />
      ) : (
        <Recognition campaign={c.data!.campaign} communeId={c.data!.commune.unitId} />
      )}
    </Screen>
  );
}

function Recognition({ campaign, communeId }: { campaign: Campaign; communeId: string }) {
  const api = useApi();
  const data = useAsync(async () => {
    const [hamlets, list, decisions] = await Promise.all([
      api.adminUnits(communeId),
      api.assessments({ campaignId: campaign.id, subjectType: 'household' }),
      api.decisions(campaign.id),
    ]);
    return { hamlets, list, decisions };
  }, [api, campaign.id, communeId]);
  const [reviewing, setReviewing] = useState<string>();
  const [reviewError, setReviewError] = useState<unknown>();
  const [result, setResult] = useState<DecisionResult>();

  const verifiedByHamlet = useMemo(() => {
    const m = new Map<string, number>();
    for (const a of data.data?.list ?? []) if (a.state === 'verified' && a.hamletId) m.set(a.hamletId, (m.get(a.hamletId) ?? 0) + 1);
    return m;
  }, [data.data]);

  if (data.loading && !data.data) return <LoadingState label="Đang tải danh sách…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { hamlets, list, decisions } = data.data!;
  const reviewed = list.filter((a) => a.state === 'reviewed');
  const earlier = decisions.filter((d) => d.id !== result?.id);

  const review = async (hamletId: string) => {
    setReviewing(hamletId);
    setReviewError(undefined);
    try {
      await api.review({ campaignId: campaign.id, hamletId, subjectType: 'household' });
      data.reload();
    } catch (err) {
      setReviewError(err);
    } finally {
      setReviewing(undefined);
    }
  };

  return (
    <>
      <section className="card">
        <h2 className="card-title">1. Bình xét ở ấp</h2>
        <p className="small">Hộ đã được tổ trưởng xác minh, chờ họp bình xét ở ấp.</p>
        <InlineError error={reviewError} />
        {verifiedByHamlet.size === 0 ? (
          <p className="small">Không có hộ nào chờ bình xét.</p>
        ) : (
          hamlets
            .filter((h) => verifiedByHamlet.has(h.id))
            .map((h) => (
              <button key={h.id} type="button" className="btn btn-secondary btn-block" disabled={reviewing !== undefined} onClick={() => void review(h.id)}>
                {reviewing === h.id ? 'Đang ghi nhận…' : `Ghi nhận bình xét ấp ${h.name} (${verifiedByHamlet.get(h.id)} hộ)`}
              </button>
            ))
        )}
      </section>
      <section className="card">
        <h2 className="card-title">2. Danh sách đề nghị công nhận</h2>
        {reviewed.length === 0 ? (
          <p className="small">Chưa có hộ nào đã bình xét.</p>
        ) : (
          <ol className="names">
            {reviewed.map((a) => (
              <li key={a.id}>
                {a.subjectName} — {a.verifiedTotal === null ? '—' : formatNumber(a.verifiedTotal)} điểm
              </li>
            ))}
          </ol>
        )}
      </section>
      {result ? (
        <DecisionResultView result={result} />
      ) : (
        reviewed.length > 0 && (
          <DecisionFormView
            campaignId={campaign.id}
            count={reviewed.length}
            onDone={(r) => {
              setResult(r);
              data.reload();
            }}
          />
        )
      )}
      {earlier.length > 0 && (
        <section className="card">
          <h2 className="card-title">Quyết định đã ban hành</h2>
          {earlier.map((d) => (
            <div key={d.id} className="stack">
              <p>
                <strong>QĐ số {d.number}</strong> ngày {formatDate(d.decidedOn)} · {TITLE_LABELS[d.subjectType]}: công nhận {d.recognisedCount}, không công nhận{' '}
                {d.notRecognisedCount}
              </p>
              <DecisionDownloads id={d.id} number={d.number} />
            </div>
          ))}
        </section>
      )}
    </>
  );
}

export function DecisionDownloads({ id, number }: { id: string; number: string }) {
  const safe = number.replace(/[^\p{L}\p{N}-]+/gu, '-');
  return (
    <>
      <DownloadButton label="Tải danh sách công nhận (PDF)" path={`/api/v1/decisions/${encodeURIComponent(id)}/list.pdf`} fileName={`danh-sach-${safe}.pdf`} />
      <DownloadButton label="Tải giấy công nhận (PDF)" path={`/api/v1/decisions/${encodeURIComponent(id)}/certificates.pdf`} fileName={`giay-cong-nhan-${safe}.pdf`} />
    </>
  );
}

export function DecisionFormView({ campaignId, count, onDone }: { campaignId: string; count: number; onDone: (r: DecisionResult) => void }) {
  const api = useApi();
  const key = `decision-form:${campaignId}`;
  const [f, setF] = useState<DecisionForm>(() => readJson<DecisionForm>(key) ?? { number: '', decidedOn: isoDay(new Date()), signer: '', signerTitle: 'Chủ tịch UBND xã' });
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const errors = validateDecision(f);
  const set = (p: Partial<DecisionForm>) =>
    setF((old) => {
      const next = { ...old, ...p };
      writeJson(key, next);
      return next;
    });
  const submit = async () => {
    setShow(true);
    setError(undefined);
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    try {
      const r = await api.decide(campaignId, { subjectType: 'household', number: f.number.trim(), decidedOn: f.decidedOn, signer: f.signer.trim(), signerTitle: f.signerTitle.trim() });
      removeKey(key);
      onDone(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof DecisionForm, label: string, type = 'text') => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input className="input" type={type} value={f[k]} onChange={(e) => set({ [k]: e.target.value })} aria-invalid={show && !!errors[k]} />
      {show && errors[k] && (
        <p className="field-error" role="alert">
          {errors[k]}
        </p>
      )}
    </label>
  );
  return (
    <section className="card" aria-label="Quyết định công nhận">
      <h2 className="card-title">3. Quyết định công nhận</h2>
      <p className="small">Ra quyết định cho {count} hộ đã bình xét. Hệ thống chấm lại theo bộ tiêu chí: hộ chưa đủ điểm sẽ “không công nhận” kèm lý do.</p>
      {field('number', 'Số quyết định')}
      {field('decidedOn', 'Ngày ký', 'date')}
      {field('signer', 'Người ký')}
      {field('signerTitle', 'Chức vụ người ký')}
      <InlineError error={error} />
      <button type="button" className="btn btn-primary btn-block" disabled={busy} onClick={() => void submit()}>
        {busy ? 'Đang ban hành…' : 'Ban hành quyết định'}
      </button>
    </section>
  );
}

function DecisionResultView({ result }: { result: DecisionResult }) {
  return (
    <section className="card" aria-label="Kết quả quyết định">
      <h2 className="card-title">Đã ban hành QĐ số {result.number}</h2>
      <p>
        Công nhận <strong>{result.recognisedCount}</strong> hộ · không công nhận <strong>{result.notRecognisedCount}</strong> hộ
      </p>
      <ul className="names">
        {result.results.map((r) => (
          <li key={r.assessmentId}>
            {r.subjectName}: {r.recognised ? `công nhận (giấy số ${r.certificateNo})` : `không công nhận — ${r.reasons.join('; ')}`}
          </li>
        ))}
      </ul>
      <DecisionDownloads id={result.id} number={result.number} />
    </section>
  );
}
