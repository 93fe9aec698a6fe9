import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  formatNumber,
  OUTCOME_LABELS,
  score,
  TITLE_LABELS,
  type Answers,
  type CriteriaSet,
  type Criterion,
  type Indicator,
} from '@hoctap/shared';
import { Button, Progress } from 'zmp-ui';
import { useApi } from '../../hooks/use-api.tsx';
import { InlineError, Screen } from '../../components/screen.tsx';
import { allowedSteps, PointChoice } from '../../components/point-choice.tsx';
import { PhotoEvidence, type PhotoEvidenceProps } from '../../components/photo-evidence.tsx';
import { ProvisionalBadge, ProvisionalTag, verdictIsProvisional } from '../../components/provisional-badge.tsx';
import { StatusChip } from '../../components/status-chip.tsx';
import { VerdictPreview } from '../../components/verdict-preview.tsx';
import { BandPreview } from '../../components/band-preview.tsx';
import { RulesNote } from '../../components/rules-note.tsx';
import { ConfirmDialog, useNotify } from '../../components/feedback.tsx';
import { SUBJECT_WORDS, type SubjectWords } from '../../services/subjects.ts';
import { answerDrafts, readJson, submitKey, writeJson } from '../../services/drafts.ts';
import type { AssessmentDetail, EvidenceDto } from '../../services/types.ts';
import { useAppStore } from '../../store.ts';
import { TextAreaField } from '../../components/fields.tsx';

interface Step {
  criterion: Criterion;
  indicator: Indicator;
}

interface LocalAnswer {
  points: number | null;
  note: string;
}

type SaveState = { kind: 'saved' } | { kind: 'saving' } | { kind: 'failed'; error: unknown };

/**
 * One wizard for every title: the criteria set decides the indicators (points or Đạt/Chưa đạt
 * conditions), the assessment the subject (household, citizen, clan, unit, hamlet) and its group
 * (Công dân học tập: the subject group's form).
 */
export interface AssessmentWizardProps {
  set: CriteriaSet;
  assessment: AssessmentDetail;
  onExit: () => void;
  /** Called after a successful submit (the page reloads the assessment). */
  onSubmitted: () => void;
  /** Test seams for the photo picker and resizer. */
  photo?: Pick<PhotoEvidenceProps, 'pick' | 'prepare'>;
  /** Open at this indicator (deep links from the inbox, "fix this" buttons). */
  startIndicator?: string | undefined;
  /** Shown above the first indicator (the carry-over offer). */
  banner?: ReactNode;
}

function initialAnswers(assessment: AssessmentDetail): Record<string, LocalAnswer> {
  const out: Record<string, LocalAnswer> = {};
  for (const a of assessment.layers?.self ?? []) out[a.indicatorCode] = { points: a.points, note: a.note ?? '' };
  // What this phone changed and the server has not confirmed wins: nothing typed is lost.
  for (const [code, a] of Object.entries(answerDrafts.all(assessment.id)))
    out[code] = { points: a.points, note: a.note ?? '' };
  return out;
}

export function AssessmentWizard({
  set,
  assessment,
  onExit,
  onSubmitted,
  photo,
  startIndicator,
  banner,
}: AssessmentWizardProps) {
  const api = useApi();
  const online = useAppStore((s) => s.online);
  const id = assessment.id;
  const editable = assessment.state === 'draft' || assessment.state === 'returned';
  const group = assessment.subjectGroup ?? undefined;
  const groupLabel = group ? set.subjectGroups?.find((g) => g.code === group)?.label : undefined;
  const words = SUBJECT_WORDS[assessment.subjectType] ?? SUBJECT_WORDS.household;

  // Only the indicators of the subject's group (an indicator without `groups` applies to all).
  const steps: Step[] = useMemo(
    () =>
      set.criteria.flatMap((criterion) =>
        criterion.indicators
          .filter((indicator) => !indicator.groups || (group !== undefined && indicator.groups.includes(group)))
          .map((indicator) => ({ criterion, indicator })),
      ),
    [set, group],
  );
  const reviewIndex = steps.length;
  const [index, setIndex] = useState(() => {
    const at = startIndicator ? steps.findIndex((s) => s.indicator.code === startIndicator) : -1;
    return at >= 0 ? at : Math.min(readJson<number>(`step:${id}`) ?? 0, reviewIndex);
  });
  // Indicators the leader sent back (comments of the latest return), highlighted while fixing.
  const returnedCodes = useMemo(() => {
    if (assessment.state !== 'returned') return new Set<string>();
    const latest = assessment.comments.reduce((m, c) => (c.createdAt > m ? c.createdAt : m), '');
    return new Set(
      assessment.comments.filter((c) => c.createdAt === latest && c.indicatorCode).map((c) => c.indicatorCode!),
    );
  }, [assessment]);
  const [answers, setAnswers] = useState<Record<string, LocalAnswer>>(() => initialAnswers(assessment));
  const [saves, setSaves] = useState<Record<string, SaveState>>(() =>
    Object.fromEntries(
      Object.keys(answerDrafts.all(id)).map((c) => [c, { kind: 'failed', error: undefined } as SaveState]),
    ),
  );
  const [evidence, setEvidence] = useState<EvidenceDto[]>(assessment.evidence ?? []);
  const [submitting, setSubmitting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const notify = useNotify();
  const resubmission = assessment.state === 'returned';
  const [submitError, setSubmitError] = useState<unknown>();
  const answersRef = useRef(answers);
  answersRef.current = answers;

  useEffect(() => writeJson(`step:${id}`, index), [id, index]);

  const result = useMemo(() => {
    const a: Record<string, { points: number | null; evidenceCount: number }> = {};
    for (const s of steps) {
      const code = s.indicator.code;
      a[code] = {
        points: answers[code]?.points ?? null,
        evidenceCount: evidence.filter((e) => e.indicatorCode === code).length,
      };
    }
    return score(set, a as Answers, group !== undefined ? { group } : {});
  }, [set, steps, answers, evidence, group]);

  const save = useCallback(
    async (code: string) => {
      const local = answersRef.current[code];
      if (!local || local.points === null) return true; // the API needs points; the note stays on the phone
      const at = answerDrafts.all(id)[code]?.at ?? Date.now();
      setSaves((s) => ({ ...s, [code]: { kind: 'saving' } }));
      try {
        const body: { points: number; note?: string } = { points: local.points };
        if (local.note) body.note = local.note;
        await api.saveAnswer(id, code, body);
        answerDrafts.confirm(id, code, at);
        setSaves((s) => ({ ...s, [code]: { kind: 'saved' } }));
        return true;
      } catch (error) {
        setSaves((s) => ({ ...s, [code]: { kind: 'failed', error } }));
        return false;
      }
    },
    [api, id],
  );

  const change = (code: string, patch: Partial<LocalAnswer>, sendNow: boolean) => {
    const next = { points: null, note: '', ...answersRef.current[code], ...patch };
    answersRef.current = { ...answersRef.current, [code]: next };
    setAnswers(answersRef.current);
    answerDrafts.put(id, code, { points: next.points, note: next.note, at: Date.now() });
    if (sendNow) void save(code);
    else setSaves((s) => ({ ...s, [code]: { kind: 'failed', error: undefined } }));
  };

  const pendingCodes = Object.entries(saves)
    .filter(([, s]) => s.kind !== 'saved')
    .map(([c]) => c);

  // Back online: send what is waiting.
  useEffect(() => {
    if (!online) return;
    for (const code of Object.keys(answerDrafts.all(id))) void save(code);
  }, [online, id, save]);

  const onUploaded = useCallback(
    (e: EvidenceDto) => setEvidence((all) => (all.some((x) => x.id === e.id) ? all : [...all, e])),
    [],
  );

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      for (const code of Object.keys(answerDrafts.all(id))) {
        if (!(await save(code))) throw new Error('Còn điểm chưa lưu được lên máy chủ. Hãy kiểm tra mạng rồi thử lại.');
      }
      await api.submit(id, submitKey(assessment));
      setConfirming(false);
      notify.success(resubmission ? 'Đã gửi lại hồ sơ.' : 'Đã gửi hồ sơ.');
      onSubmitted();
    } catch (err) {
      setConfirming(false);
      setSubmitError(err);
    } finally {
      setSubmitting(false);
    }
  };

  /** Leaving keeps everything: answers are on the server or on the phone. */
  const exit = () => {
    if (editable) notify.info('Đã lưu nháp. Bạn có thể quay lại làm tiếp bất cứ lúc nào.');
    onExit();
  };

  const go = (i: number) => {
    setIndex(Math.max(0, Math.min(reviewIndex, i)));
  };

  const step = steps[index];
  // The server scores the same way; an unfinished form (unanswered, missing photos) cannot be sent.
  const complete = result.verdict.outcome !== 'incomplete';
  // One line in the top bar at 360 px: the longer titles go without "Tự đánh giá".
  const longTitle = `Tự đánh giá ${TITLE_LABELS[set.subjectType]}`;
  const title = set.subjectType === 'household' || longTitle.length <= 27 ? longTitle : TITLE_LABELS[set.subjectType];
  const progress = `${Math.min(index + 1, steps.length)}/${steps.length}`;
  const conditionsOnly = result.maxTotal === 0;
  const metCount = result.indicators.filter((i) => i.isCondition && i.points === 1).length;
  const conditionCount = result.indicators.filter((i) => i.isCondition).length;
  const tally = conditionsOnly
    ? `${metCount}/${conditionCount} điều kiện đạt`
    : `${formatNumber(result.total)}/${formatNumber(result.maxTotal)} điểm`;

  const footer = (
    <>
      <p className="footer-verdict" aria-hidden="true">
        {editable ? 'Tạm tính' : 'Điểm tự chấm'}: <strong>{tally}</strong> ·{' '}
        {result.verdict.band?.label ?? OUTCOME_LABELS[result.verdict.outcome]}
        {verdictIsProvisional(set) && <ProvisionalTag />}
      </p>
      <div className="wizard-nav">
        <Button variant="secondary" onClick={() => (index === 0 ? exit() : go(index - 1))}>
          {index === 0 ? 'Thoát' : '‹ Trước'}
        </Button>
        {index < reviewIndex ? (
          <Button variant="primary" onClick={() => go(index + 1)}>
            {index === reviewIndex - 1 ? 'Xem lại ›' : 'Tiếp ›'}
          </Button>
        ) : (
          editable && (
            <Button variant="primary" disabled={submitting || !complete} onClick={() => setConfirming(true)}>
              {submitting ? 'Đang gửi…' : resubmission ? 'Gửi lại' : 'Gửi hồ sơ'}
            </Button>
          )
        )}
      </div>
    </>
  );

  return (
    <Screen title={title} onBack={exit} footer={footer} scrollKey={index}>
      <ConfirmDialog
        visible={confirming}
        title={resubmission ? 'Gửi lại hồ sơ?' : 'Gửi hồ sơ?'}
        description={`Sau khi gửi, ${words.verifier.toLowerCase()} sẽ xác minh và bạn không sửa được nữa, trừ khi hồ sơ được trả lại để bổ sung.`}
        confirmLabel={resubmission ? 'Gửi lại' : 'Gửi hồ sơ'}
        busy={submitting}
        onConfirm={() => void submit()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {conditionsOnly ? 'Kết quả tự đánh giá' : 'Điểm tự chấm'}: <strong>{tally}</strong>
        </p>
      </ConfirmDialog>
      <div className="wizard-progress">
        <span>
          {step
            ? `${step.indicator.kind === 'condition' ? 'Điều kiện' : 'Chỉ số'} ${progress}`
            : editable
              ? resubmission
                ? 'Xem lại và gửi lại'
                : 'Xem lại và gửi'
              : 'Tổng hợp bài đã gửi'}
        </span>
        <StatusChip state={assessment.state} />
      </div>
      {groupLabel && (
        <p className="wizard-group">
          Nhóm đối tượng: <strong>{groupLabel}</strong>
        </p>
      )}
      <div
        className="wizard-bar"
        role="progressbar"
        aria-label="Tiến độ tự đánh giá"
        aria-valuemin={0}
        aria-valuemax={steps.length}
        aria-valuenow={Math.min(index, steps.length)}
      >
        <Progress completed={Math.min(index, steps.length)} maxCompleted={steps.length} strokeWidth={8} />
      </div>
      {!editable && <p className="banner banner-info">Hồ sơ đã gửi, chỉ xem được, không sửa được.</p>}
      {editable && index === 0 && banner}
      {step && returnedCodes.has(step.indicator.code) && (
        <p className="returned-flag" role="note">
          {words.verifier} trả lại chỉ số này: hãy sửa theo góp ý rồi gửi lại.
        </p>
      )}
      {assessment.comments?.length > 0 && (
        <section className="comments" aria-label={`Góp ý của ${words.verifier.toLowerCase()}`}>
          {assessment.comments
            .filter((c) => !step || !c.indicatorCode || c.indicatorCode === step.indicator.code)
            .map((c) => (
              <p key={c.id} className="comment">
                <strong>Góp ý:</strong> {c.body}
              </p>
            ))}
        </section>
      )}

      {step ? (
        <IndicatorStep
          key={step.indicator.code}
          step={step}
          words={words}
          answer={answers[step.indicator.code]}
          save={saves[step.indicator.code]}
          editable={editable}
          onPoints={(p) => change(step.indicator.code, { points: p }, true)}
          onNote={(n) => change(step.indicator.code, { note: n }, false)}
          onNoteDone={() => void save(step.indicator.code)}
          onRetrySave={() => void save(step.indicator.code)}
          photoProps={{
            assessmentId: id,
            indicatorCode: step.indicator.code,
            required: step.indicator.evidence?.minPhotos ?? 0,
            hint: step.indicator.evidence?.hint,
            existing: evidence.filter((e) => e.indicatorCode === step.indicator.code),
            onUploaded,
            disabled: !editable,
            ...photo,
          }}
        />
      ) : (
        <section className="review">
          <h2 className="h2">Tổng hợp</h2>
          <ul className="criteria-sums">
            {result.criteria.map((c) => (
              <li key={c.code}>
                <span>
                  {c.code}. {c.title}
                </span>
                <strong>
                  {c.maxPoints === 0
                    ? `${result.indicators.filter((i) => i.criterionCode === c.code && i.isCondition && i.points === 1).length}/${c.indicators} đạt`
                    : `${formatNumber(c.points)}/${formatNumber(c.maxPoints)}`}
                </strong>
              </li>
            ))}
          </ul>
          {!complete && editable && (
            <p className="note-warn">
              Chưa gửi được: hãy chấm hết các chỉ số và bổ sung ảnh còn thiếu (xem danh sách bên dưới).
            </p>
          )}
          {complete && editable && result.verdict.outcome === 'fail' && (
            <p className="note-warn">
              Theo điểm tự chấm, {words.who.toLowerCase()} chưa đạt. Bạn vẫn có thể gửi để{' '}
              {words.verifier.toLowerCase()} xem xét.
            </p>
          )}
          {pendingCodes.length > 0 && (
            <p className="note-warn">
              Còn {pendingCodes.length} chỉ số chưa lưu lên máy chủ; khi gửi hồ sơ, ứng dụng sẽ gửi lại.
            </p>
          )}
          <InlineError error={submitError} />
        </section>
      )}

      {step && editable && assessment.state === 'returned' && (
        <Button variant="secondary" fullWidth onClick={() => go(reviewIndex)}>
          Sửa xong, đến phần gửi lại
        </Button>
      )}
      <VerdictPreview
        result={result}
        focusCode={step?.indicator.code}
        limit={step ? 3 : 50}
        provisional={verdictIsProvisional(set)}
      />
      <BandPreview set={set} result={result} />
      {(!step || assessment.subjectType !== 'household') && <RulesNote set={set} />}
    </Screen>
  );
}

function IndicatorStep({
  step,
  words,
  answer,
  save,
  editable,
  onPoints,
  onNote,
  onNoteDone,
  onRetrySave,
  photoProps,
}: {
  step: Step;
  words: SubjectWords;
  answer: LocalAnswer | undefined;
  save: SaveState | undefined;
  editable: boolean;
  onPoints: (p: number) => void;
  onNote: (n: string) => void;
  onNoteDone: () => void;
  onRetrySave: () => void;
  photoProps: PhotoEvidenceProps;
}) {
  const { criterion, indicator } = step;
  const isCondition = indicator.kind === 'condition';
  const provisional = indicator.provenance.status === 'provisional' || criterion.provenance.status === 'provisional';
  return (
    <article className="indicator">
      <p className="indicator-criterion">
        {/^\d+$/.test(criterion.code) ? `Tiêu chí ${criterion.code}: ` : ''}
        {criterion.title}
      </p>
      <h2 className="indicator-text">
        <span className="indicator-code">{indicator.code}.</span> {indicator.text}
      </h2>
      {provisional && <ProvisionalBadge note={indicator.provenance.note ?? criterion.provenance.note} />}
      {indicator.guidance && <p className="indicator-guidance">{indicator.guidance}</p>}

      <h3 className="section-label">
        {isCondition
          ? `${words.who} đã đạt điều kiện này chưa?`
          : `Chọn điểm (tối đa ${formatNumber(indicator.maxPoints)})`}
      </h3>
      <PointChoice
        values={allowedSteps(indicator)}
        value={answer?.points ?? null}
        onChange={onPoints}
        isCondition={isCondition}
        disabled={!editable}
      />
      <SaveStatus save={save} onRetry={onRetrySave} />

      <TextAreaField
        label="Ghi chú (không bắt buộc)"
        rows={2}
        value={answer?.note ?? ''}
        disabled={!editable}
        onChange={(e) => onNote(e.target.value)}
        onBlur={onNoteDone}
        placeholder={
          words.who === 'Gia đình'
            ? 'Ví dụ: nhà không có trẻ trong độ tuổi đi học'
            : 'Ví dụ: nơi xem được giấy tờ, minh chứng'
        }
      />

      {((indicator.evidence?.minPhotos ?? 0) > 0 || photoProps.existing.length > 0 || editable) && (
        <PhotoEvidence {...photoProps} />
      )}
    </article>
  );
}

function SaveStatus({ save, onRetry }: { save: SaveState | undefined; onRetry: () => void }) {
  if (!save) return null;
  if (save.kind === 'saving') return <p className="save save-busy">Đang lưu…</p>;
  if (save.kind === 'saved') return <p className="save save-ok">✓ Đã lưu</p>;
  return (
    <div className="save save-failed" role="alert">
      <span>{save.error ? 'Chưa lưu lên máy chủ (đã giữ trên máy).' : 'Đã giữ trên máy, chưa gửi.'}</span>
      {save.error !== undefined && <InlineError error={save.error} />}
      <Button variant="primary" size="small" onClick={onRetry}>
        Lưu lại
      </Button>
    </div>
  );
}
