import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { commendationsSchema } from '@hoctap/shared/api';
import { CommendationsPanel, trendOf } from '../src/console/years.tsx';
import type { Endpoints } from '../src/services/api.ts';
import type { Commendations, ReportHistory } from '../src/services/history-api.ts';
import { conforming } from './contract.ts';
import { fakeApi, renderWithApi } from './helpers.tsx';

/* The console's years (docs/transparency.md §4–§5): the trend series and the proposals table. */

const CAMPAIGN = 'f8c6b7a9-6666-4c2b-9d6e-3f1a2b3c4d5e';

describe('trendOf', () => {
  it('gives one line per title, one point per year, null where a year has no campaign or no figure', () => {
    const title = (subjectType: 'household' | 'citizen', share: number | null) => ({ subjectType, share });
    const h = {
      years: [
        { year: 2023, campaignIds: [], titles: [title('household', 0)] },
        { year: 2024, campaignIds: ['c24'], titles: [title('household', 0.5)] },
        { year: 2025, campaignIds: ['c25'], titles: [title('household', 0.625), title('citizen', null)] },
        { year: 2026, campaignIds: ['c26'], titles: [title('household', 0.7), title('citizen', 0.25)] },
      ],
    } as unknown as ReportHistory;
    expect(trendOf(h)).toEqual({
      years: [2023, 2024, 2025, 2026],
      titles: [
        { subjectType: 'household', shares: [null, 0.5, 0.625, 0.7] },
        { subjectType: 'citizen', shares: [null, null, null, 0.25] },
      ],
    });
  });
});

describe('CommendationsPanel', () => {
  it('lists the proposals with the honour, the run and "Tạm thời" before the decision', async () => {
    const data: Commendations = conforming(
      commendationsSchema,
      {
        campaignId: CAMPAIGN,
        year: 2026,
        communeName: 'Xã Mỹ Hòa',
        rules: [
          { subjectType: 'citizen', years: 5, source: 'criteria', honour: 'Công dân học tập tiêu biểu xuất sắc' },
          { subjectType: 'household', years: 5, source: 'default', honour: null },
        ],
        items: [
          {
            assessmentId: '0a1b2c3d-7777-4c2b-9d6e-3f1a2b3c4d5e',
            subjectType: 'citizen',
            subjectId: '1a1b2c3d-7777-4c2b-9d6e-3f1a2b3c4d5e',
            name: 'Lê Thị Hoa',
            hamletName: 'Mỹ Phú',
            title: 'Công dân học tập',
            honour: 'Công dân học tập tiêu biểu xuất sắc',
            consecutiveYears: 5,
            years: [2022, 2023, 2024, 2025, 2026],
            provisional: false,
          },
          {
            assessmentId: '2a1b2c3d-7777-4c2b-9d6e-3f1a2b3c4d5e',
            subjectType: 'household',
            subjectId: '3a1b2c3d-7777-4c2b-9d6e-3f1a2b3c4d5e',
            name: 'Hộ Nguyễn Văn An',
            hamletName: 'Mỹ Phú',
            title: 'Gia đình học tập',
            honour: null,
            consecutiveYears: 6,
            years: [2021, 2022, 2023, 2024, 2025, 2026],
            provisional: true,
          },
        ],
      },
      'commendations',
    );
    const api = fakeApi();
    const commendations = vi.fn(async () => data);
    const withData: Endpoints = { ...api, history: { ...api.history, commendations } };
    renderWithApi(<CommendationsPanel campaignId={CAMPAIGN} year={2026} />, withData);
    const rows = await screen.findAllByRole('row');
    expect(commendations).toHaveBeenCalledWith(CAMPAIGN);
    const cells = (i: number) => within(rows[i]!).getAllByRole(i === 0 ? 'columnheader' : 'cell');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('Lê Thị Hoa');
    expect(cells(1).map((c) => c.textContent)).toEqual(['Mỹ Phú', 'Công dân học tập tiêu biểu xuất sắc', '5', '']);
    expect(cells(2).map((c) => c.textContent)).toEqual(['Mỹ Phú', 'Gia đình học tập', '6', 'Tạm thời']);
    expect(screen.getByText(/mọi danh hiệu: 5 năm/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tải danh sách (XLSX)' })).toBeTruthy();
  });
});
