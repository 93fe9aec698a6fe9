import { formatNumber, TITLE_LABELS } from '@hoctap/shared';
import { getCatalogSet } from '@hoctap/shared/catalog';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { formatDate, formatDateTime } from '../../services/format.ts';
import type { AssessmentDetail, CommentDto } from '../../services/types.ts';
import { SUBJECT_WORDS, subjectLabel } from '../../services/subjects.ts';

const verifierOf = (a: AssessmentDetail) => (SUBJECT_WORDS[a.subjectType] ?? SUBJECT_WORDS.household).verifier;

interface Reason {
  message?: string;
}

/** The result card: title and certificate, or the engine's reasons, or where it stands. */
export function ResultCard({ a }: { a: AssessmentDetail }) {
  const title = TITLE_LABELS[a.subjectType];
  const verdict = (a.verdict ?? {}) as { reasons?: Reason[]; summary?: string };
  const reasons = (verdict.reasons ?? []).map((r) => r.message).filter((m): m is string => !!m);
  if (a.state === 'recognised')
    return (
      <section className="result result-good" aria-label="Kết quả">
        <p className="result-kicker">Đã được công nhận</p>
        <p className="result-title">Danh hiệu “{title}”</p>
        {a.certificateNo && (
          <p>
            Số giấy công nhận: <strong>{a.certificateNo}</strong>
          </p>
        )}
        {a.decision && (
          <p>
            Quyết định số <strong>{a.decision.number}</strong> ngày {formatDate(a.decision.decidedOn)}
          </p>
        )}
        {a.communeTotal !== null && <p>Điểm xã công nhận: {formatNumber(a.communeTotal)}</p>}
        <p className="small">Giấy công nhận do UBND xã phát; hãy liên hệ tổ trưởng hoặc Hội Khuyến học xã để nhận.</p>
      </section>
    );
  if (a.state === 'not_recognised')
    return (
      <section className="result result-bad" aria-label="Kết quả">
        <p className="result-kicker">Chưa được công nhận</p>
        <p className="result-title">Danh hiệu “{title}”</p>
        {a.decision && (
          <p>
            Theo Quyết định số <strong>{a.decision.number}</strong> ngày {formatDate(a.decision.decidedOn)}
          </p>
        )}
        {reasons.length > 0 && (
          <>
            <p className="section-label">Lý do:</p>
            <ul className="verdict-reasons">
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </>
        )}
      </section>
    );
  if (a.state === 'verified' || a.state === 'reviewed' || a.state === 'appealed')
    return (
      <section className="result" aria-label="Kết quả">
        <p className="result-kicker">{a.state === 'reviewed' ? 'Ấp đã bình xét, chờ xã ra quyết định' : a.subjectType === 'household' ? 'Tổ trưởng đã xác minh' : 'Đã được xác minh'}</p>
        <p>
          Điểm tự chấm: <strong>{a.selfTotal === null ? '—' : formatNumber(a.selfTotal)}</strong> · Điểm xác minh:{' '}
          <strong>{a.verifiedTotal === null ? '—' : formatNumber(a.verifiedTotal)}</strong>
        </p>
        {verdict.summary && <p className="small">{verdict.summary}</p>}
      </section>
    );
  if (a.state === 'submitted' || a.state === 'resubmitted')
    return (
      <section className="result" aria-label="Kết quả">
        <p className="result-kicker">{a.subjectType === 'household' ? 'Đã nộp, chờ tổ trưởng xác minh' : 'Đã nộp, chờ xác minh'}</p>
        <p>Nộp lúc {formatDateTime(a.submittedAt)}. Bạn sẽ nhận được tin nhắn khi có kết quả.</p>
      </section>
    );
  return null;
}

/** What the leader sent back: the indicators to fix, each with its comment and a button. */
export function ReturnedItems({ a, onFix }: { a: AssessmentDetail; onFix: (indicatorCode?: string) => void }) {
  const set = getCatalogSet(a.criteriaSetId);
  const textOf = (code: string) => set?.criteria.flatMap((c) => c.indicators).find((i) => i.code === code)?.text;
  const returnedAt = a.comments.reduce((max, c) => (c.createdAt > max ? c.createdAt : max), '');
  // The latest return: comments of the newest batch (same timestamp), per indicator first.
  const latest = a.comments.filter((c) => c.createdAt === returnedAt);
  const perIndicator = latest.filter((c): c is CommentDto & { indicatorCode: string } => !!c.indicatorCode);
  const general = latest.filter((c) => !c.indicatorCode);
  return (
    <section className="returned" aria-label="Cần sửa">
      <p className="returned-title">{verifierOf(a)} trả lại để sửa {perIndicator.length > 0 ? `${perIndicator.length} chỉ số` : ''}</p>
      {general.map((c) => (
        <p key={c.id} className="comment">
          <strong>Góp ý chung:</strong> {c.body}
        </p>
      ))}
      {perIndicator.map((c) => (
        <div key={c.id} className="returned-item">
          <p className="returned-code">
            Chỉ số {c.indicatorCode}
            {textOf(c.indicatorCode) ? `: ${textOf(c.indicatorCode)}` : ''}
          </p>
          <p className="comment">
            <strong>{verifierOf(a)} góp ý:</strong> {c.body}
          </p>
          <button type="button" className="btn btn-primary btn-block" onClick={() => onFix(c.indicatorCode)}>
            Sửa chỉ số {c.indicatorCode}
          </button>
        </div>
      ))}
      {perIndicator.length === 0 && (
        <button type="button" className="btn btn-primary btn-block" onClick={() => onFix()}>
          Sửa và nộp lại
        </button>
      )}
    </section>
  );
}

export function Timeline({ assessmentId, version }: { assessmentId: string; version: number }) {
  const api = useApi();
  const t = useAsync(() => api.timeline(assessmentId), [api, assessmentId, version]);
  if (t.loading && !t.data) return <LoadingState label="Đang tải quá trình xử lý…" />;
  if (t.error && !t.data) return <ErrorState error={t.error} onRetry={t.reload} />;
  // Score and evidence rows are many and technical: the household sees the steps and comments.
  const steps = (t.data ?? []).filter((e) => e.action !== 'score' && e.action !== 'evidence_added' && e.action !== 'evidence_deleted');
  return (
    <section aria-label="Quá trình xử lý">
      <h2 className="h2">Quá trình xử lý</h2>
      {steps.length === 0 ? (
        <p className="small">Chưa có bước nào.</p>
      ) : (
        <ol className="timeline">
          {[...steps].reverse().map((e, i) => (
            <li key={`${e.at}:${i}`} className={`tl-item tl-${e.action}`}>
              <span className="tl-when">{formatDateTime(e.at)}</span>
              <span className="tl-label">{e.label}</span>
              {e.reason && <span className="tl-reason">{e.reason}</span>}
            </li>
          ))}
        </ol>
      )}
      {t.error !== undefined && <InlineError error={t.error} />}
    </section>
  );
}

export function AssessmentOverview({ a, onFix, onView, readOnly = false }: { a: AssessmentDetail; onFix: (indicatorCode?: string) => void; onView: () => void; readOnly?: boolean }) {
  return (
    <>
      <section className="card">
        <p className="card-kicker">{TITLE_LABELS[a.subjectType]}</p>
        <h2 className="card-title">{subjectLabel(a.subjectName)}</h2>
        <div className="row">
          <span>Trạng thái:</span>
          <StatusChip state={a.state} />
        </div>
      </section>
      {a.state === 'returned' && !readOnly && <ReturnedItems a={a} onFix={onFix} />}
      <ResultCard a={a} />
      {!readOnly && <button type="button" className="btn btn-secondary btn-block" onClick={onView}>
        {a.state === 'draft' || a.state === 'returned' ? 'Mở bài tự đánh giá' : 'Xem bài đã nộp'}
      </button>}
      <Timeline assessmentId={a.id} version={a.version} />
    </>
  );
}
