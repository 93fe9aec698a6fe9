import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, LoadingState, Screen } from '../../components/screen.tsx';
import { CarryOverCard } from '../../components/carry-over-card.tsx';
import { AssessmentWizard, type AssessmentWizardProps } from './wizard.tsx';

/** Loads the assessment and its criteria set (bundled from @hoctap/shared/catalog), then the wizard. */
export default function WizardPage({
  assessmentId,
  onExit,
  photo,
  startIndicator,
  onSubmitted,
}: {
  assessmentId: string;
  onExit: () => void;
  photo?: AssessmentWizardProps['photo'];
  startIndicator?: string | undefined;
  onSubmitted?: () => void;
}) {
  const api = useApi();
  const data = useAsync(() => api.assessment(assessmentId), [api, assessmentId]);

  if (data.loading && !data.data)
    return (
      <Screen title="Tự đánh giá" onBack={onExit}>
        <LoadingState label="Đang tải bài đánh giá…" />
      </Screen>
    );
  if (data.error && !data.data)
    return (
      <Screen title="Tự đánh giá" onBack={onExit}>
        <ErrorState error={data.error} onRetry={data.reload} />
      </Screen>
    );
  const assessment = data.data!;
  const set = getCatalogSet(assessment.criteriaSetId);
  if (!set)
    return (
      <Screen title="Tự đánh giá" onBack={onExit}>
        <ErrorState
          error={new Error(`Ứng dụng chưa có bộ tiêu chí “${assessment.criteriaSetId}”. Hãy cập nhật ứng dụng.`)}
        />
      </Screen>
    );
  return (
    <AssessmentWizard
      // The version too: after a carry-over the reloaded answers start a fresh wizard.
      key={`${assessment.id}:${assessment.state}:${assessment.version}`}
      set={set}
      assessment={assessment}
      onExit={onExit}
      onSubmitted={onSubmitted ?? data.reload}
      photo={photo}
      startIndicator={startIndicator}
      banner={
        assessment.state === 'draft' ? (
          <CarryOverCard assessmentId={assessment.id} set={set} onCarried={data.reload} />
        ) : null
      }
    />
  );
}
