import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../components/screen.tsx';
import { ConfirmDialog, useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import type { OrgUnit, Person } from './api.ts';
import { EditPanel } from './edit-panel.tsx';
import { orNull, useConsoleApi } from './ui.tsx';

/**
 * The staff of one Đơn vị học tập (persons whose unit membership is this unit): the denominator of
 * its "cán bộ, người lao động đạt Công dân học tập" share. Adding creates the person in the unit;
 * removing clears the membership (PATCH unitId: null), so only someone who also belongs to a
 * household can be removed — the API has no way to delete a person.
 */
export function UnitStaff({ unit, onClose, onChanged }: { unit: OrgUnit; onClose: () => void; onChanged: () => void }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const list = useAsync(() => api.persons({ unitId: unit.id }), [api, unit.id]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Person>();
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await api.patchPerson(removing.id, { unitId: null, version: removing.version });
      notify.success(`Đã gỡ ${removing.fullName} khỏi ${unit.name}.`);
      list.reload();
      onChanged();
    } catch (err) {
      notify.error(errorMessage(err));
    } finally {
      setBusy(false);
      setRemoving(undefined);
    }
  };
  return (
    <section className="console-panel" aria-label={`Cán bộ của ${unit.name}`}>
      <div className="console-row" style={{ justifyContent: 'space-between' }}>
        <h2 className="console-h2">Cán bộ, người lao động của {unit.name}</h2>
        <div className="console-row" style={{ gap: 6 }}>
          <button type="button" className="console-btn console-btn-small" onClick={() => setAdding(true)}>
            Thêm người
          </button>
          <button type="button" className="console-btn console-btn-secondary console-btn-small" onClick={onClose}>
            Đóng
          </button>
        </div>
      </div>
      {adding && (
        <EditPanel
          title={`Thêm người vào ${unit.name}`}
          fields={[
            { key: 'fullName', label: 'Họ và tên' },
            { key: 'birthYear', label: 'Năm sinh', type: 'number' },
            { key: 'phone', label: 'Số điện thoại' },
          ]}
          initial={{ fullName: '', birthYear: '', phone: '' }}
          saveLabel="Thêm"
          onSave={async (v) => {
            await api.createPerson({
              unitId: unit.id,
              fullName: v.fullName!.trim(),
              birthYear: v.birthYear ? Number(v.birthYear) : null,
              phone: orNull(v.phone),
            });
            notify.success(`Đã thêm ${v.fullName!.trim()} vào ${unit.name}.`);
            list.reload();
            onChanged();
          }}
          onClose={() => setAdding(false)}
        />
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="Đơn vị chưa có ai trong danh sách cán bộ." />
      ) : (
        <table className="console-table">
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col" className="num">
                Năm sinh
              </th>
              <th scope="col">Điện thoại</th>
              <th scope="col">Thuộc hộ</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>{p.fullName}</td>
                <td className="num">{p.birthYear ?? '—'}</td>
                <td>{p.phone ?? '—'}</td>
                <td>{p.householdId ? 'Có' : 'Không'}</td>
                <td>
                  {p.householdId ? (
                    <button
                      type="button"
                      className="console-btn console-btn-danger console-btn-small"
                      aria-label={`Gỡ ${p.fullName} khỏi đơn vị`}
                      onClick={() => setRemoving(p)}
                    >
                      Gỡ khỏi đơn vị
                    </button>
                  ) : (
                    <span className="console-muted">Chỉ thuộc đơn vị: chưa gỡ được</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        visible={!!removing}
        title="Gỡ khỏi đơn vị?"
        description={
          removing ? `${removing.fullName} vẫn ở trong sổ hộ, chỉ không còn là cán bộ của ${unit.name}.` : undefined
        }
        confirmLabel="Gỡ khỏi đơn vị"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(undefined)}
      />
    </section>
  );
}
