import { useState } from 'react';
import { TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { SUBJECT_WORDS } from '../../services/subjects.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { formatShare } from '../../services/format.ts';
import type { Campaign, Me, ReportSummary, TitleFigures } from '../../services/types.ts';
import { currentCampaign, deadlineText } from '../home/helpers.ts';
import { Button } from 'zmp-ui';

export function officerCommune(me: Me) {
  return (
    me.roles.find((r) => r.role === 'officer' && r.unitLevel === 'commune') ??
    me.roles.find((r) => r.unitLevel === 'commune')
  );
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

export type OfficerPage = 'campaign' | 'recognition' | 'exports' | 'messages' | 'objections';

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
              {campaign.status === 'open' ? 'Đang mở' : 'Đã đóng'} · Hạn tự đánh giá{' '}
              {deadlineText(campaign.selfAssessmentDueAt).text}
            </p>
          </>
        ) : (
          <EmptyState title="Xã chưa mở đợt đánh giá năm nay." />
        )}
        <Button variant="primary" fullWidth onClick={() => go('campaign')}>
          {campaign ? 'Sửa đợt đánh giá' : 'Mở đợt đánh giá'}
        </Button>
      </section>
      {campaign && (
        <nav className="menu" aria-label="Chức năng của xã">
          <Button variant="secondary" fullWidth onClick={() => go('recognition')}>
            Xác minh, bình xét và công nhận
          </Button>
          <Button variant="secondary" fullWidth onClick={() => go('exports')}>
            Tải báo cáo, danh sách, giấy công nhận
          </Button>
          <Button variant="secondary" fullWidth onClick={() => go('messages')}>
            Tin nhắn đã gửi
          </Button>
          <Button variant="secondary" fullWidth onClick={() => go('objections')}>
            Niêm yết danh sách và ý kiến người dân
          </Button>
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

/**
 * Progress of every title (households, citizens, clans, units, hamlets): the funnel of the chosen
 * title, then one bar per hamlet against the target — the same figures as the XLSX report.
 */
export function ProgressView({ summary, error }: { summary: ReportSummary; error?: unknown }) {
  const titles = summary.titles;
  const [type, setType] = useState<SubjectType>('household');
  const t = titles.find((x) => x.subjectType === type) ?? titles[0];
  const noun = t ? SUBJECT_WORDS[t.subjectType].noun : 'hộ';
  const rows = t
    ? summary.children
        .map((row) => ({ row, f: row.titles.find((x) => x.subjectType === t.subjectType) }))
        .filter((x): x is { row: (typeof summary.children)[number]; f: TitleFigures } => !!x.f && x.f.registryTotal > 0)
    : [];
  return (
    <section className="card" aria-label="Tiến độ">
      <div className="title-tabs" role="tablist" aria-label="Danh hiệu">
        {titles.map((x) => (
          <button
            key={x.subjectType}
            type="button"
            role="tab"
            aria-selected={x.subjectType === t?.subjectType}
            className="title-tab"
            onClick={() => setType(x.subjectType)}
          >
            {TITLE_LABELS[x.subjectType]}
          </button>
        ))}
      </div>
      <h2 className="card-title">Tiến độ {t ? TITLE_LABELS[t.subjectType] : ''}</h2>
      <InlineError error={error} />
      {t ? <FunnelBars t={t} noun={noun} /> : <p className="small">Chưa có số liệu.</p>}
      {rows.length > 0 && (
        <>
          <p className="section-label">Tỷ lệ công nhận theo ấp</p>
          <ul className="bars">
            {rows.map(({ row, f }) => (
              <li key={row.unit.id}>
                <Bar
                  label={row.unit.name}
                  value={f.share}
                  target={f.target}
                  detail={`${f.recognised}/${f.registryTotal} ${noun} · đã gửi ${f.submitted}`}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function FunnelBars({ t, noun }: { t: TitleFigures; noun: string }) {
  const total = Math.max(1, t.registryTotal);
  const rows = [
    ['Đã đăng ký', t.registered],
    ['Đã gửi hồ sơ', t.submitted],
    ['Đã xác minh', t.verified],
    ['Được công nhận', t.recognised],
  ] as const;
  return (
    <>
      <p>
        Tổng số {noun}: <strong>{t.registryTotal}</strong> · Chỉ tiêu: <strong>{formatShare(t.target)}</strong>
      </p>
      <ul className="bars">
        {rows.map(([label, n]) => (
          <li key={label}>
            <Bar
              label={label}
              value={n / total}
              target={label === 'Được công nhận' ? t.target : null}
              detail={`${n} ${noun}`}
            />
          </li>
        ))}
      </ul>
      {t.missing !== null && t.missing > 0 && (
        <p className="note-warn">
          Cần công nhận thêm {t.missing} {noun} để đạt chỉ tiêu.
        </p>
      )}
    </>
  );
}

/** One horizontal bar, the target as a marked line; the numbers are also written out. */
export function Bar({
  label,
  value,
  target,
  detail,
}: {
  label: string;
  value: number | null;
  target: number | null;
  detail: string;
}) {
  const pct = Math.max(0, Math.min(100, (value ?? 0) * 100));
  const met = target !== null && value !== null && value >= target;
  return (
    <div className="bar">
      <div className="bar-head">
        <span className="bar-label">{label}</span>
        <span className="bar-value">{formatShare(value)}</span>
      </div>
      <div
        className="bar-track"
        role="img"
        aria-label={`${label}: ${formatShare(value)}${target !== null ? `, chỉ tiêu ${formatShare(target)}` : ''}`}
      >
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
