import { formatNumber } from '@hoctap/shared';

/** The allowed scores of an indicator: its list, or 0..max by step. */
export function allowedSteps(ind: {
  maxPoints: number;
  step?: number | undefined;
  allowedPoints?: readonly number[] | undefined;
  kind?: string | undefined;
}): number[] {
  if (ind.kind === 'condition') return [0, 1];
  if (ind.allowedPoints) return [...ind.allowedPoints];
  const step = ind.step ?? 1;
  const out: number[] = [];
  for (let i = 0; i * step <= ind.maxPoints + 1e-9; i++) out.push(Math.round(i * step * 1e6) / 1e6);
  return out;
}

/** Large buttons, one per allowed score. A condition shows "Đạt" / "Chưa đạt". */
export function PointChoice({
  values,
  value,
  onChange,
  isCondition = false,
  disabled = false,
}: {
  values: number[];
  value: number | null;
  onChange: (points: number) => void;
  isCondition?: boolean;
  disabled?: boolean;
}) {
  // A condition: "Đạt" first, as a big yes/no pair.
  const shown = isCondition ? [...values].sort((a, b) => b - a) : values;
  return (
    <div
      className={`points ${isCondition ? 'points-condition' : ''}`}
      role="radiogroup"
      aria-label={isCondition ? 'Đạt hay chưa đạt' : 'Chọn điểm'}
    >
      {shown.map((v) => {
        const label = isCondition ? (v === 1 ? 'Đạt' : 'Chưa đạt') : formatNumber(v);
        const selected = value === v;
        return (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={selected}
            aria-label={isCondition ? label : `${label} điểm`}
            className={`point ${selected ? 'point-selected' : ''} ${isCondition ? (v === 1 ? 'point-yes' : 'point-no') : ''}`}
            disabled={disabled}
            onClick={() => onChange(v)}
          >
            {isCondition && (
              <span className="point-icon" aria-hidden="true">
                {v === 1 ? '✓' : '✗'}
              </span>
            )}
            {label}
          </button>
        );
      })}
    </div>
  );
}
