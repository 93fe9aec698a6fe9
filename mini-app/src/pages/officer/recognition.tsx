import { useMemo, useState } from 'react';
import { formatNumber, OUTCOME_LABELS, SUBJECT_TYPES, TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { TextField } from '../../components/text-field.tsx';
import { DownloadButton } from '../../components/download-button.tsx';
import { readJson, removeKey, writeJson } from '../../services/drafts.ts';
import { formatDate, isoDay } from '../../services/format.ts';
import type { AssessmentSummary, Campaign, DecisionResult, Me } from '../../services/types.ts';
import { ConfirmDialog, useNotify } from '../../components/feedback.tsx';
import { campaignSet, ProvisionalNote } from '../../components/provisional-badge.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { hamletLabel, subjectLabel, SUBJECT_WORDS } from '../../services/subjects.ts';
import { useOfficerCampaign } from './home.tsx';
import { Button } from 'zmp-ui';

export interface DecisionForm {
  number: string;
  decidedOn: string;
  signer: string;
  signerTitle: string;
}

export function validateDecision(
  f: DecisionForm,
  today = isoDay(new Date()),
): Record<keyof DecisionForm, string | undefined> {
  return {
    number: !f.number.trim()
      ? 'Hãy nhập số quyết định (ví dụ 125/QĐ-UBND).'
      : f.number.trim().length > 60
        ? 'Số quyết định quá dài.'
        : undefined,
    decidedOn: !/^\d{4}-\d{2}-\d{2}$/.test(f.decidedOn)
      ? 'Hãy chọn ngày ký quyết định.'
      : f.decidedOn > today
        ? 'Ngày ký không được sau hôm nay.'
        : undefined,
    signer: !f.signer.trim() ? 'Hãy nhập họ tên người ký.' : undefined,
    signerTitle: !f.signerTitle.trim() ? 'Hãy nhập chức vụ người ký.' : undefined,
  };
}

export default function RecognitionPage({
  me,
  onBack,
  openReview,
}: {
  me: Me;
  onBack: () => void;
  openReview?: (assessmentId: string) => void;
}) {
  const c = useOfficerCampaign(me);
  return (
    <Screen title="Xác minh, bình xét, công nhận" onBack={onBack}>
      {c.loading && !c.data ? (
        <LoadingState />
      ) : c.error && !c.data ? (
        <ErrorState error={c.error} onRetry={c.reload} />
      ) : !c.data!.campaign || !c.data!.commune ? (
        <EmptyState title="Chưa có đợt đánh giá." />
      ) : (
        <Recognition
          campaign={c.data!.campaign}
          communeId={c.data!.commune.unitId}
          communeName={c.data!.commune.unitName}
          openReview={openReview}
        />
      )}
    </Screen>
  );
}

const ORDER: SubjectType[] = ['household', 'citizen', 'clan', 'unit', 'community'];
const ACTIVE = ['submitted', 'resubmitted', 'verified', 'reviewed'] as const;

/**
 * The commune's part for every title: the forms still waiting for verification (the commune
 * verifies the hamlets' own forms and may step in for the others), the hamlet reviews, the list
 * proposed for recognition and the decision, issued after a preview of who gets the title.
 */
function Recognition({
  campaign,
  communeId,
  communeName,
  openReview,
}: {
  campaign: Campaign;
  communeId: string;
  communeName: string;
  openReview: ((assessmentId: string) => void) | undefined;
}) {
  const api = useApi();
  const notify = useNotify();
  const data = useAsync(async () => {
    const [hamlets, lists, decisions] = await Promise.all([
      api.adminUnits(communeId),
      Promise.all(ACTIVE.map((state) => api.assessments({ campaignId: campaign.id, state }))),
      api.decisions(campaign.id),
    ]);
    return { hamlets, list: lists.flat(), decisions };
  }, [api, campaign.id, communeId]);
  const [type, setType] = useState<SubjectType>('household');
  const [reviewing, setReviewing] = useState<string>();
  const [confirmReview, setConfirmReview] = useState<{ placeId: string; label: string; names: string[] }>();
  const [reviewError, setReviewError] = useState<unknown>();
  const [result, setResult] = useState<DecisionResult>();

  const ofType = useMemo(() => (data.data?.list ?? []).filter((a) => a.subjectType === type), [data.data, type]);
  const verifiedByPlace = useMemo(() => {
    const m = new Map<string, AssessmentSummary[]>();
    for (const a of ofType)
      if (a.state === 'verified') {
        const place = a.hamletId ?? communeId; // outside any hamlet: reviewed at commune level
        m.set(place, [...(m.get(place) ?? []), a]);
      }
    return m;
  }, [ofType, communeId]);

  if (data.loading && !data.data) return <LoadingState label="Đang tải danh sách…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { hamlets, list, decisions } = data.data!;
  const noun = SUBJECT_WORDS[type].noun;
  const waiting = ofType.filter((a) => a.state === 'submitted' || a.state === 'resubmitted');
  const reviewed = ofType.filter((a) => a.state === 'reviewed');
  const earlier = decisions.filter((d) => d.id !== result?.id && d.subjectType === type);
  const placeName = (id: string) =>
    id === communeId ? communeName : hamletLabel(hamlets.find((h) => h.id === id)?.name ?? 'ấp');
  const countOf = (t: SubjectType) => list.filter((a) => a.subjectType === t).length;

  const review = async (placeId: string) => {
    setReviewing(placeId);
    setReviewError(undefined);
    try {
      const r = await api.review({ campaignId: campaign.id, hamletId: placeId, subjectType: type });
      notify.success(`Đã ghi nhận bình xét ${r.reviewed} ${noun} của ${placeName(placeId)}.`);
      setConfirmReview(undefined);
      data.reload();
    } catch (err) {
      setConfirmReview(undefined);
      setReviewError(err);
    } finally {
      setReviewing(undefined);
    }
  };

  return (
    <>
      <div className="title-tabs" role="tablist" aria-label="Danh hiệu">
        {ORDER.filter((t) => SUBJECT_TYPES.includes(t)).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={type === t}
            className="title-tab"
            onClick={() => (setType(t), setResult(undefined), setReviewError(undefined))}
          >
            {TITLE_LABELS[t]} ({countOf(t)})
          </button>
        ))}
      </div>
      <ProvisionalNote set={campaignSet(campaign.criteriaSetIds, type)} />
      <section className="card" aria-label="Chờ xác minh">
        <h2 className="card-title">1. Chờ xác minh</h2>
        <p className="small">
          {type === 'community'
            ? 'Hồ sơ Cộng đồng học tập của các ấp do xã xác minh.'
            : type === 'household' || type === 'citizen'
              ? 'Tổ trưởng xác minh; xã có thể xác minh thay khi cần.'
              : 'Trưởng ấp xác minh; xã có thể xác minh thay khi cần.'}
        </p>
        {waiting.length === 0 ? (
          <p className="small">Không có hồ sơ nào chờ xác minh.</p>
        ) : (
          <ul className="list">
            {waiting.map((a) => (
              <li key={a.id}>
                <button type="button" className="list-item" onClick={() => openReview?.(a.id)}>
                  <span className="list-item-title">{subjectLabel(a.subjectName)}</span>
                  <span className="row">
                    <StatusChip state={a.state} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-label="Bình xét">
        <h2 className="card-title">2. Bình xét ở ấp</h2>
        <p className="small">Hồ sơ đã xác minh, chờ họp bình xét (trưởng ấp hoặc xã ghi nhận).</p>
        <InlineError error={reviewError} />
        {verifiedByPlace.size === 0 ? (
          <p className="small">Không có {noun} nào chờ bình xét.</p>
        ) : (
          [...verifiedByPlace.entries()].map(([placeId, rows]) => (
            <Button
              key={placeId}
              variant="secondary"
              fullWidth
              disabled={reviewing !== undefined}
              onClick={() =>
                setConfirmReview({
                  placeId,
                  label: placeName(placeId),
                  names: rows.map((a) => subjectLabel(a.subjectName)),
                })
              }
            >
              {`Ghi nhận bình xét ${placeName(placeId)} (${rows.length} ${noun})`}
            </Button>
          ))
        )}
      </section>
      <ConfirmDialog
        visible={confirmReview !== undefined}
        title={`Ghi nhận bình xét ${confirmReview?.label ?? ''}?`}
        description={`Các ${noun} dưới đây sẽ chuyển sang “đã bình xét”, chờ xã ra quyết định. Không hoàn tác được.`}
        confirmLabel="Ghi nhận bình xét"
        busy={reviewing !== undefined}
        onConfirm={() => confirmReview && void review(confirmReview.placeId)}
        onCancel={() => setConfirmReview(undefined)}
      >
        <ol>
          {confirmReview?.names.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ol>
      </ConfirmDialog>
      <section className="card" aria-label="Danh sách đề nghị công nhận">
        <h2 className="card-title">3. Danh sách đề nghị công nhận</h2>
        {reviewed.length === 0 ? (
          <p className="small">Chưa có {noun} nào đã bình xét.</p>
        ) : (
          <ol className="names">
            {reviewed.map((a) => (
              <li key={a.id}>
                {subjectLabel(a.subjectName)} — {outcomeText(a)}
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
            key={type}
            campaignId={campaign.id}
            subjectType={type}
            count={reviewed.length}
            preview={reviewed}
            onDone={(r) => {
              setResult(r);
              notify.success(`Đã ban hành quyết định số ${r.number}.`);
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
                <strong>QĐ số {d.number}</strong> ngày {formatDate(d.decidedOn)} · {TITLE_LABELS[d.subjectType]}: công
                nhận {d.recognisedCount}, không công nhận {d.notRecognisedCount}
              </p>
              <DecisionDownloads id={d.id} number={d.number} />
            </div>
          ))}
        </section>
      )}
    </>
  );
}

/** "92 điểm · Đạt" for scored titles; the outcome alone for conditions. */
function outcomeText(a: AssessmentSummary): string {
  const outcome =
    a.outcome && a.outcome in OUTCOME_LABELS ? OUTCOME_LABELS[a.outcome as keyof typeof OUTCOME_LABELS] : undefined;
  const points =
    a.subjectType !== 'clan' && a.subjectType !== 'community' && a.verifiedTotal !== null
      ? `${formatNumber(a.verifiedTotal)} điểm`
      : undefined;
  return [points, outcome].filter(Boolean).join(' · ') || 'đã bình xét';
}

export function DecisionDownloads({ id, number }: { id: string; number: string }) {
  const safe = number.replace(/[^\p{L}\p{N}-]+/gu, '-');
  return (
    <>
      <DownloadButton
        label="Tải danh sách công nhận (PDF)"
        path={`/api/v1/decisions/${encodeURIComponent(id)}/list.pdf`}
        fileName={`danh-sach-${safe}.pdf`}
      />
      <DownloadButton
        label="Tải giấy công nhận (PDF)"
        path={`/api/v1/decisions/${encodeURIComponent(id)}/certificates.pdf`}
        fileName={`giay-cong-nhan-${safe}.pdf`}
      />
    </>
  );
}

export function DecisionFormView({
  campaignId,
  subjectType = 'household',
  count,
  preview = [],
  onDone,
}: {
  campaignId: string;
  subjectType?: SubjectType;
  count: number;
  /** The reviewed list, shown before the decision is issued. */
  preview?: AssessmentSummary[];
  onDone: (r: DecisionResult) => void;
}) {
  const api = useApi();
  const noun = SUBJECT_WORDS[subjectType].noun;
  const [confirming, setConfirming] = useState(false);
  const key = `decision-form:${campaignId}:${subjectType}`;
  const [f, setF] = useState<DecisionForm>(
    () =>
      readJson<DecisionForm>(key) ?? {
        number: '',
        decidedOn: isoDay(new Date()),
        signer: '',
        signerTitle: 'Chủ tịch UBND xã',
      },
  );
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
  const ask = () => {
    setShow(true);
    setError(undefined);
    if (Object.values(errors).some(Boolean)) return;
    setConfirming(true);
  };
  const submit = async () => {
    setBusy(true);
    try {
      const r = await api.decide(campaignId, {
        subjectType,
        number: f.number.trim(),
        decidedOn: f.decidedOn,
        signer: f.signer.trim(),
        signerTitle: f.signerTitle.trim(),
      });
      removeKey(key);
      setConfirming(false);
      onDone(r);
    } catch (err) {
      setConfirming(false);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof DecisionForm, label: string, type: 'text' | 'date' = 'text') => (
    <TextField
      label={label}
      type={type}
      value={f[k]}
      onChange={(e) => set({ [k]: e.target.value })}
      error={show && errors[k]}
    />
  );
  return (
    <section className="card" aria-label="Quyết định công nhận">
      <h2 className="card-title">4. Quyết định công nhận</h2>
      <p className="small">
        Ra quyết định cho {count} {noun} đã bình xét. Hệ thống chấm lại theo bộ tiêu chí: {noun} chưa đạt sẽ “không công
        nhận” kèm lý do.
      </p>
      {field('number', 'Số quyết định')}
      {field('decidedOn', 'Ngày ký', 'date')}
      {field('signer', 'Người ký')}
      {field('signerTitle', 'Chức vụ người ký')}
      <InlineError error={error} />
      <Button variant="primary" fullWidth disabled={busy} onClick={ask}>
        {busy ? 'Đang ban hành…' : 'Ban hành quyết định'}
      </Button>
      <ConfirmDialog
        visible={confirming}
        title={`Ban hành QĐ số ${f.number.trim()}?`}
        description={`Quyết định cho ${count} ${noun} (${TITLE_LABELS[subjectType]}), ký ngày ${formatDate(f.decidedOn)}. Sau khi ban hành không sửa được; kết quả được báo cho từng ${noun}.`}
        confirmLabel="Ban hành quyết định"
        busy={busy}
        onConfirm={() => void submit()}
        onCancel={() => setConfirming(false)}
      >
        {preview.length > 0 && (
          <ol aria-label="Danh sách trong quyết định">
            {preview.map((a) => (
              <li key={a.id}>
                {subjectLabel(a.subjectName)} — {outcomeText(a)}
              </li>
            ))}
          </ol>
        )}
      </ConfirmDialog>
    </section>
  );
}

function DecisionResultView({ result }: { result: DecisionResult }) {
  return (
    <section className="card" aria-label="Kết quả quyết định">
      <h2 className="card-title">Đã ban hành QĐ số {result.number}</h2>
      <p>
        Công nhận <strong>{result.recognisedCount}</strong> {SUBJECT_WORDS[result.subjectType].noun} · không công nhận{' '}
        <strong>{result.notRecognisedCount}</strong> {SUBJECT_WORDS[result.subjectType].noun}
      </p>
      <ul className="names">
        {result.results.map((r) => (
          <li key={r.assessmentId}>
            {subjectLabel(r.subjectName)}:{' '}
            {r.recognised ? `công nhận (giấy số ${r.certificateNo})` : `không công nhận — ${r.reasons.join('; ')}`}
          </li>
        ))}
      </ul>
      <DecisionDownloads id={result.id} number={result.number} />
    </section>
  );
}
