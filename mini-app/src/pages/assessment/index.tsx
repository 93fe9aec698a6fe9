import { useEffect } from 'react';
import { CarryOverCard } from '../../components/carry-over-card.tsx';
import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, LoadingState, Screen } from '../../components/screen.tsx';
import { AssessmentWizard } from '../wizard/wizard.tsx';
import { AssessmentOverview } from './overview.tsx';
import { homeKind, useAppStore } from '../../store.ts';
import { Button } from 'zmp-ui';

export type AssessmentMode = 'auto' | 'edit';

/**
 * One assessment for its owner (or a leader in assisted mode): the wizard while it can be edited
 * and the person is filling in, otherwise the overview (result, items to fix, timeline).
 * Verifiers who are not the owner are sent to the review screen.
 */
export default function AssessmentPage({
  assessmentId,
  indicator,
  mode,
  onExit,
  onEdit,
  onOverview,
  onReview,
}: {
  assessmentId: string;
  indicator?: string | undefined;
  mode: AssessmentMode;
  onExit: () => void;
  onEdit: (indicator?: string) => void;
  onOverview: () => void;
  onReview: () => void;
}) {
  const api = useApi();
  const me = useAppStore((s) => s.me)!;
  const assisted = useAppStore((s) => s.assisted);
  const mine = useAppStore((s) => s.mine);
  const data = useAsync(() => api.assessment(assessmentId), [api, assessmentId, assisted?.householdId]);

  if (data.loading && !data.data)
    return (
      <Screen title="Hồ sơ đánh giá" onBack={onExit}>
        <LoadingState label="Đang tải hồ sơ…" />
      </Screen>
    );
  if (data.error && !data.data)
    return (
      <Screen title="Hồ sơ đánh giá" onBack={onExit}>
        <ErrorState error={data.error} onRetry={data.reload} />
      </Screen>
    );
  const a = data.data!;
  const owner =
    me.householdId === a.subjectId ||
    me.personId === a.subjectId ||
    assisted?.householdId === a.subjectId ||
    mine.includes(a.subjectId);
  if (!owner && homeKind(me) !== 'household') return <Redirect go={onReview} />;
  const editable = a.state === 'draft' || a.state === 'returned';
  const showWizard = mode === 'edit' || (editable && (a.state === 'draft' || indicator !== undefined));
  if (showWizard) {
    const set = getCatalogSet(a.criteriaSetId);
    if (!set)
      return (
        <Screen title="Tự đánh giá" onBack={onExit}>
          <ErrorState error={new Error(`Ứng dụng chưa có bộ tiêu chí “${a.criteriaSetId}”. Hãy cập nhật ứng dụng.`)} />
        </Screen>
      );
    return (
      <AssessmentWizard
        // The version too: after a carry-over the reloaded answers start a fresh wizard.
        key={`${a.id}:${a.state}:${indicator ?? ''}:${a.version}`}
        set={set}
        assessment={a}
        startIndicator={indicator}
        // A returned form has an overview (the comments); a draft has none: leave to the home screen.
        onExit={a.state === 'returned' ? onOverview : onExit}
        onSubmitted={mode === 'edit' ? onOverview : data.reload}
        banner={a.state === 'draft' ? <CarryOverCard assessmentId={a.id} set={set} onCarried={data.reload} /> : null}
      />
    );
  }
  return (
    <Screen title="Hồ sơ đánh giá" onBack={onExit}>
      {data.loading && (
        <p className="small" role="status">
          Đang cập nhật…
        </p>
      )}
      <AssessmentOverview a={a} onFix={(code) => onEdit(code)} onView={() => onEdit()} />
      <Button variant="tertiary" fullWidth onClick={data.reload}>
        Tải lại
      </Button>
    </Screen>
  );
}

function Redirect({ go }: { go: () => void }) {
  useEffect(() => go(), [go]);
  return null;
}
