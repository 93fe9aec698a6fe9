import { useState } from 'react';
import { formatNumber, type CriteriaSet } from '@hoctap/shared';
import { Button } from 'zmp-ui';
import { useApi } from '../hooks/use-api.tsx';
import type { CarryOver } from '../services/types.ts';
import { InlineError } from './screen.tsx';

type Item = CarryOver['indicators'][number];

function pointsText(set: CriteriaSet, it: Item): string {
  const ind = set.criteria.flatMap((c) => c.indicators).find((i) => i.code === it.indicatorCode);
  if (ind?.kind === 'condition') return it.points === 1 ? 'Đạt' : 'Chưa đạt';
  return `${formatNumber(it.points)} điểm`;
}

function photoText(it: Item, year: number): string | null {
  const n = it.photos.length;
  if (n === 0) return null;
  return it.photoReusable
    ? `Dùng lại ${n} ảnh năm ${year}`
    : `Ảnh năm ${year} không dùng lại được cho chỉ số này: cần chụp ảnh mới`;
}

/** The offer itself, once carry-over-card.tsx has found last year's answers to offer. */
export default function CarryOverOffer({
  assessmentId,
  set,
  offer: c,
  year,
  onCarried,
}: {
  assessmentId: string;
  set: CriteriaSet;
  offer: CarryOver;
  year: number;
  onCarried: () => void;
}) {
  const api = useApi();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (hidden) return null;

  const toggle = (code: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await api.applyCarryOver(assessmentId, [...chosen]);
      setHidden(true);
      onCarried();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card carry-over" aria-labelledby="carry-over-title">
      <h2 id="carry-over-title" className="card-title">
        Dùng lại câu trả lời năm {year}
      </h2>
      <p className="small">
        Đánh dấu những chỉ số vẫn đúng năm nay. Điểm (và ảnh, nếu được phép) sẽ được chép vào bài tự đánh giá; bạn vẫn
        sửa được từng chỉ số.
      </p>
      <ul className="carry-list">
        {c.indicators.map((it) => {
          const photos = photoText(it, year);
          const textId = `carry-${it.indicatorCode}`;
          return (
            <li key={it.indicatorCode} className="carry-item">
              <p id={textId} className="carry-text">
                <strong>{it.indicatorCode}.</strong> {it.text}
              </p>
              <p className="small">
                Năm {year}: {pointsText(set, it)}
                {photos ? ` · ${photos}` : ''}
              </p>
              <label className="carry-check">
                <input
                  type="checkbox"
                  checked={chosen.has(it.indicatorCode)}
                  onChange={() => toggle(it.indicatorCode)}
                  aria-describedby={textId}
                />
                <span>Vẫn đúng năm nay</span>
              </label>
            </li>
          );
        })}
      </ul>
      <InlineError error={error} />
      <Button variant="primary" fullWidth disabled={chosen.size === 0 || busy} loading={busy} onClick={confirm}>
        {chosen.size === 0 ? 'Chọn chỉ số vẫn đúng năm nay' : `Dùng lại ${chosen.size} chỉ số đã chọn`}
      </Button>
      <Button variant="tertiary" fullWidth onClick={() => setHidden(true)}>
        Bỏ qua, tự chấm từ đầu
      </Button>
    </section>
  );
}
