import { useMemo, useState } from 'react';
import { REPORTING_STATUS_LABELS, TITLE_ABBREVIATIONS, TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { DownloadButton } from '../components/download-button.tsx';
import { EmptyState, ErrorState, LoadingState } from '../components/screen.tsx';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate, formatShare } from '../services/format.ts';
import type { Me, ReportSummary } from '../services/types.ts';
import { provinceOf } from './nav.ts';
import { ShareChart } from './chart.tsx';
import { Field, n, Tag } from './ui.tsx';

type Row = ReportSummary['children'][number];
const TITLES: SubjectType[] = ['household', 'clan', 'community', 'unit', 'citizen'];
type SortKey = 'name' | 'status' | SubjectType;

/**
 * The province viewer: every commune's figures against its targets in one sortable table, a chart
 * of the chosen title, the consolidated workbook (one row per commune), and the communes that have
 * not reported by their deadline marked in red and listed first when sorted by status.
 */
export default function ProvinceScreen({ me }: { me: Me }) {
  const api = useApi();
  const province = provinceOf(me);
  const campaigns = useAsync(() => api.campaigns(), [api]);
  const years = useMemo(
    () => [...new Set((campaigns.data ?? []).map((c) => c.year))].sort((a, b) => b - a),
    [campaigns.data],
  );
  const [year, setYear] = useState<number>();
  const shownYear = year ?? years[0];
  const campaignId = campaigns.data?.find((c) => c.year === shownYear)?.id;
  const s = useAsync(
    async () => (campaignId && province ? api.reportSummary(campaignId, province.unitId) : undefined),
    [api, campaignId, province?.unitId],
  );

  if (!province) return <EmptyState title="Tài khoản chưa được giao theo dõi tỉnh nào." />;
  let body;
  if (campaigns.error && !campaigns.data) body = <ErrorState error={campaigns.error} onRetry={campaigns.reload} />;
  else if (!campaigns.data) body = <LoadingState label="Đang tải các đợt đánh giá…" />;
  else if (!campaignId) body = <EmptyState title="Chưa xã nào trong tỉnh mở đợt đánh giá." />;
  else if (s.error && !s.data) body = <ErrorState error={s.error} onRetry={s.reload} />;
  else if (!s.data) body = <LoadingState label="Đang tổng hợp số liệu các xã…" />;
  else body = <ProvinceFigures summary={s.data} campaignId={campaignId} provinceId={province.unitId} />;
  return (
    <>
      <h1 className="console-h1">Các xã trong {province.unitName}</h1>
      {years.length > 1 && (
        <div className="console-row" style={{ marginBottom: 12 }}>
          <Field label="Năm">
            <select value={shownYear} onChange={(e) => setYear(Number(e.target.value))}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {body}
    </>
  );
}

function ProvinceFigures({
  summary,
  campaignId,
  provinceId,
}: {
  summary: ReportSummary;
  campaignId: string;
  provinceId: string;
}) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'status', desc: false });
  const [chartTitle, setChartTitle] = useState<SubjectType>('household');
  const overdue = summary.children.filter((r) => r.reporting?.status === 'overdue');
  const rows = useMemo(() => sortRows(summary.children, sort.key, sort.desc), [summary.children, sort]);
  const series = useMemo(() => {
    const byShare = sortRows(summary.children, chartTitle, true);
    return {
      labels: byShare.map((r) => r.unit.name),
      shares: byShare.map((r) => figure(r, chartTitle)?.share ?? null),
      targets: byShare.map((r) => figure(r, chartTitle)?.target ?? null),
    };
  }, [summary.children, chartTitle]);
  const header = (key: SortKey, label: string, num = false) => (
    <th
      key={key}
      scope="col"
      className={num ? 'num' : undefined}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="console-sort"
        onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'name' && key !== 'status' })}
      >
        {label} {sort.key === key ? (sort.desc ? '▼' : '▲') : ''}
      </button>
    </th>
  );
  return (
    <>
      <section className="console-panel" aria-labelledby="prov-sum-h">
        <h2 className="console-h2" id="prov-sum-h">
          Năm {summary.year}: {n(summary.children.length)} xã
        </h2>
        <ul className="console-stats">
          {summary.titles.map((t) => (
            <li key={t.subjectType}>
              {TITLE_LABELS[t.subjectType]}: <strong>{formatShare(t.share)}</strong> (chỉ tiêu {formatShare(t.target)})
            </li>
          ))}
        </ul>
        {overdue.length > 0 ? (
          <p className="note-warn" role="alert">
            {n(overdue.length)} xã chưa báo cáo dù đã quá hạn: {overdue.map((r) => r.unit.name).join(', ')}.
          </p>
        ) : (
          <p className="note-good">Không xã nào quá hạn báo cáo.</p>
        )}
        <div className="console-row" style={{ marginTop: 10 }}>
          <DownloadButton
            label="Tải báo cáo tổng hợp (Excel, mỗi xã một dòng)"
            path="/api/v1/exports/report.xlsx"
            query={{ campaignId, unitId: provinceId }}
            fileName={`bao-cao-tinh-${summary.year}.xlsx`}
          />
        </div>
      </section>
      <section className="console-panel" aria-labelledby="prov-chart-h">
        <h2 className="console-h2" id="prov-chart-h">
          Tỷ lệ {TITLE_LABELS[chartTitle]} từng xã, so với chỉ tiêu
        </h2>
        <div className="console-tabs" role="tablist" aria-label="Danh hiệu của biểu đồ">
          {TITLES.map((t) => (
            <button key={t} type="button" role="tab" aria-selected={t === chartTitle} onClick={() => setChartTitle(t)}>
              {TITLE_LABELS[t]}
            </button>
          ))}
        </div>
        <ShareChart
          series={series}
          horizontal
          height={Math.max(220, 70 + 26 * series.labels.length)}
          label={`Biểu đồ tỷ lệ ${TITLE_LABELS[chartTitle]} theo xã`}
        />
      </section>
      <section className="console-panel" aria-labelledby="prov-table-h">
        <h2 className="console-h2" id="prov-table-h">
          Số liệu từng xã
        </h2>
        <div className="console-table-wrap">
          <table className="console-table">
            <caption className="console-muted" style={{ textAlign: 'left' }}>
              Tỷ lệ công nhận / chỉ tiêu; bấm tiêu đề cột để sắp xếp. Dòng đỏ: quá hạn chưa báo cáo.
            </caption>
            <thead>
              <tr>
                {header('name', 'Xã')}
                {TITLES.map((t) => header(t, TITLE_ABBREVIATIONS[t], true))}
                {header('status', 'Báo cáo')}
                <th scope="col">Hạn báo cáo</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.unit.id} className={r.reporting?.status === 'overdue' ? 'row-overdue' : undefined}>
                  <th scope="row" style={{ fontWeight: 600 }}>
                    {r.unit.name}
                  </th>
                  {TITLES.map((t) => {
                    const f = figure(r, t);
                    const met = f && f.share !== null && f.target !== null && f.share >= f.target;
                    return (
                      <td key={t} className="num">
                        {formatShare(f?.share ?? null)} / {formatShare(f?.target ?? null)}
                        {met ? ' ✓' : ''}
                      </td>
                    );
                  })}
                  <td>
                    {r.reporting ? (
                      <Tag kind={r.reporting.status}>{REPORTING_STATUS_LABELS[r.reporting.status]}</Tag>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{formatDate(r.reporting?.reportDueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

const figure = (r: Row, t: SubjectType) => r.titles.find((x) => x.subjectType === t);
/** Overdue first, then still open, then done: what a province chases. */
const STATUS_RANK = { overdue: 0, no_campaign: 1, pending: 2, decided: 3, closed: 4 } as const;

function sortRows(rows: Row[], key: SortKey, desc: boolean): Row[] {
  const value = (r: Row): number | string => {
    if (key === 'name') return r.unit.name;
    if (key === 'status') return r.reporting ? STATUS_RANK[r.reporting.status] : 9;
    return figure(r, key)?.share ?? -1;
  };
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'string' ? x.localeCompare(String(y), 'vi') : x - (y as number);
    return (desc ? -c : c) || a.unit.name.localeCompare(b.unit.name, 'vi');
  });
}
