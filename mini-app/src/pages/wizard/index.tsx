import { getCatalogSet } from '../../services/catalog.ts';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, LoadingState, Screen } from '../../components/screen.tsx';
import { useState } from 'react';
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
  // Bumped after a carry-over so the wizard starts again from the copied answers.
  const [carried, setCarried] = useState(0);

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
      key={`${assessment.id}:${assessment.state}:${carried}`}
      set={set}
      assessment={assessment}
      onExit={onExit}
      onSubmitted={onSubmitted ?? data.reload}
      photo={photo}
      startIndicator={startIndicator}
      banner={
        assessment.state === 'draft' ? (
          <CarryOverCard
            assessmentId={assessment.id}
            set={set}
            onCarried={() => {
              setCarried((n) => n + 1);
              data.reload();
            }}
          />
        ) : null
      }
    />
  );
}
