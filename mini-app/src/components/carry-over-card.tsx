import { useState } from 'react';
import { formatNumber, type CriteriaSet } from '@hoctap/shared';
import { Button } from 'zmp-ui';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { answerDrafts } from '../services/drafts.ts';
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

/**
 * Carry-over (docs/transparency.md §6): on an empty draft, offers last year's answers indicator
 * by indicator; only the ones ticked "vẫn đúng năm nay" are copied (with last year's photos
 * where the criteria set allows). Shows nothing when there is nothing to carry.
 */
export function CarryOverCard({
  assessmentId,
  set,
  onCarried,
}: {
  assessmentId: string;
  set: CriteriaSet;
  /** After a successful copy: the page reloads the assessment. */
  onCarried: () => void;
}) {
  const api = useApi();
  const data = useAsync(() => api.carryOver(assessmentId), [api, assessmentId]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const c = data.data;
  // Offered only on an empty draft: nothing on the server, nothing typed on this phone.
  if (hidden || !c || !c.available || !c.draftEmpty || c.fromYear === null) return null;
  if (Object.keys(answerDrafts.all(assessmentId)).length > 0) return null;
  const year = c.fromYear;

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
