import { formatCount, type SubjectType } from '@hoctap/shared';
import type { HistoryState } from '@hoctap/shared/api';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate } from '../services/format.ts';
import './subject-history.css';

export const HISTORY_STATE_LABELS: Readonly<Record<HistoryState, string>> = {
  recognised: 'Được công nhận',
  not_recognised: 'Không được công nhận',
  not_assessed: 'Không đánh giá',
  in_progress: 'Đang đánh giá (tạm thời)',
};

/**
 * The subject's title year by year (docs/transparency.md §3): newest first, with the decision of
 * each recognised year and the commune that ran it (before the 2025 merger, the old commune).
 * Nothing is shown while there is no earlier year: a first year has no history to tell.
 */
export function SubjectHistory({
  subjectType,
  subjectId,
  title = 'Danh hiệu qua các năm',
}: {
  subjectType: SubjectType;
  subjectId: string;
  title?: string;
}) {
  const api = useApi();
  const h = useAsync(() => api.history.subject(subjectType, subjectId), [api, subjectType, subjectId]);
  if (h.error && !h.data)
    return (
      <p className="small subject-history-error">
        Chưa tải được danh hiệu các năm trước.{' '}
        <button type="button" onClick={h.reload}>
          Thử lại
        </button>
      </p>
    );
  const data = h.data;
  if (!data || !data.years.some((y) => y.state !== 'in_progress')) return null;
  const latestCommune = data.years[0]?.communeName;
  return (
    <section className="subject-history" aria-label={title}>
      <h2 className="h2">{title}</h2>
      {data.currentRun >= 2 && (
        <p className="subject-history-run">Đã giữ danh hiệu {formatCount(data.currentRun)} năm liên tục</p>
      )}
      <ul className="subject-history-years">
        {data.years.map((y) => (
          <li key={y.campaignId} className={`subject-history-year subject-history-${y.state}`}>
            <span className="subject-history-when">Năm {y.year}</span>
            <span className="subject-history-state">{HISTORY_STATE_LABELS[y.state]}</span>
            {y.decision && (
              <span className="subject-history-decision">
                Quyết định số {y.decision.number} ngày {formatDate(y.decision.decidedOn)}
              </span>
            )}
            {y.communeName && y.communeName !== latestCommune && (
              <span className="subject-history-commune">{y.communeName} (trước sáp nhập)</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
