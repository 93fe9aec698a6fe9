import { useState } from 'react';
import { TITLE_LABELS } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { stableId } from '../../services/drafts.ts';
import { LeaderHome } from '../leader/home.tsx';
import { OfficerHome, type OfficerPage } from '../officer/home.tsx';
import { InboxButton } from '../inbox/index.tsx';
import { homeKind, useAppStore } from '../../store.ts';
import type { Me } from '../../services/types.ts';

export interface HomeNav {
  openAssessment: (id: string) => void;
  openReview?: (id: string) => void;
  openInbox?: () => void;
  openOfficer?: (page: OfficerPage) => void;
}

export default function HomePage({ openAssessment, openReview = openAssessment, openInbox, openOfficer }: HomeNav) {
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
      {kind === 'leader' && <LeaderHome me={me} openReview={openReview} openAssessment={openAssessment} />}
      {kind === 'officer' && <OfficerHome me={me} go={(p) => openOfficer?.(p)} />}
      {openInbox && <InboxButton onOpen={openInbox} />}
      <button type="button" className="btn btn-link btn-block" onClick={signOut}>
        Đăng xuất
      </button>
    </Screen>
  );
}

export { communeIdOf, currentCampaign, deadlineText } from './helpers.ts';
import { communeIdOf, currentCampaign, deadlineText } from './helpers.ts';

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

  // After a return the household resubmits within the verification phase.
  const returned = assessment?.state === 'returned';
  const deadline = returned ? deadlineText(campaign.verificationDueAt) : assessment && assessment.state !== 'draft' ? undefined : deadlineText(campaign.selfAssessmentDueAt);
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
      {deadline && <p className={deadline.urgent ? 'deadline deadline-urgent' : 'deadline'}>{returned ? 'Hạn nộp lại' : 'Hạn tự đánh giá'}: {deadline.text}</p>}
      {assessment?.state === 'recognised' && (
        <p className="result-inline">
          Đã được công nhận “{TITLE_LABELS.household}”{assessment.certificateNo ? ` · giấy số ${assessment.certificateNo}` : ''}
        </p>
      )}
      {assessment?.state === 'returned' && <p className="note-warn">Tổ trưởng trả lại để sửa: hãy xem góp ý và nộp lại.</p>}
      <InlineError error={startError} />
      {assessment ? (
        <button type="button" className="btn btn-primary btn-block" onClick={() => openAssessment(assessment.id)}>
          {editable ? (assessment.state === 'returned' ? 'Xem góp ý, sửa và nộp lại' : 'Tiếp tục tự đánh giá') : assessment.state === 'recognised' || assessment.state === 'not_recognised' ? 'Xem kết quả' : 'Xem tiến trình xử lý'}
        </button>
      ) : (
        <button type="button" className="btn btn-primary btn-block" disabled={starting} onClick={() => void start()}>
          {starting ? 'Đang mở…' : 'Bắt đầu tự đánh giá'}
        </button>
      )}
    </section>
  );
}

