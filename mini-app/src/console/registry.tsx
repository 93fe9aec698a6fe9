import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../components/screen.tsx';
import { useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import type { Me } from '../services/types.ts';
import type { AdminUnit, Clan, Household, OrgUnit } from './api.ts';
import { EditableList, EditPanel } from './edit-panel.tsx';
import { UnitStaff } from './unit-staff.tsx';
import { communeOf } from './nav.ts';
import { Field, n, orNull, useConsoleApi } from './ui.tsx';
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

/** The commune's own "mã hộ" (stored as the import key "ma:<code>"); a derived key is not a code. */
const householdCode = (h: Household) => (h.externalKey?.startsWith('ma:') ? h.externalKey.slice(3).toUpperCase() : '—');

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
  return (
    <EditableList<Clan>
      list={list}
      label="Danh sách dòng họ"
      addLabel="Thêm dòng họ"
      empty="Chưa có dòng họ."
      rowName={(c) => c.name}
      columns={[
        { header: 'Dòng họ', cell: (c) => c.name },
        { header: 'Trưởng dòng họ', cell: (c) => c.headName || '—' },
        { header: 'Số hộ', num: true, cell: (c) => n(c.householdCount) },
      ]}
      form={{
        title: (c) => (c ? `Sửa ${c.name}` : 'Thêm dòng họ'),
        fields: [
          { key: 'name', label: 'Tên dòng họ (chi, nhánh)' },
          { key: 'headName', label: 'Trưởng dòng họ' },
        ],
        initial: (c) => ({ name: c?.name ?? '', headName: c?.headName ?? '' }),
        save: async (v, clan) => {
          const body = { name: v.name!.trim(), headName: v.headName!.trim() };
          if (clan) await api.patchClan(clan.id, { ...body, version: clan.version });
          else await api.createClan({ communeId, ...body });
          notify.success('Đã lưu dòng họ.');
          list.reload();
        },
      }}
    />
  );
}

function Units({ communeId }: { communeId: string }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const list = useAsync(() => api.orgUnits(communeId), [api, communeId]);
  const [staffOf, setStaffOf] = useState<OrgUnit>();
  const types = Object.entries(UNIT_TYPE_LABELS) as [OrgUnit['type'], string][];
  return (
    <>
      {staffOf && (
        <UnitStaff key={staffOf.id} unit={staffOf} onChanged={list.reload} onClose={() => setStaffOf(undefined)} />
      )}
      <EditableList<OrgUnit>
        list={list}
        label="Danh sách đơn vị"
        addLabel="Thêm đơn vị"
        empty="Chưa có đơn vị."
        rowName={(u) => u.name}
        columns={[
          { header: 'Đơn vị', cell: (u) => u.name },
          { header: 'Loại', cell: (u) => UNIT_TYPE_LABELS[u.type] },
          { header: 'Thủ trưởng', cell: (u) => u.headName || '—' },
          { header: 'Cán bộ, người lao động', num: true, cell: (u) => n(u.staffCount) },
        ]}
        actions={(u) => (
          <button
            type="button"
            className="console-btn console-btn-secondary console-btn-small"
            aria-label={`Danh sách cán bộ của ${u.name}`}
            onClick={() => setStaffOf(u)}
          >
            Cán bộ
          </button>
        )}
        form={{
          title: (u) => (u ? `Sửa ${u.name}` : 'Thêm đơn vị (trường, cơ quan, hợp tác xã…)'),
          fields: [
            { key: 'name', label: 'Tên đơn vị' },
            { key: 'type', label: 'Loại', type: 'select', options: types },
            { key: 'headName', label: 'Thủ trưởng' },
            { key: 'staffCount', label: 'Số cán bộ, người lao động', type: 'number' },
          ],
          initial: (u) => ({
            name: u?.name ?? '',
            type: u?.type ?? 'school',
            headName: u?.headName ?? '',
            staffCount: String(u?.staffCount ?? 0),
          }),
          save: async (v, unit) => {
            const body = { name: v.name!.trim(), type: v.type as OrgUnit['type'], headName: v.headName!.trim() };
            if (unit)
              await api.patchOrgUnit(unit.id, { ...body, staffCount: Number(v.staffCount), version: unit.version });
            else await api.createOrgUnit({ communeId, ...body });
            notify.success('Đã lưu đơn vị.');
            list.reload();
          },
        }}
      />
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
