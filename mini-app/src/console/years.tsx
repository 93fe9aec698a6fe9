import { useEffect, useMemo, useRef, useState } from 'react';
import { Chart, type ChartConfiguration } from 'chart.js';
import { formatCount, formatShare, TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { saveBlob } from '../services/format.ts';
import type { ReportHistory } from '../services/history-api.ts';
// Registers the bar/line pieces of Chart.js (side effect of the module).
import './chart.tsx';

/** Years shown in the trend: this one and the four before (five, the commendation run). */
export const TREND_YEARS = 5;
const COLOURS = ['#2f6fad', '#1b6e2d', '#b36b00', '#7b3fa0', '#b3261e'];

export interface TrendSeries {
  years: number[];
  titles: { subjectType: SubjectType; shares: (number | null)[] }[];
}

/** The history report as one line per title, one point per year (null: no campaign or no denominator that year). */
export function trendOf(h: ReportHistory): TrendSeries {
  const types = [...new Set(h.years.flatMap((y) => y.titles.map((t) => t.subjectType)))];
  return {
    years: h.years.map((y) => y.year),
    titles: types.map((subjectType) => ({
      subjectType,
      shares: h.years.map((y) =>
        y.campaignIds.length === 0 ? null : (y.titles.find((t) => t.subjectType === subjectType)?.share ?? null),
      ),
    })),
  };
}

function TrendChart({ series, label }: { series: TrendSeries; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    const config: ChartConfiguration<'line', (number | null)[], string> = {
      type: 'line',
      data: {
        labels: series.years.map(String),
        datasets: series.titles.map((t, i) => ({
          label: TITLE_LABELS[t.subjectType],
          data: t.shares.map(pct),
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          pointRadius: 3,
          spanGaps: false,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: 'vi-VN',
        scales: { y: { min: 0, max: 100, ticks: { callback: (v: string | number) => `${v} %` } } },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (ctx) => `${ctx.dataset.label}: ${formatShare(ctx.parsed.y === null ? null : ctx.parsed.y / 100)}`,
            },
          },
        },
      },
    };
    const chart = new Chart(ref.current, config as unknown as ChartConfiguration);
    return () => chart.destroy();
  }, [series]);
  const summary = series.titles
    .map(
      (t) =>
        `${TITLE_LABELS[t.subjectType]}: ${t.shares.map((s, i) => `${series.years[i]} ${formatShare(s)}`).join(', ')}`,
    )
    .join('; ');
  return (
    <div className="console-chart" style={{ height: 300 }}>
      <canvas ref={ref} role="img" aria-label={`${label}. ${summary}`} />
    </div>
  );
}

/** The commune's share per title across years (docs/transparency.md §4), predecessors rolled up. */
export function TitleTrend({ unitId, year }: { unitId: string; year: number }) {
  const api = useApi();
  const years = useMemo(() => Array.from({ length: TREND_YEARS }, (_, i) => year - TREND_YEARS + 1 + i), [year]);
  const h = useAsync(() => api.history.report(unitId, years), [api, unitId, years]);
  const series = useMemo(() => (h.data ? trendOf(h.data) : undefined), [h.data]);
  return (
    <section className="console-panel" aria-labelledby="trend-h">
      <h2 className="console-h2" id="trend-h">
        Tỷ lệ công nhận qua các năm
      </h2>
      {h.error && !h.data ? (
        <ErrorState error={h.error} onRetry={h.reload} />
      ) : !series ? (
        <LoadingState label="Đang tải số liệu các năm…" />
      ) : series.titles.length === 0 ? (
        <EmptyState title="Chưa có số liệu các năm trước." />
      ) : (
        <div className="console-stack">
          <TrendChart series={series} label="Biểu đồ tỷ lệ công nhận theo năm" />
          <div className="console-table-wrap">
            <table className="console-table">
              <thead>
                <tr>
                  <th scope="col">Danh hiệu</th>
                  {series.years.map((y) => (
                    <th key={y} scope="col" className="num">
                      {y}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {series.titles.map((t) => (
                  <tr key={t.subjectType}>
                    <th scope="row" style={{ fontWeight: 400 }}>
                      {TITLE_LABELS[t.subjectType]}
                    </th>
                    {t.shares.map((s, i) => (
                      <td key={series.years[i]} className="num">
                        {formatShare(s)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {h.data && h.data.predecessors.length > 0 && (
            <p className="console-muted">
              Gồm số liệu của {h.data.predecessors.map((p) => p.name).join(', ')} trước khi sáp nhập.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** Đề xuất khen thưởng (docs/transparency.md §5): who held their title five years in a row, and the XLSX. */
export function CommendationsPanel({ campaignId, year }: { campaignId: string; year: number }) {
  const api = useApi();
  const c = useAsync(() => api.history.commendations(campaignId), [api, campaignId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      saveBlob(
        await api.download(`/api/v1/campaigns/${encodeURIComponent(campaignId)}/commendations.xlsx`),
        `de-xuat-khen-thuong-${year}.xlsx`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rules = c.data?.rules ?? [];
  const rule =
    rules.length > 1 && rules.every((r) => r.years === rules[0]!.years)
      ? `mọi danh hiệu: ${formatCount(rules[0]!.years)} năm`
      : rules.map((r) => `${TITLE_LABELS[r.subjectType]}: ${formatCount(r.years)} năm`).join(' · ');
  return (
    <section className="console-panel" aria-labelledby="commend-h">
      <div className="console-row" style={{ justifyContent: 'space-between' }}>
        <h2 className="console-h2" id="commend-h">
          Đề xuất khen thưởng năm {year}
        </h2>
        <button
          type="button"
          className="console-btn console-btn-secondary"
          disabled={busy}
          onClick={() => void download()}
        >
          {busy ? 'Đang tải…' : 'Tải danh sách (XLSX)'}
        </button>
      </div>
      <InlineError error={error} />
      {c.error && !c.data ? (
        <ErrorState error={c.error} onRetry={c.reload} />
      ) : !c.data ? (
        <LoadingState label="Đang tải đề xuất…" />
      ) : (
        <>
          <p className="console-muted">Giữ danh hiệu liên tục, tính cả năm nay — {rule}.</p>
          {c.data.items.length === 0 ? (
            <EmptyState title="Chưa có đối tượng đủ điều kiện đề xuất." />
          ) : (
            <div className="console-table-wrap">
              <table className="console-table">
                <thead>
                  <tr>
                    <th scope="col">Họ tên / tên hộ</th>
                    <th scope="col">Ấp</th>
                    <th scope="col">Danh hiệu</th>
                    <th scope="col" className="num">
                      Số năm
                    </th>
                    <th scope="col">Ghi chú</th>
                  </tr>
                </thead>
                <tbody>
                  {c.data.items.map((i) => (
                    <tr key={i.assessmentId}>
                      <th scope="row" style={{ fontWeight: 400 }}>
                        {i.name}
                      </th>
                      <td>{i.hamletName}</td>
                      <td>{i.honour ?? i.title}</td>
                      <td className="num">{formatCount(i.consecutiveYears)}</td>
                      <td>{i.provisional ? 'Tạm thời' : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
