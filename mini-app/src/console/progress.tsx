import { useMemo, useState } from 'react';
import { TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { EmptyState, ErrorState, LoadingState } from '../components/screen.tsx';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate, formatShare } from '../services/format.ts';
import type { Me, ReportSummary, TitleFigures } from '../services/types.ts';
import { useOfficerCampaign } from '../pages/officer/home.tsx';
import { ShareChart } from './chart.tsx';
import { n } from './ui.tsx';
import { CommendationsPanel, TitleTrend } from './years.tsx';

/** The commune at a glance: the campaign, every title against its target, then each hamlet. */
export default function ProgressScreen({ me, go }: { me: Me; go: (path: string) => void }) {
  const api = useApi();
  const c = useOfficerCampaign(me);
  const campaign = c.data?.campaign;
  const commune = c.data?.commune;
  const s = useAsync(
    async () => (campaign && commune ? api.reportSummary(campaign.id, commune.unitId) : undefined),
    [api, campaign?.id, commune?.unitId],
  );
  if (c.loading && !c.data) return <LoadingState label="Đang tải đợt đánh giá…" />;
  if (c.error && !c.data) return <ErrorState error={c.error} onRetry={c.reload} />;
  return (
    <>
      <h1 className="console-h1">Tổng quan {commune?.unitName ?? ''}</h1>
      <section className="console-panel" aria-labelledby="campaign-h">
        <h2 className="console-h2" id="campaign-h">
          {campaign ? campaign.title : 'Chưa có đợt đánh giá năm nay'}
        </h2>
        {campaign ? (
          <p>
            {campaign.status === 'open' ? 'Đang mở' : 'Đã đóng'} · Hạn tự đánh giá{' '}
            {formatDate(campaign.selfAssessmentDueAt)} · Hạn xác minh {formatDate(campaign.verificationDueAt)} · Hạn báo
            cáo {formatDate(campaign.reportDueAt)}
          </p>
        ) : (
          <p>Sau khi nhập danh sách hộ và phân công tổ trưởng, hãy mở đợt đánh giá để các hộ tự đánh giá.</p>
        )}
        <div className="console-row" style={{ marginTop: 10 }}>
          <button type="button" className="console-btn" onClick={() => go('/campaign')}>
            {campaign ? 'Sửa đợt đánh giá' : 'Mở đợt đánh giá'}
          </button>
          <button type="button" className="console-btn console-btn-secondary" onClick={() => go('/import')}>
            Nhập danh sách
          </button>
          <button type="button" className="console-btn console-btn-secondary" onClick={() => go('/invites')}>
            In mã mời
          </button>
        </div>
      </section>
      {campaign &&
        (s.error && !s.data ? (
          <ErrorState error={s.error} onRetry={s.reload} />
        ) : !s.data ? (
          <LoadingState label="Đang tải tiến độ…" />
        ) : (
          <Figures summary={s.data} />
        ))}
      {campaign && commune && <TitleTrend unitId={commune.unitId} year={campaign.year} />}
      {campaign && <CommendationsPanel campaignId={campaign.id} year={campaign.year} />}
    </>
  );
}

function Figures({ summary }: { summary: ReportSummary }) {
  const titles = summary.titles;
  const [type, setType] = useState<SubjectType>('household');
  const t = titles.find((x) => x.subjectType === type) ?? titles[0];
  const byTitle = useMemo(
    () => ({
      labels: titles.map((x) => TITLE_LABELS[x.subjectType]),
      shares: titles.map((x) => x.share),
      targets: titles.map((x) => x.target),
    }),
    [titles],
  );
  const hamletRows = useMemo(
    () =>
      summary.children
        .map((row) => ({ name: row.unit.name, f: row.titles.find((x) => x.subjectType === t?.subjectType) }))
        .filter((x): x is { name: string; f: TitleFigures } => !!x.f),
    [summary, t?.subjectType],
  );
  const byHamlet = useMemo(
    () => ({
      labels: hamletRows.map((r) => r.name),
      shares: hamletRows.map((r) => r.f.share),
      targets: hamletRows.map((r) => r.f.target),
    }),
    [hamletRows],
  );
  return (
    <>
      <section className="console-panel" aria-labelledby="titles-h">
        <h2 className="console-h2" id="titles-h">
          Tỷ lệ công nhận theo danh hiệu, so với chỉ tiêu
        </h2>
        <div className="console-stack">
          <ShareChart series={byTitle} label="Biểu đồ tỷ lệ công nhận theo danh hiệu" />
          <FigureTable rows={titles.map((f) => ({ name: TITLE_LABELS[f.subjectType], f }))} first="Danh hiệu" />
        </div>
      </section>
      <section className="console-panel" aria-labelledby="hamlets-h">
        <h2 className="console-h2" id="hamlets-h">
          Theo ấp: {t ? TITLE_LABELS[t.subjectType] : ''}
        </h2>
        <div className="console-tabs" role="tablist" aria-label="Danh hiệu">
          {titles.map((x) => (
            <button
              key={x.subjectType}
              type="button"
              role="tab"
              aria-selected={x.subjectType === t?.subjectType}
              onClick={() => setType(x.subjectType)}
            >
              {TITLE_LABELS[x.subjectType]}
            </button>
          ))}
        </div>
        {hamletRows.length === 0 ? (
          <EmptyState title="Chưa có số liệu theo ấp." />
        ) : (
          <div className="console-stack">
            <ShareChart series={byHamlet} label={`Biểu đồ tỷ lệ ${t ? TITLE_LABELS[t.subjectType] : ''} theo ấp`} />
            <FigureTable rows={hamletRows} first="Ấp" />
          </div>
        )}
      </section>
    </>
  );
}

function FigureTable({ rows, first }: { rows: { name: string; f: TitleFigures }[]; first: string }) {
  return (
    <div className="console-table-wrap">
      <table className="console-table">
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              Tổng số
            </th>
            <th scope="col" className="num">
              Đã gửi
            </th>
            <th scope="col" className="num">
              Đã xác minh
            </th>
            <th scope="col" className="num">
              Công nhận
            </th>
            <th scope="col" className="num">
              Tỷ lệ
            </th>
            <th scope="col" className="num">
              Chỉ tiêu
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, f }) => (
            <tr key={name}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {name}
              </th>
              <td className="num">{n(f.registryTotal)}</td>
              <td className="num">{n(f.submitted)}</td>
              <td className="num">{n(f.verified)}</td>
              <td className="num">{n(f.recognised)}</td>
              <td className="num">{formatShare(f.share)}</td>
              <td className="num">{formatShare(f.target)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
