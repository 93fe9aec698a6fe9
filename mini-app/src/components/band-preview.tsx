import { formatNumber, inBand, type Band, type CriteriaSet, type ScoreResult } from '@hoctap/shared';

/** "từ 70 đến dưới 85 điểm", "dưới 50 điểm", as the text of TT 22/2020 writes the bands. */
export function bandRange(b: Band): string {
  const max = `${b.maxInclusive ? 'đến' : 'đến dưới'} ${formatNumber(b.max)}`;
  if (b.min === 0 && b.minInclusive) return `${b.maxInclusive ? 'đến' : 'dưới'} ${formatNumber(b.max)} điểm`;
  return `${b.minInclusive ? 'từ' : 'trên'} ${formatNumber(b.min)} ${max} điểm`;
}

/**
 * Đơn vị học tập: the classification bands (Tốt / Khá / Trung bình / Không đạt) with the band of
 * the points given so far marked, and how far the open indicators could still lift it.
 */
export function BandPreview({ set, result }: { set: CriteriaSet; result: ScoreResult }) {
  const rule = set.ratingRules.find((r) => r.type === 'bands');
  if (!rule || rule.type !== 'bands') return null;
  const bands = [...rule.bands].sort((a, b) => b.min - a.min);
  const current = bands.find((b) => inBand(b, result.total));
  const open = result.indicators.filter((i) => !i.isCondition && i.points === null);
  const openMax = open.reduce((s, i) => s + i.maxPoints, 0);
  const best = bands.find((b) => inBand(b, Math.min(result.maxTotal, result.total + openMax)));
  return (
    <section className="bands" aria-label="Xếp loại tạm tính">
      <p className="bands-now">
        Xếp loại tạm tính: <strong data-testid="band-current">{current?.label ?? '—'}</strong> (
        {formatNumber(result.total)} điểm)
      </p>
      {open.length > 0 && best && best !== current && (
        <p className="small">
          Còn {open.length} chỉ số chưa chấm (tối đa thêm {formatNumber(openMax)} điểm): có thể lên “{best.label}”.
        </p>
      )}
      <ul className="bands-list">
        {bands.map((b) => (
          <li
            key={b.code}
            className={`band ${b === current ? 'band-on' : ''} ${b.passes ? '' : 'band-fail'}`}
            aria-current={b === current ? 'true' : undefined}
          >
            <span className="band-label">{b.label}</span>
            <span className="band-range">{bandRange(b)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
