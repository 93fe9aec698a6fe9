import { useState } from 'react';
import { ROLE_LABELS } from '@hoctap/shared';
import { EmptyState, ErrorState, InlineError, LoadingState, errorMessage } from '../components/screen.tsx';
import { ConfirmDialog, useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { formatDate } from '../services/format.ts';
import type { Me } from '../services/types.ts';
import type { AdminUnit, Role, RoleAssignmentRow, UserCandidate } from './api.ts';
import { communeOf, isAdminUser, provinceOf } from './nav.ts';
import { Field, useConsoleApi } from './ui.tsx';

/** Which roles this screen appoints, and at which level: an officer tổ leaders and hamlet heads. */
const OFFICER_ROLES: Role[] = ['leader', 'hamlet_head'];
const ADMIN_ROLES: Role[] = ['officer', 'province_viewer', 'admin'];
const LEVEL_OF: Record<Role, AdminUnit['level']> = {
  leader: 'group',
  hamlet_head: 'hamlet',
  officer: 'commune',
  province_viewer: 'province',
  admin: 'province',
};

interface Place {
  id: string;
  level: AdminUnit['level'];
  label: string;
}

/**
 * Appoint and revoke: an officer names tổ leaders and hamlet heads of the commune; an admin names
 * commune officers and province viewers. The account is picked from those the server lets the
 * caller see (GET /users: accounts tied to the commune; an admin: every account).
 */
export default function RolesScreen({ me, admin: adminMenu = false }: { me: Me; admin?: boolean }) {
  const api = useConsoleApi();
  const commune = communeOf(me);
  // The admin's menu item, or an admin without a commune: an admin who is also a commune's
  // officer reaches the officer's appointments from the officer's menu item.
  const admin = isAdminUser(me) && (adminMenu || !commune);
  const province = provinceOf(me);
  const roles = admin ? ADMIN_ROLES : OFFICER_ROLES;
  const scopeUnit = admin ? province?.unitId : commune?.unitId;

  const places = useAsync(async (): Promise<Place[]> => {
    if (!scopeUnit) return [];
    if (admin) {
      const communes = await api.units(scopeUnit);
      return [
        { id: scopeUnit, level: 'province', label: province?.unitName ?? 'Tỉnh' },
        ...communes.filter((c) => !c.effectiveTo).map((c) => ({ id: c.id, level: c.level, label: c.name })),
      ];
    }
    const hamlets = (await api.units(scopeUnit)).filter((h) => !h.effectiveTo);
    const groups = await Promise.all(hamlets.map((h) => api.units(h.id)));
    return hamlets.flatMap((h, i) => [
      { id: h.id, level: h.level, label: `Ấp ${h.name.replace(/^(Ấp|ấp)\s+/, '')}` },
      ...groups[i]!.filter((g) => !g.effectiveTo).map((g) => ({
        id: g.id,
        level: g.level,
        label: `${g.name} — ấp ${h.name.replace(/^(Ấp|ấp)\s+/, '')}`,
      })),
    ]);
  }, [api, scopeUnit, admin]);
  const list = useAsync(() => api.roleAssignments(), [api]);

  if (!scopeUnit) return <EmptyState title="Tài khoản chưa được giao phụ trách đơn vị nào." />;
  const rows = (list.data ?? []).filter((r) => roles.includes(r.role));
  return (
    <>
      <h1 className="console-h1">{admin ? 'Bổ nhiệm cán bộ' : 'Phân công tổ trưởng, trưởng ấp'}</h1>
      {places.data ? (
        <AppointForm
          roles={roles}
          places={places.data}
          communeId={admin ? undefined : scopeUnit}
          onDone={list.reload}
        />
      ) : places.error ? (
        <ErrorState error={places.error} onRetry={places.reload} />
      ) : (
        <LoadingState label="Đang tải ấp, tổ…" />
      )}
      <section className="console-panel" aria-labelledby="roles-h">
        <h2 className="console-h2" id="roles-h">
          Đang giữ vai trò
        </h2>
        {list.error && !list.data ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.data ? (
          <LoadingState />
        ) : rows.length === 0 ? (
          <EmptyState title="Chưa phân công ai." />
        ) : (
          <RoleTable rows={rows} places={places.data ?? []} onChanged={list.reload} />
        )}
      </section>
    </>
  );
}

function AppointForm({
  roles,
  places,
  communeId,
  onDone,
}: {
  roles: Role[];
  places: Place[];
  communeId: string | undefined;
  onDone: () => void;
}) {
  const api = useConsoleApi();
  const notify = useNotify();
  const [role, setRole] = useState<Role>(roles[0]!);
  const fitting = places.filter((p) => p.level === LEVEL_OF[role] || (role === 'leader' && p.level === 'hamlet'));
  const [placeId, setPlaceId] = useState('');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<UserCandidate[]>();
  const [user, setUser] = useState<UserCandidate>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const place = fitting.find((p) => p.id === placeId) ?? fitting[0];

  const search = async () => {
    setError(undefined);
    try {
      setFound(await api.users({ ...(communeId ? { communeId } : {}), ...(q.trim() ? { q: q.trim() } : {}) }));
    } catch (err) {
      setError(err);
    }
  };
  const appoint = async () => {
    if (!user || !place) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.grantRole({ userId: user.id, role, unitId: place.id });
      notify.success(`Đã giao ${ROLE_LABELS[role]} ${place.label} cho ${user.displayName}.`);
      setUser(undefined);
      setFound(undefined);
      setQ('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="console-panel" aria-labelledby="appoint-h">
      <h2 className="console-h2" id="appoint-h">
        Bổ nhiệm
      </h2>
      <div className="console-row">
        <Field label="Vai trò">
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tại">
          <select value={place?.id ?? ''} onChange={(e) => setPlaceId(e.target.value)}>
            {fitting.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tìm tài khoản (tên hoặc số điện thoại)">
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void search()}
          />
        </Field>
        <button type="button" className="console-btn console-btn-secondary" onClick={() => void search()}>
          Tìm
        </button>
      </div>
      <p className="console-muted" style={{ marginTop: 8 }}>
        {communeId
          ? 'Danh sách gồm tài khoản đã liên kết với hộ hoặc nhân khẩu của xã (đã nhập mã mời) và người đang giữ vai trò trong xã.'
          : 'Người được bổ nhiệm cần đăng nhập một lần trước để có tài khoản.'}
      </p>
      <InlineError error={error} />
      {found && (
        <div className="console-table-wrap" style={{ marginTop: 8 }}>
          {found.length === 0 ? (
            <EmptyState title="Không tìm thấy tài khoản nào." />
          ) : (
            <table className="console-table">
              <caption className="console-muted" style={{ textAlign: 'left' }}>
                Chọn người được bổ nhiệm
              </caption>
              <thead>
                <tr>
                  <th scope="col">Chọn</th>
                  <th scope="col">Tài khoản</th>
                  <th scope="col">Hộ / nhân khẩu</th>
                  <th scope="col">Điện thoại</th>
                </tr>
              </thead>
              <tbody>
                {found.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <input
                        type="radio"
                        name="appoint-user"
                        aria-label={`Chọn ${u.displayName}`}
                        checked={user?.id === u.id}
                        onChange={() => setUser(u)}
                      />
                    </td>
                    <td>{u.displayName}</td>
                    <td>{u.householdLabel ?? u.personName ?? '—'}</td>
                    <td>{u.phone ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <div className="console-row" style={{ marginTop: 12 }}>
        <button type="button" className="console-btn" disabled={!user || !place || busy} onClick={() => void appoint()}>
          {user && place ? `Giao ${ROLE_LABELS[role]} ${place.label} cho ${user.displayName}` : 'Bổ nhiệm'}
        </button>
      </div>
    </section>
  );
}

function RoleTable({ rows, places, onChanged }: { rows: RoleAssignmentRow[]; places: Place[]; onChanged: () => void }) {
  // "Tổ 1 — ấp Tân Lập" rather than the bare "Tổ 1" every ấp has.
  const where = (r: RoleAssignmentRow) => places.find((p) => p.id === r.unitId)?.label ?? r.unitName;
  const api = useConsoleApi();
  const notify = useNotify();
  const [revoking, setRevoking] = useState<RoleAssignmentRow>();
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await api.revokeRole(revoking.id);
      notify.success(`Đã thu hồi vai trò của ${revoking.userDisplayName}.`);
      onChanged();
    } catch (err) {
      notify.error(errorMessage(err));
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };
  return (
    <div className="console-table-wrap">
      <table className="console-table">
        <thead>
          <tr>
            <th scope="col">Nơi</th>
            <th scope="col">Vai trò</th>
            <th scope="col">Người giữ</th>
            <th scope="col">Từ ngày</th>
            <th scope="col">Thao tác</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{where(r)}</td>
              <td>{ROLE_LABELS[r.role]}</td>
              <td>{r.userDisplayName}</td>
              <td>{formatDate(r.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="console-btn console-btn-danger console-btn-small"
                  onClick={() => setRevoking(r)}
                  aria-label={`Thu hồi vai trò ${ROLE_LABELS[r.role]} ${r.unitName} của ${r.userDisplayName}`}
                >
                  Thu hồi
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        visible={!!revoking}
        title="Thu hồi vai trò?"
        description={
          revoking
            ? `${revoking.userDisplayName} sẽ thôi là ${ROLE_LABELS[revoking.role]} ${revoking.unitName} ngay từ lần bấm tiếp theo trên điện thoại.`
            : undefined
        }
        confirmLabel="Thu hồi"
        danger
        busy={busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </div>
  );
}
