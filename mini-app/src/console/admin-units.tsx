import { useState } from 'react';
import { useNotify } from '../components/feedback.tsx';
import { useAsync } from '../hooks/use-async.ts';
import type { Me } from '../services/types.ts';
import type { AdminUnit } from './api.ts';
import { EditableList, type RowForm } from './edit-panel.tsx';
import { orNull, useConsoleApi } from './ui.tsx';

/**
 * The administrator's provinces and communes: add one, rename it or fix its code. Only an
 * administrator may (the server's rule, UNIT_ADMIN_ONLY); a whole list comes in through
 * "Nhập danh sách tỉnh, xã". Officers are then appointed in "Bổ nhiệm cán bộ".
 */
export default function AdminUnitsScreen({ me }: { me: Me }) {
  const api = useConsoleApi();
  const notify = useNotify();
  const provinces = useAsync(
    async () => ({ items: (await api.units()).filter((u) => u.level === 'province' && !u.effectiveTo) }),
    [api],
  );
  const [provinceId, setProvinceId] = useState<string>();
  const province =
    provinces.data?.items.find((p) => p.id === provinceId) ??
    provinces.data?.items.find((p) => me.roles.some((r) => r.unitId === p.id)) ??
    provinces.data?.items[0];
  const communes = useAsync(
    async () => ({ items: province ? (await api.units(province.id)).filter((c) => !c.effectiveTo) : [] }),
    [api, province?.id],
  );
  const form = (level: 'province' | 'commune', reload: () => void): RowForm<AdminUnit> => ({
    title: (u) =>
      u ? `Sửa ${u.name}` : level === 'province' ? 'Thêm tỉnh, thành phố' : `Thêm xã vào ${province?.name}`,
    fields: [
      { key: 'name', label: level === 'province' ? 'Tên tỉnh (ví dụ: Tỉnh Đồng Tháp)' : 'Tên xã (ví dụ: Xã Mỹ Hòa)' },
      { key: 'code', label: 'Mã đơn vị hành chính (chữ số)' },
    ],
    initial: (u) => ({ name: u?.name ?? '', code: u?.code ?? '' }),
    save: async (v, u) => {
      const code = orNull(v.code);
      if (u) await api.renameUnit(u.id, v.name!.trim(), code);
      else
        await api.createUnit({
          level,
          parentId: level === 'province' ? null : province!.id,
          name: v.name!.trim(),
          code,
        });
      notify.success('Đã lưu.');
      reload();
    },
  });
  const columns = [
    { header: 'Tên', cell: (u: AdminUnit) => u.name },
    { header: 'Mã', cell: (u: AdminUnit) => u.code ?? '—' },
  ];
  return (
    <>
      <h1 className="console-h1">Tỉnh, xã</h1>
      <p className="console-muted" style={{ marginBottom: 16 }}>
        Thêm từng tỉnh, xã ở đây; nhiều xã một lúc thì dùng “Nhập danh sách tỉnh, xã”. Sau đó bổ nhiệm cán bộ xã ở “Bổ
        nhiệm cán bộ”.
      </p>
      <h2 className="console-h2">Tỉnh, thành phố</h2>
      <EditableList<AdminUnit>
        list={provinces}
        label="Danh sách tỉnh"
        addLabel="Thêm tỉnh"
        empty="Chưa có tỉnh nào."
        rowName={(u) => u.name}
        columns={columns}
        actions={(u) => (
          <button
            type="button"
            className="console-btn console-btn-secondary console-btn-small"
            aria-label={`Xem các xã của ${u.name}`}
            aria-pressed={u.id === province?.id}
            onClick={() => setProvinceId(u.id)}
          >
            Các xã
          </button>
        )}
        form={form('province', provinces.reload)}
      />
      {province && (
        <>
          <h2 className="console-h2" style={{ marginTop: 20 }}>
            Các xã của {province.name}
          </h2>
          <EditableList<AdminUnit>
            key={province.id}
            list={communes}
            label={`Các xã của ${province.name}`}
            addLabel="Thêm xã"
            empty="Tỉnh chưa có xã nào."
            rowName={(u) => u.name}
            columns={columns}
            form={form('commune', communes.reload)}
          />
        </>
      )}
    </>
  );
}
