import { useMemo, useState } from 'react';
import { TITLE_LABELS, type AssessmentState } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { stableId } from '../../services/drafts.ts';
import { formatDate } from '../../services/format.ts';
import { shareText } from '../../services/zalo.ts';
import { useAppStore } from '../../store.ts';
import type { AssessmentSummary, Household, Me } from '../../services/types.ts';
import { currentCampaign, deadlineText } from '../home/helpers.ts';
import { useNotify } from '../../components/feedback.tsx';
import { subjectLabel } from '../../services/subjects.ts';
import { Button } from 'zmp-ui';

export const QUEUE_FILTERS: { key: string; label: string; states: AssessmentState[] | null }[] = [
  { key: 'waiting', label: 'Chờ xác minh', states: ['submitted', 'resubmitted'] },
  { key: 'returned', label: 'Đã trả lại', states: ['returned'] },
  { key: 'done', label: 'Đã xác minh', states: ['verified', 'reviewed', 'recognised', 'not_recognised', 'appealed'] },
  { key: 'all', label: 'Tất cả', states: null },
];

/**
 * The tổ leader's (or trưởng ấp's) home: every form of the tổ/ấp they verify — households,
 * citizens, and for a trưởng ấp the clans and units of the ấp — assisted mode and the share sheet.
 * Their own forms (the hamlet's Cộng đồng học tập) are verified by the commune, not listed here.
 */
export function LeaderHome({
  me,
  openReview,
  openAssessment,
}: {
  me: Me;
  openReview: (id: string) => void;
  openAssessment: (id: string) => void;
}) {
  const api = useApi();
  const unit = me.roles.find((r) => r.role === 'leader') ?? me.roles.find((r) => r.role === 'hamlet_head');
  const mine = useAppStore((s) => s.mine);
  const data = useAsync(async () => {
    const campaign = currentCampaign(await api.campaigns());
    if (!campaign) return { campaign: undefined, list: [] as AssessmentSummary[] };
    const list = await api.assessments({ campaignId: campaign.id, ...(unit ? { unitId: unit.unitId } : {}) });
    return { campaign, list };
  }, [api, unit?.unitId]);
  const queue = useMemo(
    () =>
      (data.data?.list ?? []).filter(
        // A hamlet's own form is verified by the commune: never in this queue, even before the
        // person's own profiles (`mine`) have loaded on a cold start.
        (a) => a.subjectType !== 'community' && !mine.includes(a.subjectId) && a.subjectId !== me.householdId,
      ),
    [data.data, mine, me.householdId],
  );
  const [filter, setFilter] = useState('waiting');

  const counts = useMemo(() => {
    const out: Record<string, number> = {};
    for (const f of QUEUE_FILTERS) out[f.key] = queue.filter((a) => !f.states || f.states.includes(a.state)).length;
    return out;
  }, [queue]);

  if (data.loading && !data.data) return <LoadingState label="Đang tải danh sách hộ…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { campaign, list } = data.data!;
  if (!campaign) return <EmptyState title="Xã chưa mở đợt đánh giá năm nay." />;
  const states = QUEUE_FILTERS.find((f) => f.key === filter)?.states ?? null;
  const shown = queue.filter((a) => !states || states.includes(a.state));
  const due = deadlineText(campaign.verificationDueAt);

  return (
    <>
      <section className="card">
        <p className="card-kicker">
          {unit?.role === 'leader' ? 'Tổ trưởng' : 'Trưởng ấp'} · {unit?.unitName}
        </p>
        <h2 className="card-title">Hồ sơ cần xác minh</h2>
        <p className={due.urgent ? 'deadline deadline-urgent' : 'deadline'}>Hạn xác minh: {due.text}</p>
        <div className="filters" role="tablist" aria-label="Lọc theo trạng thái">
          {QUEUE_FILTERS.map((f) => (
            <button
              key={f.key}
              type="button"
              role="tab"
              aria-selected={filter === f.key}
              className={`filter ${filter === f.key ? 'filter-on' : ''}`}
              onClick={() => setFilter(f.key)}
            >
              {f.label} ({counts[f.key] ?? 0})
            </button>
          ))}
        </div>
        {data.loading && (
          <p className="small" role="status">
            Đang cập nhật…
          </p>
        )}
        {data.error !== undefined && <InlineError error={data.error} />}
        {shown.length === 0 ? (
          <EmptyState
            title={filter === 'waiting' ? 'Không có hồ sơ nào đang chờ xác minh.' : 'Không có hồ sơ nào ở mục này.'}
          />
        ) : (
          <ul className="list">
            {shown.map((a) => (
              <li key={a.id}>
                <button type="button" className="list-item" onClick={() => openReview(a.id)}>
                  {a.subjectType !== 'household' && (
                    <span className="list-item-sub">{TITLE_LABELS[a.subjectType]}</span>
                  )}
                  <span className="list-item-title">{subjectLabel(a.subjectName)}</span>
                  <span className="row">
                    <StatusChip state={a.state} />
                    {a.selfTotal !== null && <span className="list-item-sub">Tự chấm {a.selfTotal} điểm</span>}
                  </span>
                  <span className="list-item-sub">
                    {a.submittedAt ? `Gửi ngày ${formatDate(a.submittedAt)}` : 'Chưa gửi'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <Button variant="tertiary" fullWidth onClick={data.reload}>
          Tải lại danh sách
        </Button>
      </section>
      {unit && <ShareProgress unitId={unit.unitId} />}
      {unit?.unitLevel === 'group' && (
        <AssistedStart groupId={unit.unitId} campaignId={campaign.id} list={list} openAssessment={openAssessment} />
      )}
    </>
  );
}

/** Share the tổ/ấp progress (counts only, no personal data) into the leader's own Zalo groups. */
export function ShareProgress({ unitId }: { unitId: string }) {
  const api = useApi();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const share = async () => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      const s = await api.shareSummary(unitId);
      const r = await shareText(s.text, s.link);
      const said =
        r === 'copied'
          ? 'Đã chép nội dung, hãy dán vào nhóm Zalo.'
          : r === 'shared'
            ? 'Đã chia sẻ.'
            : r === 'unsupported'
              ? 'Máy này chưa chia sẻ được.'
              : undefined;
      setStatus(said);
      if (said) notify.info(said);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card">
      <h2 className="card-title">Chia sẻ tiến độ</h2>
      <p className="small">
        Gửi số hộ đã gửi hồ sơ, đã xác minh vào nhóm Zalo của ấp (không kèm thông tin riêng của hộ).
      </p>
      <InlineError error={error} />
      <Button variant="secondary" fullWidth disabled={busy} onClick={() => void share()}>
        {busy ? 'Đang chuẩn bị…' : 'Chia sẻ vào nhóm Zalo'}
      </Button>
      {status && (
        <p className="small" role="status">
          {status}
        </p>
      )}
    </section>
  );
}

/** Assisted mode: pick a neighbour who cannot use the app and fill in for them. */
function AssistedStart({
  groupId,
  campaignId,
  list,
  openAssessment,
}: {
  groupId: string;
  campaignId: string;
  list: AssessmentSummary[];
  openAssessment: (id: string) => void;
}) {
  const api = useApi();
  const setAssisted = useAppStore((s) => s.setAssisted);
  const [open, setOpen] = useState(false);
  const households = useAsync(async () => (open ? api.households(groupId) : ([] as Household[])), [api, groupId, open]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const start = async (h: Household) => {
    setBusy(h.id);
    setError(undefined);
    setAssisted({ householdId: h.id, name: h.headName });
    try {
      const existing = list.find((a) => a.subjectId === h.id);
      const id = existing?.id ?? stableId(`assessment:${campaignId}:${h.id}`);
      if (!existing) await api.createAssessment({ id, campaignId, subjectType: 'household', subjectId: h.id });
      openAssessment(id);
    } catch (err) {
      setAssisted(null);
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };
  const state = (h: Household) => list.find((a) => a.subjectId === h.id)?.state;
  return (
    <section className="card">
      <h2 className="card-title">Nhập thay cho hộ</h2>
      <p className="small">Dành cho hộ không dùng được điện thoại: bạn nhập giúp, hệ thống ghi rõ là “nhập thay”.</p>
      {!open ? (
        <Button variant="secondary" fullWidth onClick={() => setOpen(true)}>
          Chọn hộ để nhập thay
        </Button>
      ) : households.loading && !households.data ? (
        <LoadingState label="Đang tải các hộ trong tổ…" />
      ) : households.error && !households.data ? (
        <ErrorState error={households.error} onRetry={households.reload} />
      ) : (
        <>
          <InlineError error={error} />
          <ul className="list">
            {(households.data ?? [])
              .filter((h) => {
                const s = state(h);
                return !s || s === 'draft' || s === 'returned';
              })
              .slice(0, 60)
              .map((h) => (
                <li key={h.id}>
                  <button
                    type="button"
                    className="list-item"
                    disabled={busy !== undefined}
                    onClick={() => void start(h)}
                  >
                    <span className="list-item-title">{h.headName}</span>
                    <span className="list-item-sub">
                      {h.address || h.groupName} · {state(h) ? <StatusChip state={state(h)!} /> : 'Chưa bắt đầu'}
                    </span>
                    {busy === h.id && <span className="list-item-sub">Đang mở…</span>}
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}
