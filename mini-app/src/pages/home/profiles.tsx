import { useEffect, useState } from 'react';
import { TITLE_LABELS, type CriteriaSet } from '@hoctap/shared';
import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../../components/screen.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { stableId } from '../../services/drafts.ts';
import { SUBJECT_WORDS, type Profile } from '../../services/subjects.ts';
import { loadHome, takeStartedHome } from '../../services/home.ts';
import { keepHome, takeKeptHome } from '../../services/home-kept.ts';
import { useAppStore } from '../../store.ts';
import type { AssessmentSummary, Campaign, Me } from '../../services/types.ts';
import { deadlineText } from './helpers.ts';
import { Button } from 'zmp-ui';

/**
 * "Hồ sơ của bạn": one card per subject the person fills in — their household, themselves
 * (Công dân học tập), the clan or unit they head, the hamlet they lead. Each card registers the
 * subject for this year's campaign and opens the one wizard with that subject's criteria set.
 */
export function Profiles({ me, openAssessment }: { me: Me; openAssessment: (id: string) => void }) {
  const api = useApi();
  const setMine = useAppStore((s) => s.setMine);
  const data = useAsync(() => takeStartedHome(me) ?? loadHome(api, me), [api, me.id, me.householdId, me.personId]);
  // A warm start shows the home kept from last time until the fresh one arrives (services/home-kept.ts).
  const [kept] = useState(() => takeKeptHome(me.id));
  const home = data.data ?? kept;

  useEffect(() => {
    if (data.data) keepHome(me.id, data.data);
  }, [data.data, me.id]);
  useEffect(() => {
    if (home) setMine(home.profiles.map((p) => p.subjectId));
  }, [home, setMine]);

  if (data.loading && !home) return <LoadingState label="Đang tải hồ sơ của bạn…" />;
  if (data.error && !home) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { profiles, campaign, assessments } = home!;
  // Offline (or the server busy) on a warm start: the kept cards stay, with the reason they may be old.
  const stale = data.error && !data.data ? <InlineError error={data.error} /> : null;
  if (profiles.length === 0) return stale;
  if (!campaign)
    return (
      <>
        {stale}
        <EmptyState title="Xã chưa mở đợt đánh giá năm nay.">
          Khi xã mở đợt, bạn sẽ nhận được thông báo qua Zalo.
        </EmptyState>
      </>
    );
  return (
    <section className="stack" aria-label="Hồ sơ của bạn">
      {stale}
      {profiles.length > 1 && <h2 className="profiles-title">Hồ sơ của bạn</h2>}
      {profiles.map((p) => (
        <ProfileCard
          key={`${p.subjectType}:${p.subjectId}`}
          profile={p}
          me={me}
          campaign={campaign}
          assessment={assessments.find((a) => a.subjectType === p.subjectType && a.subjectId === p.subjectId)}
          openAssessment={openAssessment}
        />
      ))}
    </section>
  );
}

function actionLabel(a: AssessmentSummary | undefined): string {
  if (!a) return 'Bắt đầu tự đánh giá';
  if (a.state === 'returned') return 'Xem góp ý, sửa và gửi lại';
  if (a.state === 'draft') return 'Tiếp tục tự đánh giá';
  if (a.state === 'recognised' || a.state === 'not_recognised') return 'Xem kết quả';
  return 'Xem tiến trình xử lý';
}

export function ProfileCard({
  profile,
  me,
  campaign,
  assessment,
  openAssessment,
}: {
  profile: Profile;
  me: Me;
  campaign: Campaign;
  assessment: AssessmentSummary | undefined;
  openAssessment: (id: string) => void;
}) {
  const api = useApi();
  const type = profile.subjectType;
  const title = TITLE_LABELS[type];
  const setId = campaign.criteriaSetIds[type];
  const set: CriteriaSet | undefined = setId ? getCatalogSet(setId) : undefined;
  const groups = set?.subjectGroups ?? [];
  const [group, setGroup] = useState<string>();
  const [groupMissing, setGroupMissing] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>();

  const start = async () => {
    if (groups.length > 0 && !group) {
      setGroupMissing(true);
      return;
    }
    setStarting(true);
    setStartError(undefined);
    try {
      // Same id on every retry: the server treats a repeated create as the same registration.
      const id = stableId(`assessment:${campaign.id}:${profile.subjectId}`);
      const created = await api.createAssessment({
        id,
        campaignId: campaign.id,
        subjectType: type,
        subjectId: profile.subjectId,
        ...(group ? { subjectGroup: group } : {}),
      });
      openAssessment(created?.id ?? id);
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };

  // After a return the subject resubmits within the verification phase.
  const returned = assessment?.state === 'returned';
  const deadline = returned
    ? deadlineText(campaign.verificationDueAt)
    : assessment && assessment.state !== 'draft'
      ? undefined
      : deadlineText(campaign.selfAssessmentDueAt);
  const groupLabel = assessment?.subjectGroup
    ? groups.find((g) => g.code === assessment.subjectGroup)?.label
    : undefined;
  return (
    <section className="card" aria-label={`${title}: ${profile.name}`}>
      <p className="card-kicker">{title}</p>
      <h2 className="card-title">{type === 'household' ? campaign.title : profile.name}</h2>
      {type === 'household' && me.household ? (
        <p className="small">
          Hộ {me.household.headName} · {me.household.groupName}, {me.household.hamletName}
        </p>
      ) : (
        profile.detail && <p className="small">{profile.detail}</p>
      )}
      {groupLabel && <p className="small">Nhóm đối tượng: {groupLabel}</p>}
      {!setId ? (
        <p className="small">Đợt đánh giá năm nay của xã chưa đánh giá danh hiệu này.</p>
      ) : (
        <>
          <div className="row">
            <span>Trạng thái:</span>
            <StatusChip state={assessment?.state ?? 'not_started'} />
          </div>
          {deadline && (
            <p className={deadline.urgent ? 'deadline deadline-urgent' : 'deadline'}>
              {returned ? 'Hạn gửi lại' : 'Hạn tự đánh giá'}: {deadline.text}
            </p>
          )}
          {assessment?.state === 'recognised' && (
            <p className="result-inline">
              Đã được công nhận “{title}”{assessment.certificateNo ? ` · giấy số ${assessment.certificateNo}` : ''}
            </p>
          )}
          {returned && (
            <p className="note-warn">{SUBJECT_WORDS[type].verifier} trả lại để sửa: hãy xem góp ý và gửi lại.</p>
          )}
          {!assessment && groups.length > 0 && (
            <GroupPicker
              groups={groups}
              value={group}
              missing={groupMissing}
              onChange={(g) => (setGroup(g), setGroupMissing(false))}
            />
          )}
          <InlineError error={startError} />
          {assessment ? (
            <Button variant="primary" fullWidth onClick={() => openAssessment(assessment.id)}>
              {actionLabel(assessment)}
            </Button>
          ) : (
            <Button variant="primary" fullWidth disabled={starting} onClick={() => void start()}>
              {starting ? 'Đang mở…' : 'Bắt đầu tự đánh giá'}
            </Button>
          )}
        </>
      )}
    </section>
  );
}

/** Công dân học tập: the subject group decides the form (nông dân, công nhân, cán bộ, học sinh). */
export function GroupPicker({
  groups,
  value,
  missing,
  onChange,
}: {
  groups: readonly { code: string; label: string }[];
  value: string | undefined;
  missing: boolean;
  onChange: (code: string) => void;
}) {
  return (
    <fieldset className="groups">
      <legend>Bạn thuộc nhóm đối tượng nào?</legend>
      {groups.map((g) => (
        <label key={g.code} className={`group-option ${value === g.code ? 'group-option-on' : ''}`}>
          <input
            type="radio"
            name="subject-group"
            value={g.code}
            checked={value === g.code}
            onChange={() => onChange(g.code)}
          />
          <span>{g.label}</span>
        </label>
      ))}
      {missing && (
        <p className="field-error" role="alert">
          Hãy chọn nhóm đối tượng trước khi bắt đầu.
        </p>
      )}
    </fieldset>
  );
}
