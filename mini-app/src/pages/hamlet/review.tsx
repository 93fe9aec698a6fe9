import { useState } from 'react';
import { formatNumber, OUTCOME_LABELS, SUBJECT_TYPES, TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import type { AssessmentSummary, Campaign, Me } from '../../services/types.ts';
import { currentCampaign } from '../home/helpers.ts';
import { hamletLabel, subjectLabel } from '../../services/subjects.ts';
import { ConfirmDialog, useNotify } from '../../components/feedback.tsx';
import { campaignSet, ProvisionalNote } from '../../components/provisional-badge.tsx';
import { Button } from 'zmp-ui';

/** What one row of each subject type is called in a count: "3 hộ", "1 dòng họ". */
export const SUBJECT_NOUNS: Readonly<Record<SubjectType, string>> = {
  household: 'hộ',
  citizen: 'công dân',
  clan: 'dòng họ',
  unit: 'đơn vị',
  community: 'ấp',
};

const ORDER: SubjectType[] = ['household', 'citizen', 'clan', 'unit', 'community'];
const byType = (list: AssessmentSummary[]) => {
  const m = new Map<SubjectType, AssessmentSummary[]>();
  for (const t of ORDER.filter((t) => SUBJECT_TYPES.includes(t))) m.set(t, []);
  for (const a of list) m.get(a.subjectType)?.push(a);
  return m;
};

/** The trưởng ấp's screen for the hamlet's review meeting (họp bình xét). */
export default function HamletReviewPage({ me, hamletId, onBack }: { me: Me; hamletId: string; onBack: () => void }) {
  const api = useApi();
  const hamlet = me.roles.find((r) => r.unitId === hamletId);
  const c = useAsync(async () => currentCampaign(await api.campaigns()), [api]);
  return (
    <Screen title="Bình xét ở ấp" onBack={onBack}>
      {c.loading && !c.data ? (
        <LoadingState label="Đang tải đợt đánh giá…" />
      ) : c.error && !c.data ? (
        <ErrorState error={c.error} onRetry={c.reload} />
      ) : !c.data ? (
        <EmptyState title="Xã chưa mở đợt đánh giá năm nay." />
      ) : (
        <HamletReview campaign={c.data} hamletId={hamletId} hamletName={hamlet ? hamletLabel(hamlet.unitName) : 'ấp'} />
      )}
    </Screen>
  );
}

/**
 * The verified assessments of the hamlet, per subject type, each type with its "record the review"
 * button (POST /assessments/review {campaignId, hamletId, subjectType}: verified → reviewed).
 */
export function HamletReview({
  campaign,
  hamletId,
  hamletName,
}: {
  campaign: Campaign;
  hamletId: string;
  hamletName: string;
}) {
  const api = useApi();
  const data = useAsync(async () => {
    const [verified, reviewed] = await Promise.all([
      api.assessments({ campaignId: campaign.id, unitId: hamletId, state: 'verified' }),
      api.assessments({ campaignId: campaign.id, unitId: hamletId, state: 'reviewed' }),
    ]);
    return { verified: byType(verified), reviewed: byType(reviewed) };
  }, [api, campaign.id, hamletId]);
  const [busy, setBusy] = useState<SubjectType>();
  const [asking, setAsking] = useState<SubjectType>();
  const notify = useNotify();
  const [error, setError] = useState<{ type: SubjectType; error: unknown }>();
  const [done, setDone] = useState<Partial<Record<SubjectType, number>>>({});

  if (data.loading && !data.data) return <LoadingState label="Đang tải hồ sơ đã xác minh…" />;
  if (data.error && !data.data) return <ErrorState error={data.error} onRetry={data.reload} />;
  const { verified, reviewed } = data.data!;

  const review = async (subjectType: SubjectType) => {
    setBusy(subjectType);
    setError(undefined);
    try {
      const r = await api.review({ campaignId: campaign.id, hamletId, subjectType });
      setDone((d) => ({ ...d, [subjectType]: r.reviewed }));
      notify.success(`Đã ghi nhận bình xét ${r.reviewed} ${SUBJECT_NOUNS[subjectType]}.`);
      data.reload();
    } catch (err) {
      setError({ type: subjectType, error: err });
    } finally {
      setAsking(undefined);
      setBusy(undefined);
    }
  };

  const total = [...verified.values()].reduce((s, l) => s + l.length, 0);
  return (
    <>
      <section className="card">
        <p className="card-kicker">Trưởng ấp · {hamletName}</p>
        <h2 className="card-title">Họp bình xét</h2>
        <p className="small">
          Hồ sơ đã được xác minh, chờ ấp bình xét: <strong>{total}</strong>. Sau khi họp, ghi nhận bình xét cho từng
          loại để xã ra quyết định công nhận.
        </p>
        {data.loading && (
          <p className="small" role="status">
            Đang cập nhật…
          </p>
        )}
      </section>
      {[...verified.entries()]
        .filter(([t, list]) => list.length > 0 || (reviewed.get(t)?.length ?? 0) > 0 || done[t] !== undefined)
        .map(([t, list]) => (
          <section key={t} className="card" aria-label={TITLE_LABELS[t]}>
            <p className="card-kicker">{TITLE_LABELS[t]}</p>
            <h2 className="card-title">
              {list.length > 0 ? `${list.length} ${SUBJECT_NOUNS[t]} chờ bình xét` : 'Đã bình xét xong'}
            </h2>
            {list.length > 0 && <ProvisionalNote set={campaignSet(campaign.criteriaSetIds, t)} />}
            {list.length > 0 && (
              <ol className="names">
                {list.map((a) => (
                  <li key={a.id}>
                    {subjectLabel(a.subjectName)} — {resultText(a)}
                  </li>
                ))}
              </ol>
            )}
            {done[t] !== undefined && (
              <p className="result-inline" role="status">
                Đã ghi nhận bình xét {done[t]} {SUBJECT_NOUNS[t]}.
              </p>
            )}
            {(reviewed.get(t)?.length ?? 0) > 0 && (
              <p className="small">
                Đã bình xét: {reviewed.get(t)!.length} {SUBJECT_NOUNS[t]}, chờ xã ra quyết định.
              </p>
            )}
            {error?.type === t && <InlineError error={error.error} />}
            {list.length > 0 && (
              <Button variant="primary" fullWidth disabled={busy !== undefined} onClick={() => setAsking(t)}>
                {busy === t ? 'Đang ghi nhận…' : `Ghi nhận bình xét (${list.length} ${SUBJECT_NOUNS[t]})`}
              </Button>
            )}
          </section>
        ))}
      <ConfirmDialog
        visible={asking !== undefined}
        title="Ghi nhận kết quả họp bình xét?"
        description={
          asking
            ? `${verified.get(asking)?.length ?? 0} ${SUBJECT_NOUNS[asking]} (${TITLE_LABELS[asking]}) sẽ chuyển sang “đã bình xét”, chờ xã ra quyết định. Không hoàn tác được.`
            : ''
        }
        confirmLabel="Ghi nhận bình xét"
        busy={busy !== undefined}
        onConfirm={() => asking && void review(asking)}
        onCancel={() => setAsking(undefined)}
      >
        <ol>
          {(asking ? (verified.get(asking) ?? []) : []).map((a) => (
            <li key={a.id}>{subjectLabel(a.subjectName)}</li>
          ))}
        </ol>
      </ConfirmDialog>
      {total === 0 && [...reviewed.values()].every((l) => l.length === 0) && (
        <EmptyState title="Chưa có hồ sơ nào đã xác minh chờ bình xét." />
      )}
      <Button variant="tertiary" fullWidth onClick={data.reload}>
        Tải lại danh sách
      </Button>
    </>
  );
}

/** "85 điểm · Đạt" for scored titles; "Đạt" / "Chưa đạt" for conditions (clans, hamlets). */
function resultText(a: AssessmentSummary): string {
  const outcome =
    a.outcome && a.outcome in OUTCOME_LABELS ? OUTCOME_LABELS[a.outcome as keyof typeof OUTCOME_LABELS] : undefined;
  const conditions = a.subjectType === 'clan' || a.subjectType === 'community';
  const points = !conditions && a.verifiedTotal !== null ? `${formatNumber(a.verifiedTotal)} điểm` : undefined;
  return [points, outcome].filter(Boolean).join(' · ') || 'đã xác minh';
}
