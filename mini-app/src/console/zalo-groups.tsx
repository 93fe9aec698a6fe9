import { useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState, errorMessage } from '../components/screen.tsx';
import { useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate } from '../services/format.ts';
import type { Me } from '../services/types.ts';
import type { ZaloGroup } from './api.ts';
import { communeOf } from './nav.ts';
import { Field, Tag, useConsoleApi } from './ui.tsx';

interface Row {
  unitId: string;
  label: string;
  group: ZaloGroup | undefined;
}

/** What GET /v3.0/oa/group/getgroupsofoa calls group_id (docs/zalo-setup.md step 2); same rule as the API's. */
const GROUP_ID = /^[A-Za-z0-9]{6,64}$/;

/**
 * Which OA group chat (GMF) each hamlet and the commune posts to: campaign openings, reminders and
 * results go there (docs/zalo.md §4). "Ngừng gửi" keeps the row but disables it (status disabled)
 * — the API has no delete; a unit without an active group gets its messages dead-lettered.
 */
export default function ZaloGroupsScreen({ me }: { me: Me }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const commune = communeOf(me);
  const communeId = commune?.unitId;
  const data = useAsync(async (): Promise<Row[]> => {
    if (!communeId) return [];
    const [hamlets, groups] = await Promise.all([api.units(communeId), api.zaloGroups(communeId)]);
    const of = (id: string) => groups.find((g) => g.unitId === id);
    return [
      { unitId: communeId, label: `Cả xã — ${commune.unitName}`, group: of(communeId) },
      ...hamlets
        .filter((h) => !h.effectiveTo)
        .map((h) => ({ unitId: h.id, label: `Ấp ${h.name.replace(/^(Ấp|ấp)\s+/, '')}`, group: of(h.id) })),
    ];
  }, [api, communeId]);
  const [editing, setEditing] = useState<Row>();
  const [busy, setBusy] = useState<string>();

  const setStatus = async (row: Row, status: ZaloGroup['status']) => {
    if (!row.group) return;
    setBusy(row.unitId);
    try {
      await api.putZaloGroup(row.unitId, { groupId: row.group.groupId, name: row.group.name, status });
      notify.success(
        status === 'active' ? `Đã gửi lại vào nhóm của ${row.label}.` : `Đã ngừng gửi vào nhóm của ${row.label}.`,
      );
      data.reload();
    } catch (err) {
      notify.error(errorMessage(err));
    } finally {
      setBusy(undefined);
    }
  };

  if (!communeId) return <EmptyState title="Tài khoản chưa được giao phụ trách xã nào." />;
  return (
    <>
      <h1 className="console-h1">Nhóm Zalo của ấp, xã</h1>
      <p className="console-muted" style={{ marginBottom: 12 }}>
        Tin mở đợt đánh giá, nhắc hạn và kết quả (chỉ có số liệu, không có tên người) được gửi vào nhóm chat của
        Official Account tương ứng. Mã nhóm (group_id) lấy từ trang quản lý Official Account.{' '}
        <a href="#/messages">Xem tin nhắn đã gửi</a>
      </p>
      {editing && (
        <GroupForm
          key={editing.unitId}
          row={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            data.reload();
          }}
        />
      )}
      {data.error && !data.data ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <LoadingState label="Đang tải nhóm Zalo…" />
      ) : (
        <section className="console-panel" aria-label="Nhóm Zalo theo ấp">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">Nơi</th>
                <th scope="col">Nhóm Zalo</th>
                <th scope="col">Mã nhóm</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Cập nhật</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((row) => (
                <tr key={row.unitId}>
                  <td>{row.label}</td>
                  <td>{row.group?.name ?? '—'}</td>
                  <td>{row.group ? <code>{row.group.groupId}</code> : '—'}</td>
                  <td>
                    {!row.group ? (
                      <Tag kind="error">Chưa gắn nhóm</Tag>
                    ) : row.group.status === 'active' ? (
                      <Tag kind="create">Đang gửi</Tag>
                    ) : (
                      <Tag kind="unchanged">Ngừng gửi</Tag>
                    )}
                  </td>
                  <td>{row.group ? formatDate(row.group.updatedAt) : '—'}</td>
                  <td>
                    <div className="console-row" style={{ gap: 6 }}>
                      <button
                        type="button"
                        className="console-btn console-btn-secondary console-btn-small"
                        aria-label={`${row.group ? 'Sửa nhóm' : 'Gắn nhóm'} của ${row.label}`}
                        onClick={() => setEditing(row)}
                      >
                        {row.group ? 'Sửa' : 'Gắn nhóm'}
                      </button>
                      {row.group && (
                        <button
                          type="button"
                          className={`console-btn console-btn-small ${row.group.status === 'active' ? 'console-btn-danger' : 'console-btn-secondary'}`}
                          disabled={busy === row.unitId}
                          aria-label={`${row.group.status === 'active' ? 'Ngừng gửi vào nhóm' : 'Gửi lại vào nhóm'} của ${row.label}`}
                          onClick={() => void setStatus(row, row.group!.status === 'active' ? 'disabled' : 'active')}
                        >
                          {row.group.status === 'active' ? 'Ngừng gửi' : 'Gửi lại'}
                        </button>
                      )}
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

function GroupForm({ row, onClose, onSaved }: { row: Row; onClose: () => void; onSaved: () => void }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const [groupId, setGroupId] = useState(row.group?.groupId ?? '');
  const [name, setName] = useState(row.group?.name ?? '');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = async () => {
    const p: string[] = [];
    if (!GROUP_ID.test(groupId.trim()))
      p.push(
        'Mã nhóm gồm 6 đến 64 chữ cái không dấu hoặc chữ số (group_id của Official Account, không phải đường link).',
      );
    if (name.trim() === '') p.push('Hãy nhập tên nhóm.');
    setProblems(p);
    if (p.length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.putZaloGroup(row.unitId, { groupId: groupId.trim(), name: name.trim(), status: 'active' });
      notify.success(`Đã gắn nhóm cho ${row.label}.`);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="console-panel" aria-label={`Nhóm Zalo của ${row.label}`}>
      <h2 className="console-h2">Nhóm Zalo của {row.label}</h2>
      <form
        className="console-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Mã nhóm (group_id)">
          <input type="text" value={groupId} onChange={(e) => setGroupId(e.target.value)} />
        </Field>
        <Field label="Tên nhóm">
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <button type="submit" className="console-btn" disabled={busy}>
          {busy ? 'Đang lưu…' : 'Lưu'}
        </button>
        <button type="button" className="console-btn console-btn-secondary" onClick={onClose}>
          Hủy
        </button>
      </form>
      {problems.length > 0 && (
        <div className="note-bad" role="alert">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <InlineError error={error} />
    </section>
  );
}
