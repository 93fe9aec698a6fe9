// Issue 21 on the client: a warm start shows the home kept from last time without waiting for the
// network, and the login list asked for by index.html before the script ran is used, once.
//
// The tests run in order: the first renders the first home of this "start" (services/home-kept.ts
// hands the kept home out once per start), the later ones check what happens after it.
import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { CATALOG_IDS } from '@hoctap/shared/catalog/ids';
import { Profiles } from '../src/pages/home/profiles.tsx';
import { forgetHome, keepHome, takeKeptHome } from '../src/services/home-kept.ts';
import type { HomeData } from '../src/services/home.ts';
import { createApiClient, createEndpoints } from '../src/services/api.ts';
import { useAppStore } from '../src/store.ts';
import type { AssessmentSummary, Campaign } from '../src/services/types.ts';
import { draftAssessment, fakeApi, meFixture, renderWithApi, summaryOf } from './helpers.tsx';

const CAMPAIGN: Campaign = {
  id: '0c5b8a1e-2222-4c2b-9d6e-3f1a2b3c4d5e',
  communeId: 'xa-1',
  year: 2026,
  title: 'Đánh giá danh hiệu học tập năm 2026',
  criteriaSetIds: { ...CATALOG_IDS },
  registrationOpensAt: '2026-01-01T00:00:00Z',
  selfAssessmentDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  verificationDueAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
  recognitionDueAt: '2026-11-15T00:00:00Z',
  reportDueAt: '2026-11-15T00:00:00Z',
  status: 'open',
  reopenedUntil: {},
  settings: {},
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const me = meFixture({
  id: 'u-hoa',
  householdId: 'hh-1',
  household: {
    id: 'hh-1',
    headName: 'Nguyễn Văn Ba',
    address: '',
    hamletName: 'ấp Mỹ Hòa',
    groupName: 'Tổ 1',
    communeId: 'xa-1',
    hamletId: 'ap-1',
    groupId: 'to-1',
  },
});

const kept: HomeData = {
  profiles: [{ subjectType: 'household', subjectId: 'hh-1', name: 'Hộ Nguyễn Văn Ba' }],
  campaign: CAMPAIGN,
  assessments: [summaryOf(draftAssessment({ subjectId: 'hh-1', campaignId: CAMPAIGN.id }))],
} as HomeData;

const never = <T,>() => new Promise<T>(() => undefined);

describe('warm start: the kept home', () => {
  it('shows the cards at once while the network has not answered, then keeps the fresh home', async () => {
    keepHome(me.id, kept);
    let answer!: (c: Campaign[]) => void;
    const campaigns = vi.fn(() => new Promise<Campaign[]>((r) => (answer = r)));
    renderWithApi(
      <Profiles me={me} openAssessment={() => undefined} />,
      fakeApi({
        campaigns,
        assessments: vi.fn(async () => []),
        clans: vi.fn(async () => []),
        orgUnits: vi.fn(async () => []),
      }),
    );
    // No round trip yet: the kept draft's button is there.
    const card = await screen.findByRole('region', { name: 'Gia đình học tập: Hộ Nguyễn Văn Ba' });
    expect(within(card).getByRole('button', { name: 'Tiếp tục tự đánh giá' })).toBeTruthy();
    expect(campaigns).toHaveBeenCalledTimes(1);
    // The fresh answer (no assessment any more) replaces it and is kept for the next start.
    answer([CAMPAIGN]);
    expect(await within(card).findByRole('button', { name: 'Bắt đầu tự đánh giá' })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem('hoctap:home')!)).toMatchObject({
      userId: me.id,
      home: { assessments: [] },
    });
  });

  it('is handed out on the first home of a start only (home after sending a form never flashes old cards)', () => {
    keepHome(me.id, kept);
    expect(takeKeptHome(me.id)).toBeUndefined();
  });

  it("never shows another person's home, and is forgotten on sign-out", () => {
    keepHome('u-other', kept);
    expect(JSON.parse(localStorage.getItem('hoctap:home')!).userId).toBe('u-other');
    useAppStore.getState().signOut();
    expect(localStorage.getItem('hoctap:home')).toBeNull();
    forgetHome(); // nothing kept: no error
  });

  it('without a kept home, the loading state shows until the network answers', async () => {
    renderWithApi(
      <Profiles me={me} openAssessment={() => undefined} />,
      fakeApi({
        campaigns: vi.fn(never<Campaign[]>),
        assessments: vi.fn(never<AssessmentSummary[]>),
        clans: vi.fn(async () => []),
        orgUnits: vi.fn(async () => []),
      }),
    );
    expect(await screen.findByText('Đang tải hồ sơ của bạn…')).toBeTruthy();
  });
});

describe('the login list asked for by index.html', () => {
  const users = [
    {
      id: '1f7a1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      displayName: 'Nguyễn Thị Hoa',
      roleLabel: 'Hộ gia đình',
      unitName: 'Tổ 1',
    },
  ];
  const w = globalThis as { __hoctapDevUsers?: Promise<Response | undefined> };
  const api = (fetchMock: typeof fetch) =>
    createEndpoints(
      createApiClient({
        baseUrl: '',
        fetch: fetchMock,
        getAccessToken: () => null,
        getRefreshToken: () => null,
        onTokens: () => undefined,
        onAuthLost: () => undefined,
        sleep: async () => undefined,
        random: () => 0.5,
      }),
    );

  it('is used once instead of a second request', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ items: users }), { status: 200 }));
    w.__hoctapDevUsers = Promise.resolve(new Response(JSON.stringify({ items: users }), { status: 200 }));
    const endpoints = api(fetchMock as unknown as typeof fetch);
    expect(await endpoints.devUsers()).toEqual(users);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(await endpoints.devUsers()).toEqual(users); // "Thử lại" asks the server
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('anything but a 200 (a 404: demo login off; a dropped link) is asked again through the client', async () => {
    for (const early of [new Response('{}', { status: 404 }), undefined]) {
      const fetchMock = vi.fn(async () => new Response(JSON.stringify({ items: users }), { status: 200 }));
      w.__hoctapDevUsers = Promise.resolve(early);
      expect(await api(fetchMock as unknown as typeof fetch).devUsers()).toEqual(users);
      expect(fetchMock).toHaveBeenCalledTimes(1);
    }
  });
});
