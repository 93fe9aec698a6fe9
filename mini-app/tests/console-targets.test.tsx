import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { targetsSchema, type TargetsDto } from '@hoctap/shared/api';
import { TargetsForm } from '../src/console/targets.tsx';
import { parsePercent, percentInput } from '../src/console/percent.ts';
import { conforming } from './contract.ts';
import { apiError } from './helpers.tsx';

const UNIT = '0b7e7f8e-3c1a-4c57-9a43-5f0d7c2b9a11';
const row = (
  indicator: TargetsDto['targets'][number]['indicator'],
  label: string,
  share: number,
  national: number,
) => ({
  indicator,
  label,
  share,
  source: 'default' as const,
  sourceLabel: 'Kế hoạch 415/KH-UBND (2024)',
  preset: 'plan-415' as const,
  national,
});
const data: TargetsDto = conforming(
  targetsSchema,
  {
    unitId: UNIT,
    unitName: 'Xã Mỹ Hòa',
    year: 2026,
    targets: [
      {
        ...row('households_gdht', 'Tỷ lệ hộ đạt Gia đình học tập', 0.775, 0.7),
        source: 'commune',
        sourceLabel: 'Xã Mỹ Hòa, năm 2026',
      },
      row('clans_dhht', 'Tỷ lệ dòng họ đạt Dòng họ học tập', 0.8, 0.65),
      row('units_dvht', 'Tỷ lệ đơn vị đạt Đơn vị học tập', 0.9, 0.8),
    ],
  },
  'targets fixture',
);
const box = (label: string) => screen.getByLabelText(`Mức riêng của xã (%): ${label}`) as HTMLInputElement;

describe('percent with a decimal comma', () => {
  it('reads Vietnamese percentages and refuses the rest with a Vietnamese reason', () => {
    expect(parsePercent('77,5')).toEqual({ ok: true, share: 0.775 });
    expect(parsePercent(' 85 % ')).toEqual({ ok: true, share: 0.85 });
    expect(parsePercent('0,5')).toEqual({ ok: true, share: 0.005 });
    expect(parsePercent('100')).toEqual({ ok: true, share: 1 });
    expect(parsePercent('')).toEqual({ ok: true, share: null });
    expect(parsePercent('77.5')).toEqual({ ok: false, message: 'Dùng dấu phẩy cho phần thập phân, ví dụ 77,5.' });
    expect(parsePercent('100,5')).toEqual({ ok: false, message: 'Tỷ lệ không được lớn hơn 100 %.' });
    expect(parsePercent('77,55')).toEqual({ ok: false, message: 'Chỉ nhập tối đa một chữ số sau dấu phẩy.' });
    expect(parsePercent('-5')).toEqual({ ok: false, message: 'Nhập một số phần trăm, ví dụ 85 hoặc 77,5.' });
    expect(parsePercent('bảy mươi')).toMatchObject({ ok: false });
    expect(percentInput(0.775)).toBe('77,5');
    expect(percentInput(0.7)).toBe('70');
    expect(percentInput(null)).toBe('');
  });
});

describe('targets form', () => {
  it('shows the effective shares with a decimal comma and only the commune’s own value in its box', () => {
    render(<TargetsForm data={data} level="commune" canWrite onSave={vi.fn()} />);
    expect(screen.getByText('77,5 %')).toBeTruthy();
    expect(box('Tỷ lệ hộ đạt Gia đình học tập').value).toBe('77,5');
    expect(box('Tỷ lệ dòng họ đạt Dòng họ học tập').value).toBe('');
  });

  it('saves parsed shares (blank clears) and blocks wrong values with messages by the box', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<TargetsForm data={data} level="commune" canWrite onSave={onSave} />);
    fireEvent.change(box('Tỷ lệ dòng họ đạt Dòng họ học tập'), { target: { value: '82.5' } });
    fireEvent.change(box('Tỷ lệ đơn vị đạt Đơn vị học tập'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await screen.findByText('Có 2 ô chưa đúng. Hãy sửa rồi lưu lại.');
    expect(screen.getByText('Dùng dấu phẩy cho phần thập phân, ví dụ 77,5.')).toBeTruthy();
    expect(screen.getByText('Tỷ lệ không được lớn hơn 100 %.')).toBeTruthy();
    expect(box('Tỷ lệ đơn vị đạt Đơn vị học tập').getAttribute('aria-invalid')).toBe('true');
    expect(onSave).not.toHaveBeenCalled();

    fireEvent.change(box('Tỷ lệ dòng họ đạt Dòng họ học tập'), { target: { value: '82,5' } });
    fireEvent.change(box('Tỷ lệ đơn vị đạt Đơn vị học tập'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave).toHaveBeenCalledWith([
      { indicator: 'households_gdht', share: 0.775 },
      { indicator: 'clans_dhht', share: 0.825 },
      { indicator: 'units_dvht', share: null },
    ]);
    expect(screen.queryByText(/ô chưa đúng/)).toBeNull();
  });

  it('fills every box with the QĐ 387 bar', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<TargetsForm data={data} level="commune" canWrite onSave={onSave} />);
    fireEvent.click(screen.getByRole('button', { name: 'Điền theo QĐ 387' }));
    expect(box('Tỷ lệ hộ đạt Gia đình học tập').value).toBe('70');
    expect(box('Tỷ lệ dòng họ đạt Dòng họ học tập').value).toBe('65');
    fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith([
        { indicator: 'households_gdht', share: 0.7 },
        { indicator: 'clans_dhht', share: 0.65 },
        { indicator: 'units_dvht', share: 0.8 },
      ]),
    );
  });

  it('shows the server’s refusal in Vietnamese', async () => {
    const onSave = vi.fn(async () => {
      throw apiError(404, 'Bạn không có quyền đặt chỉ tiêu cho đơn vị này.');
    });
    render(<TargetsForm data={data} level="commune" canWrite onSave={onSave} />);
    fireEvent.click(screen.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    await screen.findByText(/không có quyền đặt chỉ tiêu/);
  });

  it('is read-only for a province viewer', () => {
    render(
      <TargetsForm data={{ ...data, unitName: 'Tỉnh Đồng Tháp' }} level="province" canWrite={false} onSave={vi.fn()} />,
    );
    expect(
      (screen.getByLabelText('Mức của tỉnh (%): Tỷ lệ hộ đạt Gia đình học tập') as HTMLInputElement).disabled,
    ).toBe(true);
    expect(screen.queryByRole('button', { name: 'Lưu chỉ tiêu' })).toBeNull();
    expect(screen.getByText('Chỉ quản trị hệ thống mới đặt được chỉ tiêu của tỉnh.')).toBeTruthy();
  });
});
