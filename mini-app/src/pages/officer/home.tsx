import { TITLE_LABELS } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { formatShare } from '../../services/format.ts';
import type { Campaign, Me, ReportSummary, TitleFigures } from '../../services/types.ts';
import { currentCampaign, deadlineText } from '../home/helpers.ts';

export function officerCommune(me: Me) {
  return me.roles.find((r) => r.role === 'officer' && r.unitLevel === 'commune') ?? me.roles.find((r) => r.unitLevel === 'commune');
}

/** Loads the officer's commune and its current campaign (shared by the officer screens). */
export function useOfficerCampaign(me: Me) {
  const api = useApi();
  const commune = officerCommune(me);
  return useAsync(async () => {
    const list = await api.campaigns(commune?.unitId);
    return { commune, campaign: currentCampaign(list) };
  }, [api, commune?.unitId]);
}

export type OfficerPage = 'campaign' | 'recognition' | 'exports' | 'messages';

export function OfficerHome({ me, go }: { me: Me; go: (p: OfficerPage) => void }) {
  const c = useOfficerCampaign(me);
  if (c.loading && !c.data) return <LoadingState label="Đang tải đợt đánh giá…" />;
  if (c.error && !c.data) return <ErrorState error={c.error} onRetry={c.reload} />;
  const { commune, campaign } = c.data!;
  if (!commune) return <EmptyState title="Tài khoản chưa được giao phụ trách xã nào." />;
  return (
    <>
      <section className="card">
        <p className="card-kicker">Cán bộ xã · {commune.unitName}</p>
        {campaign ? (
          <>
            <h2 className="card-title">{campaign.title}</h2>
            <p className="small">
              {campaign.status === 'open' ? 'Đang mở' : 'Đã đóng'} · Hạn tự đánh giá {deadlineText(campaign.selfAssessmentDueAt).text}
            </p>
          </>
        ) : (
          <EmptyState title="Xã chưa mở đợt đánh giá năm nay." />
        )}
        <button type="button" className="btn btn-primary btn-block" onClick={() => go('campaign')}>
          {campaign ? 'Sửa đợt đánh giá' : 'Mở đợt đánh giá'}
        </button>
      </section>
      {campaign && (
        <nav className="menu" aria-label="Chức năng của xã">
          <button type="button" className="btn btn-secondary btn-block" onClick={() => go('recognition')}>
            Bình xét và ra quyết định công nhận
          </button>
          <button type="button" className="btn btn-secondary btn-block" onClick={() => go('exports')}>
            Tải báo cáo, danh sách, giấy công nhận
          </button>
          <button type="button" className="btn btn-secondary btn-block" onClick={() => go('messages')}>
            Tin nhắn đã gửi
          </button>
        </nav>
      )}
      {campaign && <Progress campaign={campaign} communeId={commune.unitId} />}
    </>
  );
}

/** Progress against the target, per title and per hamlet: plain CSS bars (no chart library). */
function Progress({ campaign, communeId }: { campaign: Campaign; communeId: string }) {
  const api = useApi();
  const s = useAsync(() => api.reportSummary(campaign.id, communeId), [api, campaign.id, communeId]);
  if (s.loading && !s.data) return <LoadingState label="Đang tải tiến độ…" />;
  if (s.error && !s.data) return <ErrorState error={s.error} onRetry={s.reload} />;
  return <ProgressView summary={s.data!} error={s.error} />;
}

export function ProgressView({ summary, error }: { summary: ReportSummary; error?: unknown }) {
  const hh = summary.titles.find((t) => t.subjectType === 'household');
  return (
    <section className="card" aria-label="Tiến độ">
      <h2 className="card-title">Tiến độ {TITLE_LABELS.household}</h2>
      <InlineError error={error} />
      {hh ? <FunnelBars t={hh} /> : <p className="small">Chưa có số liệu.</p>}
      {summary.children.length > 0 && (
        <>
          <p className="section-label">Tỷ lệ công nhận theo ấp</p>
          <ul className="bars">
            {summary.children.map((row) => {
              const t = row.titles.find((x) => x.subjectType === 'household');
              if (!t) return null;
              return (
                <li key={row.unit.id}>
                  <Bar label={row.unit.name} value={t.share} target={t.target} detail={`${t.recognised}/${t.registryTotal} hộ · đã nộp ${t.submitted}`} />
                </li>
              );
            })}
          </ul>
        </>
      )}
      {summary.titles
        .filter((t) => t.subjectType !== 'household' && t.registered > 0)
        .map((t) => (
          <Bar key={t.subjectType} label={t.title} value={t.share} target={t.target} detail={`${t.recognised}/${t.registryTotal}`} />
        ))}
    </section>
  );
}

function FunnelBars({ t }: { t: TitleFigures }) {
  const total = Math.max(1, t.registryTotal);
  const rows = [
    ['Đã đăng ký', t.registered],
    ['Đã nộp', t.submitted],
    ['Đã xác minh', t.verified],
    ['Được công nhận', t.recognised],
  ] as const;
  return (
    <>
      <p>
        Tổng số hộ: <strong>{t.registryTotal}</strong> · Chỉ tiêu: <strong>{formatShare(t.target)}</strong>
      </p>
      <ul className="bars">
        {rows.map(([label, n]) => (
          <li key={label}>
            <Bar label={label} value={n / total} target={label === 'Được công nhận' ? t.target : null} detail={`${n} hộ`} />
          </li>
        ))}
      </ul>
      {t.missing !== null && t.missing > 0 && <p className="note-warn">Cần công nhận thêm {t.missing} hộ để đạt chỉ tiêu.</p>}
    </>
  );
}

/** One horizontal bar, the target as a marked line; the numbers are also written out. */
export function Bar({ label, value, target, detail }: { label: string; value: number | null; target: number | null; detail: string }) {
  const pct = Math.max(0, Math.min(100, (value ?? 0) * 100));
  const met = target !== null && value !== null && value >= target;
  return (
    <div className="bar">
      <div className="bar-head">
        <span className="bar-label">{label}</span>
        <span className="bar-value">{formatShare(value)}</span>
      </div>
      <div className="bar-track" role="img" aria-label={`${label}: ${formatShare(value)}${target !== null ? `, chỉ tiêu ${formatShare(target)}` : ''}`}>
        <div className={`bar-fill ${met ? 'bar-fill-good' : ''}`} style={{ width: `${pct}%` }} />
        {target !== null && <div className="bar-target" style={{ left: `${Math.min(100, target * 100)}%` }} />}
      </div>
      <span className="bar-detail">
        {detail}
        {target !== null ? ` · chỉ tiêu ${formatShare(target)}${met ? ' (đã đạt)' : ''}` : ''}
      </span>
    </div>
  );
}
