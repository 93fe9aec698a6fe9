import { useState } from 'react';
import { InlineError } from '../components/screen.tsx';
import { ConfirmDialog, useNotify } from '../components/feedback.tsx';
import { errorMessage } from '../components/screen.tsx';
import type { Me } from '../services/types.ts';
import type { ImportKind, ImportReport } from './api.ts';
import { communeOf } from './nav.ts';
import { ACTION_LABELS, n, Tag, useConsoleApi } from './ui.tsx';

const KINDS: Record<ImportKind, { tab: string; title: string; columns: string; noun: string }> = {
  households: {
    tab: 'Danh sách hộ',
    title: 'Nhập danh sách hộ gia đình',
    columns:
      'Cột bắt buộc: Ấp, Tổ, Chủ hộ. Có thể thêm: Mã hộ, Địa chỉ, Số nhân khẩu, SĐT, Dòng họ. Ấp, tổ và dòng họ chưa có sẽ được tạo.',
    noun: 'hộ',
  },
  persons: {
    tab: 'Danh sách nhân khẩu',
    title: 'Nhập danh sách nhân khẩu (thành viên hộ, cán bộ đơn vị)',
    columns:
      'Cột bắt buộc: Họ và tên, và hộ (Mã hộ, hoặc Ấp + Tổ + Chủ hộ) hoặc Đơn vị công tác. Có thể thêm: Năm sinh, Quan hệ với chủ hộ, SĐT, Nhóm đối tượng, Đang đi học, Người lao động, Mã người. Nhập danh sách hộ trước.',
    noun: 'người',
  },
  units: {
    tab: 'Danh sách tỉnh, xã',
    title: 'Nhập danh sách tỉnh, xã (danh mục chính thức sau sắp xếp 2025)',
    columns:
      'Cột: Mã tỉnh, Tên tỉnh, Mã xã, Tên xã; có thể thêm Loại (xã/phường/đặc khu) và Hiệu lực từ (dd/mm/yyyy). Đơn vị đã có được đối chiếu theo mã; không đơn vị nào bị xóa.',
    noun: 'đơn vị',
  },
};

/**
 * Upload a list → the dry-run report (nothing written) → fix the file and upload again until no row
 * has an error → commit, all or nothing (docs/onboarding.md §3).
 */
export default function ImportScreen({ me, kinds }: { me: Me; kinds: ImportKind[] }) {
  const [kind, setKind] = useState<ImportKind>(kinds[0]!);
  return (
    <>
      <h1 className="console-h1">{kinds.includes('units') ? 'Nhập danh sách tỉnh, xã' : 'Nhập danh sách'}</h1>
      {kinds.length > 1 && (
        <div className="console-tabs" role="tablist" aria-label="Loại danh sách">
          {kinds.map((k) => (
            <button key={k} type="button" role="tab" aria-selected={k === kind} onClick={() => setKind(k)}>
              {KINDS[k].tab}
            </button>
          ))}
        </div>
      )}
      <ImportFlow key={kind} kind={kind} communeId={communeOf(me)?.unitId} />
    </>
  );
}

function ImportFlow({ kind, communeId }: { kind: ImportKind; communeId: string | undefined }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const [file, setFile] = useState<File | null>(null);
  const [allowNewGroups, setAllowNewGroups] = useState(false);
  const [report, setReport] = useState<ImportReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const [onlyErrors, setOnlyErrors] = useState(true);
  const k = KINDS[kind];

  const check = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await api.uploadImport(kind, file, { ...(communeId ? { communeId } : {}), allowNewGroups });
      setReport(r);
      setOnlyErrors(r.summary.error > 0);
    } catch (err) {
      setError(err);
      setReport(undefined);
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!report) return;
    setBusy(true);
    try {
      const r = await api.commitImport(kind, report.id);
      setDone(r.message);
      setReport({ ...report, status: 'committed', committable: false });
      notify.success(r.message);
    } catch (err) {
      notify.error(errorMessage(err));
      setError(err);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const s = report?.summary;
  const rows = report ? (onlyErrors ? report.rows.filter((r) => r.action === 'error') : report.rows) : [];
  return (
    <>
      <section className="console-panel" aria-labelledby="import-file-h">
        <h2 className="console-h2" id="import-file-h">
          {k.title}
        </h2>
        <p className="console-muted">{k.columns} Tệp Excel (.xlsx, trang đầu) hoặc CSV, tối đa 20.000 dòng.</p>
        <div className="console-row" style={{ marginTop: 12 }}>
          {/* The browser's own file button speaks the browser's language ("Choose File"): ours is Vietnamese. */}
          <div className="console-field">
            <span>Tệp danh sách</span>
            <label className="console-file">
              <input
                type="file"
                className="console-file-input"
                accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setReport(undefined);
                  setDone(undefined);
                }}
              />
              <span className="console-btn console-btn-secondary">Chọn tệp…</span>
              <span className="console-file-name">{file ? file.name : 'Chưa chọn tệp'}</span>
            </label>
          </div>
          {kind === 'households' && (
            <label className="console-check">
              <input type="checkbox" checked={allowNewGroups} onChange={(e) => setAllowNewGroups(e.target.checked)} />
              Cho phép tạo tổ mới trong ấp đã có tổ
            </label>
          )}
          <button type="button" className="console-btn" disabled={!file || busy} onClick={() => void check()}>
            {busy && !report ? 'Đang kiểm tra…' : 'Kiểm tra tệp (chưa ghi gì)'}
          </button>
        </div>
        <InlineError error={error} />
      </section>

      {report && s && (
        <section className="console-panel" aria-labelledby="import-report-h">
          <h2 className="console-h2" id="import-report-h">
            Kết quả kiểm tra: {report.fileName}
          </h2>
          <ul className="console-stats">
            <li>
              Tổng: <strong>{n(s.total)}</strong> dòng
            </li>
            <li>
              Thêm mới: <strong>{n(s.create)}</strong>
            </li>
            <li>
              Cập nhật: <strong>{n(s.update)}</strong>
            </li>
            <li>
              Không đổi: <strong>{n(s.unchanged)}</strong>
            </li>
            <li>
              Lỗi: <strong>{n(s.error)}</strong>
            </li>
          </ul>
          {s.notes.length > 0 && (
            <ul className="console-muted">
              {s.notes.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          {done ? (
            <p className="note-good" role="status">
              {done}
            </p>
          ) : s.error > 0 ? (
            <p className="note-warn" role="alert">
              Có {n(s.error)} dòng lỗi: chưa ghi gì vào sổ. Hãy sửa các dòng dưới đây trong tệp rồi chọn lại tệp và kiểm
              tra lại.
            </p>
          ) : (
            <div className="console-row">
              <p className="note-good" role="status">
                Không có dòng lỗi. Bấm “Ghi vào sổ” để ghi cả danh sách một lần.
              </p>
              <button
                type="button"
                className="console-btn"
                disabled={!report.committable || busy}
                onClick={() => setConfirming(true)}
              >
                Ghi vào sổ ({n(s.create + s.update)} {k.noun})
              </button>
            </div>
          )}
          {report.rows.length > 0 && (
            <>
              <label className="console-check" style={{ margin: '10px 0' }}>
                <input type="checkbox" checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} />
                Chỉ hiện dòng lỗi
              </label>
              <div className="console-table-wrap">
                <table className="console-table">
                  <caption className="console-muted" style={{ textAlign: 'left' }}>
                    Các dòng thêm mới, cập nhật và lỗi (dòng không đổi chỉ được đếm)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Dòng
                      </th>
                      <th scope="col">Kết quả</th>
                      <th scope="col">Nội dung</th>
                      <th scope="col">Chi tiết</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.slice(0, 500).map((r) => (
                      <tr key={r.row} className={r.action === 'error' ? 'row-error' : undefined}>
                        <td className="num">{r.row}</td>
                        <td>
                          <Tag kind={r.action}>{ACTION_LABELS[r.action]}</Tag>
                        </td>
                        <td>{r.label || '—'}</td>
                        <td>
                          {r.messages.length > 0 || r.changes.length > 0 ? (
                            <ul>
                              {[...r.messages, ...r.changes.map((c) => `đổi ${c}`)].map((m) => (
                                <li key={m}>{m}</li>
                              ))}
                            </ul>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {rows.length > 500 && <p className="console-muted">Chỉ hiện 500 dòng đầu trong {n(rows.length)} dòng.</p>}
            </>
          )}
        </section>
      )}
      <ConfirmDialog
        visible={confirming}
        title="Ghi danh sách vào sổ?"
        description={
          s
            ? `Thêm mới ${n(s.create)}, cập nhật ${n(s.update)} ${k.noun}. Cả danh sách được ghi một lần; ghi lại cùng tệp không thay đổi gì.`
            : undefined
        }
        confirmLabel="Ghi vào sổ"
        busy={busy}
        onConfirm={() => void commit()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
