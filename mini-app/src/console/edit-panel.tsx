// The console's edit form and the editable list built on it: the registry's clans and units, a
// unit's staff and the admin's provinces and communes all read the same way (add, table, edit).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import type { AsyncState } from '../hooks/use-async.ts';
import { Field } from './ui.tsx';

export interface FieldSpec {
  key: string;
  label: string;
  type?: 'text' | 'number' | 'select';
  options?: [string, string][];
}

/** One form for every edit: the fields, their current values, and the save call (PATCH or POST). */
export function EditPanel({
  title,
  fields,
  initial,
  onSave,
  onClose,
  saveLabel = 'Lưu',
}: {
  title: string;
  fields: FieldSpec[];
  initial: Record<string, string>;
  onSave: (values: Record<string, string>) => Promise<void>;
  onClose: () => void;
  saveLabel?: string;
}) {
  const [values, setValues] = useState(initial);
  const ref = useRef<HTMLElement>(null);
  // Opened from a row far down the table: bring the form into view.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSave(values);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="console-panel" aria-label={title} ref={ref}>
      <h2 className="console-h2">{title}</h2>
      <form
        className="console-row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {fields.map((f) => (
          <Field key={f.key} label={f.label}>
            {f.type === 'select' ? (
              <select value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}>
                {f.options!.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={f.type === 'number' ? 'number' : 'text'}
                value={values[f.key] ?? ''}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <button type="submit" className="console-btn" disabled={busy}>
          {busy ? 'Đang lưu…' : saveLabel}
        </button>
        <button type="button" className="console-btn console-btn-secondary" onClick={onClose}>
          Hủy
        </button>
      </form>
      <InlineError error={error} />
    </section>
  );
}

export interface Column<T> {
  header: string;
  num?: boolean;
  cell: (row: T) => ReactNode;
}

/** The edit form of one row (or of a new one when `row` is undefined). */
export interface RowForm<T> {
  title: (row: T | undefined) => string;
  fields: FieldSpec[];
  initial: (row: T | undefined) => Record<string, string>;
  save: (values: Record<string, string>, row: T | undefined) => Promise<void>;
}

/**
 * An "add" button, the edit form when open, and the table with a "Sửa" button per row (plus any
 * `actions` of the caller); loading, error and empty states included.
 */
export function EditableList<T extends { id: string }>({
  list,
  label,
  addLabel,
  empty,
  columns,
  form,
  rowName,
  actions,
}: {
  list: AsyncState<{ items: T[] }>;
  label: string;
  addLabel: string;
  empty: string;
  columns: Column<T>[];
  form: RowForm<T>;
  /** What the row's buttons say they act on ("Sửa <name>"). */
  rowName: (row: T) => string;
  actions?: (row: T) => ReactNode;
}) {
  const [editing, setEditing] = useState<string | 'new'>();
  const row = list.data?.items.find((r) => r.id === editing);
  return (
    <>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <button type="button" className="console-btn" onClick={() => setEditing('new')}>
          {addLabel}
        </button>
      </div>
      {editing && (
        <EditPanel
          key={editing}
          title={form.title(row)}
          fields={form.fields}
          initial={form.initial(row)}
          saveLabel={row ? 'Lưu' : 'Thêm'}
          onSave={(v) => form.save(v, row)}
          onClose={() => setEditing(undefined)}
        />
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <section className="console-panel" aria-label={label}>
          <table className="console-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} scope="col" className={c.num ? 'num' : undefined}>
                    {c.header}
                  </th>
                ))}
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  {columns.map((c) => (
                    <td key={c.header} className={c.num ? 'num' : undefined}>
                      {c.cell(r)}
                    </td>
                  ))}
                  <td>
                    <div className="console-row" style={{ gap: 6 }}>
                      <button
                        type="button"
                        className="console-btn console-btn-secondary console-btn-small"
                        aria-label={`Sửa ${rowName(r)}`}
                        onClick={() => setEditing(r.id)}
                      >
                        Sửa
                      </button>
                      {actions?.(r)}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
