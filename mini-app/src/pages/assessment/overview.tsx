import { formatNumber, TITLE_LABELS } from '@hoctap/shared';
import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { formatDate, formatDateTime } from '../../services/format.ts';
import type { AssessmentDetail, CommentDto } from '../../services/types.ts';
import { SUBJECT_WORDS, subjectLabel } from '../../services/subjects.ts';
import { Button } from 'zmp-ui';
import { SubjectHistory } from '../../components/subject-history.tsx';

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
        <p className="result-kicker">
          {a.state === 'reviewed'
            ? 'Ấp đã bình xét, chờ xã ra quyết định'
            : a.state === 'appealed'
              ? 'Đang giải quyết khiếu nại'
              : `${verifierOf(a)} đã xác minh`}
        </p>
        <p>
          Điểm tự chấm: <strong>{a.selfTotal === null ? '—' : formatNumber(a.selfTotal)}</strong> · Điểm xác minh:{' '}
          <strong>{a.verifiedTotal === null ? '—' : formatNumber(a.verifiedTotal)}</strong>
        </p>
        {verdict.summary && <p className="small">{verdict.summary}</p>}
        <p className="small">
          {a.state === 'verified'
            ? 'Bước tiếp theo: ấp họp bình xét danh sách, rồi UBND xã ra quyết định công nhận. Bạn sẽ nhận được tin nhắn khi có kết quả.'
            : a.state === 'reviewed'
              ? 'Bước tiếp theo: UBND xã ra quyết định công nhận. Bạn sẽ nhận được tin nhắn khi có kết quả.'
              : 'Cán bộ xã sẽ xem xét khiếu nại và báo lại cho bạn.'}
        </p>
        <Adjustments a={a} />
      </section>
    );
  if (a.state === 'submitted' || a.state === 'resubmitted')
    return (
      <section className="result" aria-label="Kết quả">
        <p className="result-kicker">
          {a.subjectType === 'household' ? 'Đã gửi, chờ tổ trưởng xác minh' : 'Đã gửi, chờ xác minh'}
        </p>
        <p>Gửi lúc {formatDateTime(a.submittedAt)}. Bạn sẽ nhận được tin nhắn khi có kết quả.</p>
      </section>
    );
  return null;
}

/** Scores the verifier changed, each with the reason they had to give (95 → 94 is explained too). */
export function Adjustments({ a }: { a: AssessmentDetail }) {
  const self = new Map(a.layers.self.map((x) => [x.indicatorCode, x.points]));
  const changed = a.layers.verifier.filter(
    (v) => v.points !== null && self.has(v.indicatorCode) && self.get(v.indicatorCode) !== v.points,
  );
  if (changed.length === 0) return null;
  return (
    <div aria-label="Điểm được chấm lại">
      <p className="section-label">{verifierOf(a)} chấm lại:</p>
      <ul className="verdict-reasons">
        {changed.map((v) => (
          <li key={v.indicatorCode}>
            Chỉ số {v.indicatorCode}: {formatNumber(self.get(v.indicatorCode) ?? 0)} → {formatNumber(v.points ?? 0)}{' '}
            điểm{v.reason ? `. Lý do: ${v.reason}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
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
      <p className="returned-title">
        {verifierOf(a)} trả lại để sửa {perIndicator.length > 0 ? `${perIndicator.length} chỉ số` : ''}
      </p>
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
          <Button variant="primary" fullWidth onClick={() => onFix(c.indicatorCode)}>
            Sửa chỉ số {c.indicatorCode}
          </Button>
        </div>
      ))}
      {perIndicator.length === 0 && (
        <Button variant="primary" fullWidth onClick={() => onFix()}>
          Sửa và gửi lại
        </Button>
      )}
    </section>
  );
}

export function Timeline({
  assessmentId,
  version,
  comments = [],
}: {
  assessmentId: string;
  version: number;
  comments?: CommentDto[];
}) {
  const api = useApi();
  const t = useAsync(() => api.timeline(assessmentId), [api, assessmentId, version]);
  if (t.loading && !t.data) return <LoadingState label="Đang tải quá trình xử lý…" />;
  if (t.error && !t.data) return <ErrorState error={t.error} onRetry={t.reload} />;
  // Score and evidence rows are many and technical: the household sees the steps and comments.
  const steps = (t.data ?? []).filter(
    (e) => e.action !== 'score' && e.action !== 'evidence_added' && e.action !== 'evidence_deleted',
  );
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
              {e.action === 'return' &&
                returnComments(comments, e.at).map((c) => (
                  <span key={c.id} className="tl-reason">
                    {c.indicatorCode ? `Chỉ số ${c.indicatorCode}: ` : ''}
                    {c.body}
                  </span>
                ))}
            </li>
          ))}
        </ol>
      )}
      {t.error !== undefined && <InlineError error={t.error} />}
    </section>
  );
}

/** The comments written with one return (same transaction, so the same moment give or take a second). */
function returnComments(comments: CommentDto[], at: string): CommentDto[] {
  const t = Date.parse(at);
  return comments.filter((c) => Math.abs(Date.parse(c.createdAt) - t) < 2000);
}

export function AssessmentOverview({
  a,
  onFix,
  onView,
  readOnly = false,
}: {
  a: AssessmentDetail;
  onFix: (indicatorCode?: string) => void;
  onView: () => void;
  readOnly?: boolean;
}) {
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
      <SubjectHistory subjectType={a.subjectType} subjectId={a.subjectId} />
      {!readOnly && (
        <Button variant="secondary" fullWidth onClick={onView}>
          {a.state === 'draft' || a.state === 'returned' ? 'Mở bài tự đánh giá' : 'Xem bài đã gửi'}
        </Button>
      )}
      <Timeline assessmentId={a.id} version={a.version} comments={a.comments} />
    </>
  );
}
