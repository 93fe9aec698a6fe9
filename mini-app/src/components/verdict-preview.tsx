import { useState } from 'react';
import { formatNumber, OUTCOME_LABELS, type ScoreResult } from '@hoctap/shared';
import { ProvisionalTag } from './provisional-badge.tsx';
import { Button } from 'zmp-ui';

/**
 * The live verdict of shared score(): outcome, total and the Vietnamese reasons. Reasons about the
 * indicator on screen come first, so the household sees what to do here and now.
 */
export function VerdictPreview({
  result,
  focusCode,
  limit = 3,
  provisional = false,
}: {
  result: ScoreResult;
  focusCode?: string | undefined;
  limit?: number;
  /** The rules behind the verdict are not official yet: say so next to it. */
  provisional?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  const { verdict } = result;
  // The indicator on screen first, then what blocks the title (under a floor, a condition not met),
  // then what is merely not filled in yet.
  const rank = (r: (typeof verdict.reasons)[number]) =>
    focusCode && r.indicatorCode === focusCode ? 0 : r.code === 'unanswered' ? 2 : 1;
  const reasons = [...verdict.reasons].sort((a, b) => rank(a) - rank(b));
  const shown = expanded ? reasons : reasons.slice(0, limit);
  const tone =
    verdict.outcome === 'pass' ? 'good' : verdict.outcome === 'fail' || !verdict.canStillPass ? 'bad' : 'info';
  return (
    <section className={`verdict verdict-${tone}`} aria-live="polite" aria-label="Kết quả tạm tính">
      <div className="verdict-head">
        <span className={`chip chip-${tone}`} data-testid="verdict-outcome">
          {OUTCOME_LABELS[verdict.outcome]}
          {verdict.band && verdict.outcome !== 'incomplete' ? ` · ${verdict.band.label}` : ''}
        </span>
        {provisional && <ProvisionalTag />}
        <span className="verdict-total" data-testid="verdict-total">
          {result.maxTotal === 0
            ? `${result.indicators.filter((i) => i.isCondition && i.points === 1).length}/${result.indicators.filter((i) => i.isCondition).length} điều kiện đạt`
            : `${formatNumber(result.total)}/${formatNumber(result.maxTotal)} điểm`}
        </span>
      </div>
      <p className="verdict-summary">{verdict.summary}</p>
      {shown.length > 0 && (
        <ul className="verdict-reasons">
          {shown.map((r, i) => (
            <li
              key={`${r.code}-${r.indicatorCode ?? ''}-${i}`}
              className={r.indicatorCode === focusCode ? 'reason-focus' : ''}
            >
              {r.message}
            </li>
          ))}
        </ul>
      )}
      {reasons.length > limit && (
        <Button variant="tertiary" onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Thu gọn' : `Xem tất cả ${reasons.length} mục`}
        </Button>
      )}
    </section>
  );
}
