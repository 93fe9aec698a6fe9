import { useState } from 'react';
import { TITLE_LABELS } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { stableId } from '../../services/drafts.ts';
import { shareText } from '../../services/zalo.ts';
import { homeKind, useAppStore } from '../../store.ts';
import type { Campaign, Me } from '../../services/types.ts';

export default function HomePage({ openAssessment }: { openAssessment: (id: string) => void }) {
  const me = useAppStore((s) => s.me)!;
  const signOut = useAppStore((s) => s.signOut);
  const kind = homeKind(me);
  return (
    <Screen title="Học tập suốt đời">
      <div className="hello">
        <p className="hello-name">Xin chào, {me.displayName}</p>
        <p className="small">{me.roles.map((r) => r.unitName).filter(Boolean).join(' · ') || 'Hộ gia đình'}</p>
      </div>
      {kind === 'household' && <HouseholdHome me={me} openAssessment={openAssessment} />}
      {kind === 'leader' && <LeaderHome me={me} />}
      {kind === 'officer' && <OfficerHome me={me} />}
      <button type="button" className="btn btn-link btn-block" onClick={signOut}>
        Đăng xuất
      </button>
    </Screen>
  );
}

/** Which commune's campaigns to ask for: the household's commune, else a commune-level role. */
export function communeIdOf(me: Me): string | undefined {
  return me.household?.communeId ?? me.roles.find((r) => r.unitLevel === 'commune')?.unitId;
}

/** The campaign to show: open ones first, then the latest year. */
export function currentCampaign(list: Campaign[]): Campaign | undefined {
  return [...list].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.year - a.year)[0];
}

/** "còn 12 ngày (05/12/2026)" / "hôm nay là ngày cuối" / "đã quá hạn 3 ngày". */
export function deadlineText(deadline: string, now = new Date()): { text: string; urgent: boolean } {
  const end = new Date(deadline);
  const day = 86_400_000;
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(end) - startOf(now)) / day);
  const date = end.toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' });
  if (days > 0) return { text: `còn ${days} ngày (${date})`, urgent: days <= 3 };
  if (days === 0) return { text: `hôm nay là ngày cuối (${date})`, urgent: true };
  return { text: `đã quá hạn ${-days} ngày (${date})`, urgent: true };
}

function HouseholdHome({ me, openAssessment }: { me: Me; openAssessment: (id: string) => void }) {
  const api = useApi();
  const householdId = me.householdId!;
  const data = useAsync(async () => {
    const campaign = currentCampaign(await api.campaigns(communeIdOf(me)));
    if (!campaign) return { campaign: undefined, assessment: undefined };
    const list = await api.assessments({ campaignId: campaign.id, subjectType: 'household' });
    return { campaign, assessment: list.find((a) => a.subjectId === householdId) };
  }, [api, householdId]);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>();

  if (data.loading && !data.data) return <LoadingState label="Đang tải đợt đánh giá…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { campaign, assessment } = data.data!;
  if (!campaign) return <EmptyState title="Xã chưa mở đợt đánh giá năm nay.">Khi xã mở đợt, bạn sẽ nhận được thông báo qua Zalo.</EmptyState>;

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      // Same id on every retry: the server treats a repeated create as the same registration.
      const id = stableId(`assessment:${campaign.id}:${householdId}`);
      const created = await api.createAssessment({ id, campaignId: campaign.id, subjectType: 'household', subjectId: householdId });
      openAssessment(created?.id ?? id);
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };

  const deadline = campaign.selfAssessmentDueAt ? deadlineText(campaign.selfAssessmentDueAt) : undefined;
  const editable = !assessment || assessment.state === 'draft' || assessment.state === 'returned';
  return (
    <section className="card">
      <p className="card-kicker">{TITLE_LABELS.household}</p>
      <h2 className="card-title">{campaign.title}</h2>
      {me.household && (
        <p className="small">
          Hộ {me.household.headName} · {me.household.groupName}, {me.household.hamletName}
        </p>
      )}
      <div className="row">
        <span>Trạng thái:</span>
        <StatusChip state={assessment?.state ?? 'not_started'} />
      </div>
      {deadline && <p className={deadline.urgent ? 'deadline deadline-urgent' : 'deadline'}>Hạn tự đánh giá: {deadline.text}</p>}
      <InlineError error={startError} />
      {assessment ? (
        <button type="button" className="btn btn-primary btn-block" onClick={() => openAssessment(assessment.id)}>
          {editable ? (assessment.state === 'returned' ? 'Sửa và nộp lại' : 'Tiếp tục tự đánh giá') : 'Xem bài đánh giá'}
        </button>
      ) : (
        <button type="button" className="btn btn-primary btn-block" disabled={starting} onClick={() => void start()}>
          {starting ? 'Đang mở…' : 'Bắt đầu tự đánh giá'}
        </button>
      )}
    </section>
  );
}

function LeaderHome({ me }: { me: Me }) {
  const [shared, setShared] = useState<string>();
  const unit = me.roles.find((r) => r.role === 'leader' || r.role === 'hamlet_head');
  const share = async () => {
    const r = await shareText(`Nhắc các hộ trong ${unit?.unitName ?? 'tổ'}: hãy mở ứng dụng Học tập suốt đời để tự đánh giá "Gia đình học tập" trước hạn.`);
    setShared(r === 'copied' ? 'Đã chép lời nhắc, hãy dán vào nhóm Zalo của tổ.' : r === 'shared' ? 'Đã chia sẻ.' : undefined);
  };
  return (
    <section className="card">
      <p className="card-kicker">Tổ trưởng · {unit?.unitName}</p>
      <h2 className="card-title">Hộ chờ xác minh</h2>
      <EmptyState title="Danh sách hộ chờ xác minh sẽ hiện ở đây.">Chức năng đang được hoàn thiện.</EmptyState>
      <button type="button" className="btn btn-secondary btn-block" onClick={() => void share()}>
        Gửi lời nhắc vào nhóm Zalo
      </button>
      {shared && <p className="small" role="status">{shared}</p>}
    </section>
  );
}

function OfficerHome({ me }: { me: Me }) {
  const unit = me.roles.find((r) => r.role === 'officer') ?? me.roles[0];
  return (
    <section className="card">
      <p className="card-kicker">Cán bộ xã · {unit?.unitName}</p>
      <h2 className="card-title">Tiến độ đánh giá</h2>
      <EmptyState title="Số hộ đã tự đánh giá, đã xác minh và được công nhận sẽ hiện ở đây.">Chức năng đang được hoàn thiện.</EmptyState>
      <InlineError error={undefined} />
    </section>
  );
}
