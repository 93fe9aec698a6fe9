import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { subjectHistorySchema } from '@hoctap/shared/api';
import { SubjectHistory } from '../src/components/subject-history.tsx';
import type { Endpoints } from '../src/services/api.ts';
import type { SubjectHistory as History } from '../src/services/history-api.ts';
import { conforming } from './contract.ts';
import { apiError, fakeApi, renderWithApi } from './helpers.tsx';

/* Danh hiệu qua các năm (docs/transparency.md §3) on the result screen and the console. */

const HH = 'd6a4f5e7-4444-4c2b-9d6e-3f1a2b3c4d5e';
const camp = (n: number) => `e7b5a6f8-55${n}5-4c2b-9d6e-3f1a2b3c4d5e`;

function history(years: History['years'], currentRun: number): History {
  return conforming(
    subjectHistorySchema,
    { subjectType: 'household', subjectId: HH, name: 'Hộ Nguyễn Văn An', currentRun, years },
    'history()',
  );
}

const FIVE_YEARS: History['years'] = [
  { year: 2026, campaignId: camp(6), communeName: 'Xã Mỹ Hòa', state: 'in_progress', decision: null },
  {
    year: 2025,
    campaignId: camp(5),
    communeName: 'Xã Mỹ Hòa',
    state: 'recognised',
    decision: { number: '225/QĐ-UBND', decidedOn: '2025-11-10' },
  },
  {
    year: 2024,
    campaignId: camp(4),
    communeName: 'Xã Mỹ An',
    state: 'recognised',
    decision: { number: '224/QĐ-UBND', decidedOn: '2024-11-10' },
  },
  { year: 2023, campaignId: camp(3), communeName: 'Xã Mỹ An', state: 'not_assessed', decision: null },
  {
    year: 2022,
    campaignId: camp(2),
    communeName: 'Xã Mỹ An',
    state: 'not_recognised',
    decision: { number: '122/QĐ-UBND', decidedOn: '2022-11-10' },
  },
];

function withHistory(subject: Endpoints['history']['subject']): Endpoints {
  const api = fakeApi();
  return { ...api, history: { ...api.history, subject } };
}

describe('SubjectHistory', () => {
  it('lists the years newest first with state, decision and the commune before the merger', async () => {
    const subject = vi.fn(async () => history(FIVE_YEARS, 2));
    renderWithApi(<SubjectHistory subjectType="household" subjectId={HH} />, withHistory(subject));
    const section = await screen.findByRole('region', { name: 'Danh hiệu qua các năm' });
    expect(subject).toHaveBeenCalledWith('household', HH);
    const items = within(section).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.subject-history-when')?.textContent)).toEqual([
      'Năm 2026',
      'Năm 2025',
      'Năm 2024',
      'Năm 2023',
      'Năm 2022',
    ]);
    expect(items[0]!.textContent).toContain('Đang đánh giá (tạm thời)');
    expect(items[1]!.textContent).toContain('Được công nhận');
    expect(items[1]!.textContent).toContain('Quyết định số 225/QĐ-UBND ngày 10/11/2025');
    expect(items[1]!.textContent).not.toContain('trước sáp nhập');
    expect(items[2]!.textContent).toContain('Xã Mỹ An (trước sáp nhập)');
    expect(items[3]!.textContent).toContain('Không đánh giá');
    expect(items[4]!.textContent).toContain('Không được công nhận');
    expect(section!.textContent).toContain('Đã giữ danh hiệu 2 năm liên tục');
  });

  it('shows nothing in a first year (no earlier year to tell)', async () => {
    const subject = vi.fn(async () => history([FIVE_YEARS[0]!], 0));
    const { container } = renderWithApi(
      <SubjectHistory subjectType="household" subjectId={HH} />,
      withHistory(subject),
    );
    await waitFor(() => expect(subject).toHaveBeenCalled());
    await act(async () => {});
    expect(container.innerHTML).toBe('');
  });

  it('offers a retry when the history cannot be loaded', async () => {
    const subject = vi
      .fn<Endpoints['history']['subject']>()
      .mockRejectedValueOnce(apiError(503))
      .mockResolvedValueOnce(history(FIVE_YEARS, 2));
    renderWithApi(
      <SubjectHistory subjectType="household" subjectId={HH} title="Danh hiệu của hộ qua các năm" />,
      withHistory(subject),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Thử lại' }));
    expect(await screen.findByRole('region', { name: 'Danh hiệu của hộ qua các năm' })).toBeTruthy();
    expect(subject).toHaveBeenCalledTimes(2);
  });
});
