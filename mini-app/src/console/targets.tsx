import { useState } from 'react';
import { formatShare } from '@hoctap/shared';
import type { TargetsDto } from '@hoctap/shared/api';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import { useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import type { Me } from '../services/types.ts';
import { communeOf, isAdminUser, provinceOf } from './nav.ts';
import { parsePercent, percentInput } from './percent.ts';
import { Field, useConsoleApi } from './ui.tsx';

type Level = 'commune' | 'province';
type TargetEdit = { indicator: TargetsDto['targets'][number]['indicator']; share: number | null };

interface Place {
  id: string;
  name: string;
  level: Level;
  /** An officer sets the commune's; only an administrator sets a province's (server rule). */
  canWrite: boolean;
}

const SOURCE_LABELS = { commune: 'Xã đặt', province: 'Tỉnh đặt', default: 'Mặc định' } as const;

/** The commune's (or, for an administrator, the province's) targets for a year: view and set. */
export default function TargetsScreen({ me }: { me: Me }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const commune = communeOf(me);
  const province = provinceOf(me);
  const places: Place[] = [
    ...(commune ? [{ id: commune.unitId, name: commune.unitName, level: 'commune' as const, canWrite: true }] : []),
    ...(province
      ? [{ id: province.unitId, name: province.unitName, level: 'province' as const, canWrite: isAdminUser(me) }]
      : []),
  ];
  const thisYear = new Date().getFullYear();
  const [placeId, setPlaceId] = useState(places[0]?.id ?? '');
  const [year, setYear] = useState(thisYear);
  const place = places.find((p) => p.id === placeId) ?? places[0];
  const data = useAsync(async () => (place ? api.targets(place.id, year) : undefined), [api, place?.id, year]);
  if (!place) return <EmptyState title="Tài khoản chưa được giao phụ trách xã hoặc tỉnh nào." />;
  return (
    <>
      <h1 className="console-h1">Chỉ tiêu năm {year}</h1>
      <p className="console-muted">
        Tỷ lệ phải đạt của từng danh hiệu. Ô để trống thì dùng mức của tỉnh, nếu tỉnh chưa đặt thì dùng mức mặc định của
        kế hoạch. Biểu đồ tiến độ và tin nhắn nhóm Zalo so sánh với các mức này.
      </p>
      <div className="console-row" style={{ margin: '12px 0' }}>
        {places.length > 1 && (
          <Field label="Đơn vị">
            <select value={place.id} onChange={(e) => setPlaceId(e.target.value)}>
              {places.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Năm">
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {data.error && !data.data ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <LoadingState label="Đang tải chỉ tiêu…" />
      ) : (
        <TargetsForm
          key={`${place.id}:${year}:${data.data.targets.map((t) => `${t.source}${t.share}`).join()}`}
          data={data.data}
          level={place.level}
          canWrite={place.canWrite}
          onSave={async (targets) => {
            await api.putTargets(place.id, year, targets);
            notify.success(`Đã lưu chỉ tiêu năm ${year} của ${place.name}.`);
            data.reload();
          }}
        />
      )}
    </>
  );
}

/**
 * The table of indicators with one percent box each (decimal comma). A box left blank clears the
 * unit's own value; "Điền theo QĐ 387" fills every box with the national bar.
 */
export function TargetsForm({
  data,
  level,
  canWrite,
  onSave,
}: {
  data: TargetsDto;
  level: Level;
  canWrite: boolean;
  onSave: (targets: TargetEdit[]) => Promise<void>;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(data.targets.map((t) => [t.indicator, t.source === level ? percentInput(t.share) : ''])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const ownLabel = level === 'commune' ? 'Mức riêng của xã (%)' : 'Mức của tỉnh (%)';

  const save = async () => {
    const parsed = data.targets.map((t) => ({
      indicator: t.indicator,
      result: parsePercent(values[t.indicator] ?? ''),
    }));
    const bad = Object.fromEntries(parsed.flatMap((p) => (p.result.ok ? [] : [[p.indicator, p.result.message]])));
    setErrors(bad);
    setError(undefined);
    if (Object.keys(bad).length > 0) return;
    setBusy(true);
    try {
      await onSave(parsed.map((p) => ({ indicator: p.indicator, share: p.result.ok ? p.result.share : null })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const badCount = Object.keys(errors).length;

  return (
    <form
      className="console-panel"
      aria-label={`Chỉ tiêu của ${data.unitName}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="console-h2">{data.unitName}</h2>
      <table className="console-table">
        <thead>
          <tr>
            <th scope="col">Chỉ tiêu</th>
            <th scope="col" className="num">
              Đang áp dụng
            </th>
            <th scope="col">Nguồn</th>
            <th scope="col" className="num">
              QĐ 387
            </th>
            <th scope="col">{ownLabel}</th>
          </tr>
        </thead>
        <tbody>
          {data.targets.map((t) => {
            const err = errors[t.indicator];
            const errId = `target-err-${t.indicator}`;
            return (
              <tr key={t.indicator}>
                <td>{t.label}</td>
                <td className="num">{formatShare(t.share)}</td>
                <td>
                  <span className={`console-tag tag-${t.source === level ? 'create' : 'unchanged'}`}>
                    {SOURCE_LABELS[t.source]}
                  </span>{' '}
                  <span className="console-muted">{t.sourceLabel}</span>
                </td>
                <td className="num">{formatShare(t.national)}</td>
                <td>
                  <span className="console-percent">
                    <input
                      type="text"
                      inputMode="decimal"
                      aria-label={`${ownLabel}: ${t.label}`}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? errId : undefined}
                      disabled={!canWrite}
                      placeholder="để trống"
                      value={values[t.indicator] ?? ''}
                      onChange={(e) => setValues({ ...values, [t.indicator]: e.target.value })}
                    />
                    <span aria-hidden="true">%</span>
                  </span>
                  {err && (
                    <span className="console-field-error" id={errId}>
                      {err}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {badCount > 0 && (
        <p className="note-bad" role="alert">
          Có {badCount} ô chưa đúng. Hãy sửa rồi lưu lại.
        </p>
      )}
      <InlineError error={error} />
      {canWrite ? (
        <div className="console-row" style={{ marginTop: 12 }}>
          <button type="submit" className="console-btn" disabled={busy}>
            {busy ? 'Đang lưu…' : 'Lưu chỉ tiêu'}
          </button>
          <button
            type="button"
            className="console-btn console-btn-secondary"
            onClick={() => {
              setValues(Object.fromEntries(data.targets.map((t) => [t.indicator, percentInput(t.national)])));
              setErrors({});
            }}
          >
            Điền theo QĐ 387
          </button>
          <button
            type="button"
            className="console-btn console-btn-secondary"
            onClick={() => {
              setValues(Object.fromEntries(data.targets.map((t) => [t.indicator, ''])));
              setErrors({});
            }}
          >
            Xóa hết mức riêng
          </button>
        </div>
      ) : (
        <p className="console-muted" style={{ marginTop: 12 }}>
          Chỉ quản trị hệ thống mới đặt được chỉ tiêu của tỉnh.
        </p>
      )}
    </form>
  );
}
