import { useEffect, useRef, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/screen.tsx';
import { useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import type { Me } from '../services/types.ts';
import type { AdminUnit, Household, OrgUnit } from './api.ts';
import { communeOf } from './nav.ts';
import { Field, n, useConsoleApi } from './ui.tsx';
import { SubjectHistory } from '../components/subject-history.tsx';

type Tab = 'households' | 'clans' | 'units' | 'places';
const TABS: [Tab, string][] = [
  ['households', 'Hộ gia đình'],
  ['clans', 'Dòng họ'],
  ['units', 'Đơn vị'],
  ['places', 'Ấp, tổ'],
];
const UNIT_TYPE_LABELS: Record<OrgUnit['type'], string> = {
  school: 'Trường học',
  agency: 'Cơ quan',
  enterprise: 'Doanh nghiệp',
  cooperative: 'Hợp tác xã',
  other: 'Khác',
};

/** Browse and edit the commune's registry: households and their members, clans, units, ấp and tổ. */
export default function RegistryScreen({ me }: { me: Me }) {
  const communeId = communeOf(me)?.unitId;
  const [tab, setTab] = useState<Tab>('households');
  if (!communeId) return <EmptyState title="Tài khoản chưa được giao phụ trách xã nào." />;
  return (
    <>
      <h1 className="console-h1">Sổ hộ, dòng họ, đơn vị</h1>
      <div className="console-tabs" role="tablist" aria-label="Sổ">
        {TABS.map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={k === tab} onClick={() => setTab(k)}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'households' && <Households communeId={communeId} />}
      {tab === 'clans' && <Clans communeId={communeId} />}
      {tab === 'units' && <Units communeId={communeId} />}
      {tab === 'places' && <Places communeId={communeId} />}
    </>
  );
}

interface FieldSpec {
  key: string;
  label: string;
  type?: 'text' | 'number' | 'select';
  options?: [string, string][];
}

/** One form for every edit: the fields, their current values, and the save call (PATCH or POST). */
function EditPanel({
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

/** The commune's own "mã hộ" (stored as the import key "ma:<code>"); a derived key is not a code. */
const householdCode = (h: Household) => (h.externalKey?.startsWith('ma:') ? h.externalKey.slice(3).toUpperCase() : '—');

const orNull = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : null);

function Households({ communeId }: { communeId: string }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [pages, setPages] = useState<string[]>([]);
  const list = useAsync(async () => {
    const out: Household[] = [];
    let next: string | null = null;
    for (const cursor of ['', ...pages]) {
      const page = await api.households({
        unitId: communeId,
        ...(search ? { q: search } : {}),
        ...(cursor ? { cursor } : {}),
      });
      out.push(...page.items);
      next = page.nextCursor;
    }
    return { items: out, next };
  }, [api, communeId, search, pages]);
  const [editing, setEditing] = useState<Household>();
  const [membersOf, setMembersOf] = useState<Household>();
  return (
    <>
      <form
        className="console-row"
        style={{ marginBottom: 12 }}
        onSubmit={(e) => {
          e.preventDefault();
          setPages([]);
          setSearch(q.trim());
        }}
      >
        <Field label="Tìm chủ hộ (không cần dấu)">
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <button type="submit" className="console-btn console-btn-secondary">
          Tìm
        </button>
      </form>
      {editing && (
        <EditPanel
          key={editing.id}
          title={`Sửa hộ ${editing.headName}`}
          fields={[
            { key: 'headName', label: 'Chủ hộ' },
            { key: 'address', label: 'Địa chỉ' },
            { key: 'memberCount', label: 'Số nhân khẩu', type: 'number' },
            { key: 'phone', label: 'Số điện thoại' },
          ]}
          initial={{
            headName: editing.headName,
            address: editing.address,
            memberCount: String(editing.memberCount),
            phone: editing.phone ?? '',
          }}
          onSave={async (v) => {
            await api.patchHousehold(editing.id, {
              headName: v.headName!.trim(),
              address: v.address!.trim(),
              memberCount: Number(v.memberCount),
              phone: orNull(v.phone),
            });
            notify.success('Đã lưu thông tin hộ.');
            list.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {membersOf && <Members household={membersOf} onClose={() => setMembersOf(undefined)} />}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState label="Đang tải sổ hộ…" />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={search ? 'Không tìm thấy hộ nào.' : 'Sổ hộ còn trống. Hãy nhập danh sách hộ.'} />
      ) : (
        <section className="console-panel" aria-label="Danh sách hộ">
          <div className="console-table-wrap">
            <table className="console-table">
              <thead>
                <tr>
                  <th scope="col">Chủ hộ</th>
                  <th scope="col">Ấp</th>
                  <th scope="col">Tổ</th>
                  <th scope="col">Địa chỉ</th>
                  <th scope="col" className="num">
                    Nhân khẩu
                  </th>
                  <th scope="col">Điện thoại</th>
                  <th scope="col">Mã hộ</th>
                  <th scope="col">Thao tác</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((h) => (
                  <tr key={h.id}>
                    <td>{h.headName}</td>
                    <td>{h.hamletName}</td>
                    <td>{h.groupName}</td>
                    <td>{h.address || '—'}</td>
                    <td className="num">{h.memberCount}</td>
                    <td>{h.phone ?? '—'}</td>
                    <td>{householdCode(h)}</td>
                    <td>
                      <div className="console-row" style={{ gap: 6 }}>
                        <button
                          type="button"
                          className="console-btn console-btn-secondary console-btn-small"
                          aria-label={`Sửa hộ ${h.headName}`}
                          onClick={() => setEditing(h)}
                        >
                          Sửa
                        </button>
                        <button
                          type="button"
                          className="console-btn console-btn-secondary console-btn-small"
                          aria-label={`Nhân khẩu của hộ ${h.headName}`}
                          onClick={() => setMembersOf(h)}
                        >
                          Nhân khẩu
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="console-muted" style={{ marginTop: 8 }}>
            Đang hiện {n(list.data.items.length)} hộ.
          </p>
          {list.data.next && (
            <button
              type="button"
              className="console-btn console-btn-secondary"
              onClick={() => setPages([...pages, list.data!.next!])}
            >
              Xem thêm
            </button>
          )}
        </section>
      )}
    </>
  );
}

function Members({ household, onClose }: { household: Household; onClose: () => void }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const list = useAsync(() => api.persons({ householdId: household.id }), [api, household.id]);
  const [editing, setEditing] = useState<string>();
  const person = list.data?.items.find((p) => p.id === editing);
  return (
    <section className="console-panel" aria-label={`Nhân khẩu của hộ ${household.headName}`}>
      <div className="console-row" style={{ justifyContent: 'space-between' }}>
        <h2 className="console-h2">Nhân khẩu của hộ {household.headName}</h2>
        <button type="button" className="console-btn console-btn-secondary console-btn-small" onClick={onClose}>
          Đóng
        </button>
      </div>
      <SubjectHistory subjectType="household" subjectId={household.id} title="Danh hiệu của hộ qua các năm" />
      {person && (
        <EditPanel
          key={person.id}
          title={`Sửa ${person.fullName}`}
          fields={[
            { key: 'fullName', label: 'Họ và tên' },
            { key: 'birthYear', label: 'Năm sinh', type: 'number' },
            { key: 'relation', label: 'Quan hệ với chủ hộ' },
            { key: 'phone', label: 'Số điện thoại' },
          ]}
          initial={{
            fullName: person.fullName,
            birthYear: person.birthYear ? String(person.birthYear) : '',
            relation: person.relation ?? '',
            phone: person.phone ?? '',
          }}
          onSave={async (v) => {
            await api.patchPerson(person.id, {
              fullName: v.fullName!.trim(),
              birthYear: v.birthYear ? Number(v.birthYear) : null,
              relation: orNull(v.relation),
              phone: orNull(v.phone),
              version: person.version,
            });
            notify.success('Đã lưu thông tin nhân khẩu.');
            list.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="Chưa có nhân khẩu. Hãy nhập danh sách nhân khẩu." />
      ) : (
        <table className="console-table">
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col" className="num">
                Năm sinh
              </th>
              <th scope="col">Quan hệ</th>
              <th scope="col">Nhóm đối tượng</th>
              <th scope="col">Điện thoại</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>{p.fullName}</td>
                <td className="num">{p.birthYear ?? '—'}</td>
                <td>{p.relation ?? '—'}</td>
                <td>{p.cdhtGroup ?? '—'}</td>
                <td>{p.phone ?? '—'}</td>
                <td>
                  <button
                    type="button"
                    className="console-btn console-btn-secondary console-btn-small"
                    aria-label={`Sửa ${p.fullName}`}
                    onClick={() => setEditing(p.id)}
                  >
                    Sửa
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Clans({ communeId }: { communeId: string }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const list = useAsync(() => api.clans(communeId), [api, communeId]);
  const [editing, setEditing] = useState<string | 'new'>();
  const clan = list.data?.items.find((c) => c.id === editing);
  return (
    <>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <button type="button" className="console-btn" onClick={() => setEditing('new')}>
          Thêm dòng họ
        </button>
      </div>
      {editing && (
        <EditPanel
          key={editing}
          title={clan ? `Sửa ${clan.name}` : 'Thêm dòng họ'}
          fields={[
            { key: 'name', label: 'Tên dòng họ (chi, nhánh)' },
            { key: 'headName', label: 'Trưởng dòng họ' },
          ]}
          initial={{ name: clan?.name ?? '', headName: clan?.headName ?? '' }}
          saveLabel={clan ? 'Lưu' : 'Thêm'}
          onSave={async (v) => {
            if (clan)
              await api.patchClan(clan.id, {
                name: v.name!.trim(),
                headName: v.headName!.trim(),
                version: clan.version,
              });
            else await api.createClan({ communeId, name: v.name!.trim(), headName: v.headName!.trim() });
            notify.success('Đã lưu dòng họ.');
            list.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="Chưa có dòng họ." />
      ) : (
        <section className="console-panel" aria-label="Danh sách dòng họ">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">Dòng họ</th>
                <th scope="col">Trưởng dòng họ</th>
                <th scope="col" className="num">
                  Số hộ
                </th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.headName || '—'}</td>
                  <td className="num">{n(c.householdCount)}</td>
                  <td>
                    <button
                      type="button"
                      className="console-btn console-btn-secondary console-btn-small"
                      aria-label={`Sửa ${c.name}`}
                      onClick={() => setEditing(c.id)}
                    >
                      Sửa
                    </button>
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

function Units({ communeId }: { communeId: string }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const list = useAsync(() => api.orgUnits(communeId), [api, communeId]);
  const [editing, setEditing] = useState<string | 'new'>();
  const unit = list.data?.items.find((c) => c.id === editing);
  const types = Object.entries(UNIT_TYPE_LABELS) as [OrgUnit['type'], string][];
  return (
    <>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <button type="button" className="console-btn" onClick={() => setEditing('new')}>
          Thêm đơn vị
        </button>
      </div>
      {editing && (
        <EditPanel
          key={editing}
          title={unit ? `Sửa ${unit.name}` : 'Thêm đơn vị (trường, cơ quan, hợp tác xã…)'}
          fields={[
            { key: 'name', label: 'Tên đơn vị' },
            { key: 'type', label: 'Loại', type: 'select', options: types },
            { key: 'headName', label: 'Thủ trưởng' },
            { key: 'staffCount', label: 'Số cán bộ, người lao động', type: 'number' },
          ]}
          initial={{
            name: unit?.name ?? '',
            type: unit?.type ?? 'school',
            headName: unit?.headName ?? '',
            staffCount: String(unit?.staffCount ?? 0),
          }}
          saveLabel={unit ? 'Lưu' : 'Thêm'}
          onSave={async (v) => {
            const body = {
              name: v.name!.trim(),
              type: v.type as OrgUnit['type'],
              headName: v.headName!.trim(),
            };
            if (unit)
              await api.patchOrgUnit(unit.id, { ...body, staffCount: Number(v.staffCount), version: unit.version });
            else await api.createOrgUnit({ communeId, ...body });
            notify.success('Đã lưu đơn vị.');
            list.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="Chưa có đơn vị." />
      ) : (
        <section className="console-panel" aria-label="Danh sách đơn vị">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col">Loại</th>
                <th scope="col">Thủ trưởng</th>
                <th scope="col" className="num">
                  Cán bộ, người lao động
                </th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{UNIT_TYPE_LABELS[u.type]}</td>
                  <td>{u.headName || '—'}</td>
                  <td className="num">{n(u.staffCount)}</td>
                  <td>
                    <button
                      type="button"
                      className="console-btn console-btn-secondary console-btn-small"
                      aria-label={`Sửa ${u.name}`}
                      onClick={() => setEditing(u.id)}
                    >
                      Sửa
                    </button>
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

function Places({ communeId }: { communeId: string }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const tree = useAsync(async () => {
    const hamlets = (await api.units(communeId)).filter((h) => !h.effectiveTo);
    const groups = await Promise.all(hamlets.map((h) => api.units(h.id)));
    return hamlets.map((h, i) => ({ hamlet: h, groups: groups[i]!.filter((g) => !g.effectiveTo) }));
  }, [api, communeId]);
  const [editing, setEditing] = useState<{ unit?: AdminUnit; parentId: string; level: 'hamlet' | 'group' }>();
  return (
    <>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <button
          type="button"
          className="console-btn"
          onClick={() => setEditing({ parentId: communeId, level: 'hamlet' })}
        >
          Thêm ấp
        </button>
      </div>
      {editing && (
        <EditPanel
          key={editing.unit?.id ?? `${editing.parentId}:${editing.level}`}
          title={editing.unit ? `Đổi tên ${editing.unit.name}` : editing.level === 'hamlet' ? 'Thêm ấp' : 'Thêm tổ'}
          fields={[{ key: 'name', label: 'Tên' }]}
          initial={{ name: editing.unit?.name ?? '' }}
          saveLabel={editing.unit ? 'Lưu' : 'Thêm'}
          onSave={async (v) => {
            if (editing.unit) await api.renameUnit(editing.unit.id, v.name!.trim());
            else await api.createUnit({ level: editing.level, parentId: editing.parentId, name: v.name!.trim() });
            notify.success('Đã lưu.');
            tree.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {tree.error && !tree.data ? (
        <ErrorState error={tree.error} onRetry={tree.reload} />
      ) : !tree.data ? (
        <LoadingState />
      ) : tree.data.length === 0 ? (
        <EmptyState title="Xã chưa có ấp. Nhập danh sách hộ sẽ tạo ấp và tổ." />
      ) : (
        <section className="console-panel" aria-label="Ấp và tổ">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">Ấp</th>
                <th scope="col">Tổ nhân dân tự quản</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {tree.data.map(({ hamlet, groups }) => (
                <tr key={hamlet.id}>
                  <td>{hamlet.name}</td>
                  <td>
                    <div className="console-row" style={{ gap: 6 }}>
                      {groups.map((g) => (
                        <button
                          key={g.id}
                          type="button"
                          className="console-btn console-btn-secondary console-btn-small"
                          aria-label={`Đổi tên ${g.name} ấp ${hamlet.name}`}
                          onClick={() => setEditing({ unit: g, parentId: hamlet.id, level: 'group' })}
                        >
                          {g.name}
                        </button>
                      ))}
                    </div>
                  </td>
                  <td>
                    <div className="console-row" style={{ gap: 6 }}>
                      <button
                        type="button"
                        className="console-btn console-btn-secondary console-btn-small"
                        aria-label={`Đổi tên ấp ${hamlet.name}`}
                        onClick={() => setEditing({ unit: hamlet, parentId: communeId, level: 'hamlet' })}
                      >
                        Đổi tên
                      </button>
                      <button
                        type="button"
                        className="console-btn console-btn-secondary console-btn-small"
                        aria-label={`Thêm tổ vào ấp ${hamlet.name}`}
                        onClick={() => setEditing({ parentId: hamlet.id, level: 'group' })}
                      >
                        Thêm tổ
                      </button>
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
