import { useEffect, useMemo, useState } from 'react';
import { formatNumber, score, TITLE_LABELS, type Answers, type CriteriaSet, type Indicator } from '@hoctap/shared';
import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { TextAreaField } from '../../components/fields.tsx';
import { allowedSteps, PointChoice } from '../../components/point-choice.tsx';
import { EvidenceReview } from '../../components/evidence-review.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { readJson, removeKey, writeJson } from '../../services/drafts.ts';
import { formatDateTime } from '../../services/format.ts';
import type { AssessmentDetail } from '../../services/types.ts';
import { AssessmentOverview } from '../assessment/overview.tsx';
import { useNotify } from '../../components/feedback.tsx';
import { ProvisionalBadge, ProvisionalTag, verdictIsProvisional } from '../../components/provisional-badge.tsx';
import { SUBJECT_WORDS } from '../../services/subjects.ts';
import type { CommentDto } from '../../services/types.ts';
import { Button } from 'zmp-ui';

/** What the leader has typed for one indicator; kept on the phone until the server confirms. */
export interface ReviewItem {
  points: number | null;
  reason: string;
  returnIt: boolean;
  comment: string;
}
interface ReviewDraft {
  items: Record<string, ReviewItem>;
  comment: string;
}

const draftKey = (id: string, version: number) => `review:${id}:${version}`;

/** Capitalised noun: "Hộ", "Dòng họ". */
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The indicators that apply to the subject's group (Công dân học tập: per group; others: all). */
export function indicatorsFor(set: CriteriaSet, group: string | null | undefined) {
  return set.criteria.map((c) => ({
    criterion: c,
    indicators: c.indicators.filter((i) => !i.groups || (!!group && i.groups.includes(group))),
  }));
}

export function validateReview(
  set: CriteriaSet,
  self: Record<string, number | null>,
  d: ReviewDraft,
  noun = 'hộ',
): { errors: Record<string, string>; returning: string[] } {
  const errors: Record<string, string> = {};
  const returning: string[] = [];
  for (const c of set.criteria)
    for (const ind of c.indicators) {
      const it = d.items[ind.code];
      if (!it) continue;
      if (it.returnIt) {
        returning.push(ind.code);
        if (!it.comment.trim()) errors[ind.code] = `Hãy ghi rõ ${noun} cần sửa gì ở chỉ số này.`;
      } else if (it.points !== null && it.points !== (self[ind.code] ?? null) && !it.reason.trim()) {
        errors[ind.code] = `Điểm khác điểm ${noun} tự chấm: cần ghi lý do điều chỉnh.`;
      }
    }
  return { errors, returning };
}

export default function ReviewPage({
  assessmentId,
  onBack,
  onDone,
}: {
  assessmentId: string;
  onBack: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const data = useAsync(() => api.assessment(assessmentId), [api, assessmentId]);
  if (data.loading && !data.data)
    return (
      <Screen title="Xác minh hồ sơ" onBack={onBack}>
        <LoadingState label="Đang tải hồ sơ…" />
      </Screen>
    );
  if (data.error && !data.data)
    return (
      <Screen title="Xác minh hồ sơ" onBack={onBack}>
        <ErrorState error={data.error} onRetry={data.reload} />
      </Screen>
    );
  const a = data.data!;
  const set = getCatalogSet(a.criteriaSetId);
  if (!set)
    return (
      <Screen title="Xác minh hồ sơ" onBack={onBack}>
        <ErrorState error={new Error(`Ứng dụng chưa có bộ tiêu chí “${a.criteriaSetId}”. Hãy cập nhật ứng dụng.`)} />
      </Screen>
    );
  if (a.state !== 'submitted' && a.state !== 'resubmitted')
    return (
      <Screen title="Hồ sơ đánh giá" onBack={onBack}>
        <AssessmentOverview a={a} onFix={() => undefined} onView={() => undefined} readOnly />
      </Screen>
    );
  return <ReviewForm key={`${a.id}:${a.version}`} set={set} a={a} onBack={onBack} onDone={onDone} />;
}

export function ReviewForm({
  set,
  a,
  onBack,
  onDone,
}: {
  set: CriteriaSet;
  a: AssessmentDetail;
  onBack: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const notify = useNotify();
  const noun = (SUBJECT_WORDS[a.subjectType] ?? SUBJECT_WORDS.household).noun;
  const groups = useMemo(() => indicatorsFor(set, a.subjectGroup), [set, a.subjectGroup]);
  const previous = useMemo(() => previousReturn(a), [a]);
  const self = useMemo(
    () => Object.fromEntries(a.layers.self.map((x) => [x.indicatorCode, x.points])) as Record<string, number | null>,
    [a],
  );
  const [draft, setDraft] = useState<ReviewDraft>(() => {
    const saved = readJson<ReviewDraft>(draftKey(a.id, a.version));
    if (saved) return saved;
    const items: Record<string, ReviewItem> = {};
    for (const g of indicatorsFor(set, a.subjectGroup))
      for (const i of g.indicators)
        items[i.code] = { points: self[i.code] ?? null, reason: '', returnIt: false, comment: '' };
    return { items, comment: '' };
  });
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => writeJson(draftKey(a.id, a.version), draft), [a.id, a.version, draft]);

  const { errors, returning } = validateReview(set, self, draft, noun);
  const result = useMemo(() => {
    const ans: Record<string, { points: number | null }> = {};
    for (const [code, it] of Object.entries(draft.items)) ans[code] = { points: it.points };
    return score(set, ans as Answers, { checkEvidence: false, ...(a.subjectGroup ? { group: a.subjectGroup } : {}) });
  }, [set, draft, a.subjectGroup]);

  const patch = (code: string, p: Partial<ReviewItem>) =>
    setDraft((d) => ({ ...d, items: { ...d.items, [code]: { ...d.items[code]!, ...p } } }));

  const send = async () => {
    setShowErrors(true);
    setError(undefined);
    if (Object.keys(errors).length > 0) {
      // Bring the first problem above the sticky footer, not behind it.
      requestAnimationFrame(() =>
        document.querySelector('.indicator-error')?.scrollIntoView?.({ block: 'center', behavior: 'smooth' }),
      );
      return;
    }
    setBusy(true);
    try {
      if (returning.length > 0) {
        const body = {
          items: returning.map((code) => ({ indicatorCode: code, comment: draft.items[code]!.comment.trim() })),
          version: a.version,
          ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
        };
        await api.returnForFix(a.id, body);
        notify.success(`Đã trả lại ${returning.length} chỉ số để ${noun} sửa.`);
      } else {
        const answers = Object.entries(draft.items)
          .filter(([code, it]) => it.points !== null && it.points !== (self[code] ?? null))
          .map(([code, it]) => ({ indicatorCode: code, points: it.points!, reason: it.reason.trim() }));
        await api.verify(a.id, {
          answers,
          version: a.version,
          ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
        });
      }
      if (returning.length === 0) notify.success('Đã xác minh hồ sơ.');
      removeKey(draftKey(a.id, a.version));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const errorCount = Object.keys(errors).length;
  const footer = (
    <>
      <p className="footer-verdict">
        {result.maxTotal === 0 ? 'Điều kiện đạt' : 'Điểm xác minh'}:{' '}
        <strong>
          {result.maxTotal === 0
            ? `${result.indicators.filter((i) => i.isCondition && i.points === 1).length}/${result.indicators.filter((i) => i.isCondition).length}`
            : `${formatNumber(result.total)}/${formatNumber(result.maxTotal)}`}
        </strong>
        {returning.length > 0 ? ` · trả lại ${returning.length} chỉ số` : ''}
        {verdictIsProvisional(set) && <ProvisionalTag />}
      </p>
      {showErrors && errorCount > 0 && (
        <p className="inline-error" role="alert">
          Còn {errorCount} chỉ số cần bổ sung lý do hoặc góp ý (xem chữ đỏ).
        </p>
      )}
      <InlineError error={error} />
      <Button
        variant="primary"
        fullWidth
        {...(returning.length > 0 ? { className: 'btn-warn' } : {})}
        disabled={busy}
        onClick={() => void send()}
      >
        {busy
          ? 'Đang gửi…'
          : returning.length > 0
            ? `Trả lại cho ${noun} sửa (${returning.length} chỉ số)`
            : a.subjectType === 'household'
              ? 'Xác minh và chuyển lên ấp'
              : 'Xác minh hồ sơ'}
      </Button>
    </>
  );

  return (
    <Screen title="Xác minh hồ sơ" onBack={onBack} footer={footer}>
      <section className="card">
        <p className="card-kicker">{TITLE_LABELS[a.subjectType]}</p>
        <h2 className="card-title">{a.subjectName}</h2>
        <div className="row">
          <StatusChip state={a.state} />
          <span className="small">Gửi {formatDateTime(a.submittedAt)}</span>
        </div>
        {result.maxTotal > 0 && (
          <p>
            {cap(noun)} tự chấm: <strong>{a.selfTotal === null ? '—' : formatNumber(a.selfTotal)} điểm</strong>
          </p>
        )}
        {previous && (
          <p className="rereview">
            Hồ sơ gửi lại sau khi trả lại {previous.codes.length > 0 ? `${previous.codes.length} chỉ số` : ''} (các chỉ
            số đó được đánh dấu bên dưới).
          </p>
        )}
        <p className="small">
          Xem ảnh, chấm lại nếu cần (ghi lý do), hoặc đánh dấu “Trả lại” cho chỉ số {noun} cần sửa.
        </p>
      </section>
      {groups
        .filter((g) => g.indicators.length > 0)
        .map(({ criterion: c, indicators }) => (
          <section key={c.code} className="stack">
            <p className="indicator-criterion">
              {c.code}. {c.title}
            </p>
            {indicators.map((ind) => (
              <ReviewIndicator
                key={ind.code}
                ind={ind}
                provisional={ind.provenance.status === 'provisional' || c.provenance.status === 'provisional'}
                self={self[ind.code] ?? null}
                item={draft.items[ind.code]!}
                error={showErrors ? errors[ind.code] : undefined}
                a={a}
                noun={noun}
                previous={previous}
                onChange={(p) => patch(ind.code, p)}
              />
            ))}
          </section>
        ))}
      <TextAreaField
        label="Nhận xét chung (không bắt buộc)"
        rows={2}
        value={draft.comment}
        onChange={(e) => setDraft((d) => ({ ...d, comment: e.target.value }))}
      />
    </Screen>
  );
}

/** The return before a resubmission: when, which indicators, with which comments. */
export interface PreviousReturn {
  at: string;
  codes: string[];
  comments: CommentDto[];
}

export function previousReturn(a: AssessmentDetail): PreviousReturn | undefined {
  if (a.state !== 'resubmitted' || a.comments.length === 0) return undefined;
  const at = a.comments.reduce((m, c) => (c.createdAt > m ? c.createdAt : m), '');
  const comments = a.comments.filter((c) => c.createdAt === at);
  return { at, codes: comments.filter((c) => c.indicatorCode).map((c) => c.indicatorCode!), comments };
}

/** What the subject changed on one indicator since the return: the answer, new photos. */
function changesSince(a: AssessmentDetail, code: string, at: string): string {
  const answer = a.layers.self.find((x) => x.indicatorCode === code);
  const photos = a.evidence.filter((e) => e.indicatorCode === code && e.createdAt > at).length;
  const parts = [
    answer && answer.updatedAt > at ? 'đã sửa điểm tự chấm' : undefined,
    photos > 0 ? `đã gửi thêm ${photos} ảnh` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `Sau khi trả lại: ${parts.join(', ')}.` : 'Sau khi trả lại: chưa thấy thay đổi.';
}

function ReviewIndicator({
  ind,
  provisional,
  self,
  item,
  error,
  a,
  noun,
  previous,
  onChange,
}: {
  ind: Indicator;
  provisional: boolean;
  self: number | null;
  item: ReviewItem;
  error: string | undefined;
  a: AssessmentDetail;
  noun: string;
  previous: PreviousReturn | undefined;
  onChange: (p: Partial<ReviewItem>) => void;
}) {
  const earlier = previous?.comments.filter((c) => c.indicatorCode === ind.code) ?? [];
  const isCondition = ind.kind === 'condition';
  const changed = item.points !== null && item.points !== self;
  const photos = a.evidence.filter((e) => e.indicatorCode === ind.code);
  const label = (p: number | null) =>
    p === null ? 'chưa chấm' : isCondition ? (p === 1 ? 'Đạt' : 'Chưa đạt') : `${formatNumber(p)} điểm`;
  return (
    <article
      className={`indicator ${item.returnIt ? 'indicator-returned' : ''} ${error ? 'indicator-error' : ''}`}
      aria-label={`Chỉ số ${ind.code}`}
    >
      <h3 className="indicator-text">
        <span className="indicator-code">{ind.code}.</span> {ind.text}
      </h3>
      {provisional && <ProvisionalBadge note={ind.provenance.note} />}
      {earlier.length > 0 && previous && (
        <div className="rereview" role="note">
          <p>
            <strong>Đã trả lại lần trước:</strong> {earlier.map((c) => c.body).join(' ')}
          </p>
          <p className="rereview-changed">{changesSince(a, ind.code, previous.at)}</p>
        </div>
      )}
      <p>
        {cap(noun)} tự chấm: <strong>{label(self)}</strong>
        {changed && (
          <span className="changed">
            {' '}
            → {a.subjectType === 'household' ? 'tổ trưởng' : 'xác minh'}: {label(item.points)}
          </span>
        )}
      </p>
      {(photos.length > 0 || (ind.evidence?.minPhotos ?? 0) > 0) && <EvidenceReview items={photos} all={a.evidence} />}
      <p className="section-label">Điểm xác minh</p>
      <PointChoice
        values={allowedSteps(ind)}
        value={item.points}
        onChange={(p) => onChange({ points: p })}
        isCondition={isCondition}
        disabled={item.returnIt}
      />
      {changed && !item.returnIt && (
        <TextAreaField
          label="Lý do điều chỉnh (bắt buộc)"
          rows={2}
          value={item.reason}
          onChange={(e) => onChange({ reason: e.target.value })}
          error={!!error}
        />
      )}
      <label className="check">
        <input type="checkbox" checked={item.returnIt} onChange={(e) => onChange({ returnIt: e.target.checked })} />
        <span>Trả lại chỉ số này để {noun} sửa</span>
      </label>
      {item.returnIt && (
        <TextAreaField
          label={`${cap(noun)} cần sửa gì? (bắt buộc)`}
          rows={2}
          value={item.comment}
          onChange={(e) => onChange({ comment: e.target.value })}
          error={!!error}
        />
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
