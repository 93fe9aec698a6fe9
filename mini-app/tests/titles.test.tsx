import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CATALOG_IDS, requireCatalogSet } from '@hoctap/shared/catalog';
import { AssessmentWizard } from '../src/pages/wizard/wizard.tsx';
import { ProfileCard, Profiles } from '../src/pages/home/profiles.tsx';
import { HamletReview } from '../src/pages/hamlet/review.tsx';
import { bandRange } from '../src/components/band-preview.tsx';
import { draftAssessment, evidence, fakeApi, renderWithApi, confirmIn, summaryOf } from './helpers.tsx';
import type { AnswerDto, AssessmentSummary, Campaign, Me } from '../src/services/types.ts';

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
const photoSeams = {
  pick: async () => [{ blob: new Blob(['x'], { type: 'image/jpeg' }), name: 'a.jpg' }],
  prepare: async (b: Blob) => b,
};
const answers = (points: Record<string, number>): AnswerDto[] =>
  Object.entries(points).map(([indicatorCode, p]) => ({
    indicatorCode,
    points: p,
    note: null,
    reason: null,
    updatedAt: '2026-11-23T08:00:00Z',
  }));

function wizard(setId: string, overrides: Parameters<typeof draftAssessment>[0]) {
  const set = requireCatalogSet(setId);
  const api = fakeApi({
    saveAnswer: vi.fn(async () => ({})),
    uploadEvidence: vi.fn(async (_id: string, code: string) => evidence(`e-${code}`, code)),
  });
  renderWithApi(
    <AssessmentWizard
      set={set}
      assessment={draftAssessment({ criteriaSetId: setId, ...overrides })}
      onExit={() => undefined}
      onSubmitted={() => undefined}
      photo={photoSeams}
    />,
    api,
  );
  return api;
}

describe('Công dân học tập', () => {
  it('asks for the subject group before registering and sends it', async () => {
    const createAssessment = vi.fn(async (a: { id: string }) => summaryOf(draftAssessment({ id: a.id })));
    const openAssessment = vi.fn();
    const me: Me = {
      id: 'u-khoa',
      displayName: 'Lê Minh Khoa',
      roles: [],
      householdId: null,
      personId: 'p-khoa',
      phone: null,
      household: null,
      consents: { evaluation: true, photos: true, notifications: false },
    };
    renderWithApi(
      <ProfileCard
        profile={{ subjectType: 'citizen', subjectId: 'p-khoa', name: 'Lê Minh Khoa' }}
        me={me}
        campaign={CAMPAIGN}
        assessment={undefined}
        openAssessment={openAssessment}
      />,
      fakeApi({ createAssessment }),
    );
    const picker = screen.getByRole('group', { name: 'Bạn thuộc nhóm đối tượng nào?' });
    expect(within(picker).getAllByRole('radio')).toHaveLength(4);
    fireEvent.click(screen.getByRole('button', { name: 'Bắt đầu tự đánh giá' }));
    expect(screen.getByRole('alert').textContent).toBe('Hãy chọn nhóm đối tượng trước khi bắt đầu.');
    expect(createAssessment).not.toHaveBeenCalled();

    fireEvent.click(within(picker).getByLabelText('Nông dân, lao động nông thôn'));
    fireEvent.click(screen.getByRole('button', { name: 'Bắt đầu tự đánh giá' }));
    await waitFor(() => expect(openAssessment).toHaveBeenCalled());
    expect(createAssessment).toHaveBeenCalledWith(
      expect.objectContaining({
        campaignId: CAMPAIGN.id,
        subjectType: 'citizen',
        subjectId: 'p-khoa',
        subjectGroup: 'nong-dan',
      }),
    );
  });

  it('scores the group form live: a point under 5 is a reason at once, 80 points and none under 5 pass', () => {
    wizard(CATALOG_IDS.citizen, {
      subjectType: 'citizen',
      subjectId: 'p-khoa',
      subjectName: 'Lê Minh Khoa',
      subjectGroup: 'nong-dan',
    });
    expect(screen.getByText('Nông dân, lao động nông thôn')).toBeTruthy();
    expect(screen.getByText('Chỉ số 1/10')).toBeTruthy();
    expect(screen.getByText('Đạt khi từ 80 điểm trở lên và không chỉ số nào dưới 5 điểm.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '4 điểm' }));
    expect(screen.getByText('Chỉ số 1.1 dưới 5 điểm (mới đạt 4 điểm)')).toBeTruthy();
    expect(screen.getByTestId('verdict-outcome').closest('section')!.className).toContain('verdict-bad');

    fireEvent.click(screen.getByRole('radio', { name: '8 điểm' }));
    expect(screen.queryByText(/Chỉ số 1.1 dưới 5 điểm/)).toBeNull();
    for (let i = 1; i < 10; i++) {
      fireEvent.click(screen.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }));
      fireEvent.click(screen.getByRole('radio', { name: '8 điểm' }));
    }
    expect(screen.getByTestId('verdict-total').textContent).toBe('80/100 điểm');
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Đạt');
  });
});

describe('Dòng họ học tập (conditions)', () => {
  it('Đạt / Chưa đạt update the verdict; the prerequisite is shown in plain words', async () => {
    wizard(CATALOG_IDS.clan, { subjectType: 'clan', subjectId: 'clan-1', subjectName: 'Dòng họ Nguyễn' });
    expect(screen.getByText('Điều kiện 1/4')).toBeTruthy();
    expect(screen.getByText('Dòng họ đã đạt điều kiện này chưa?')).toBeTruthy();
    expect(
      screen.getByText('Ít nhất 50 % hộ trong dòng họ đạt “Gia đình học tập” — xét khi xã công nhận'),
    ).toBeTruthy();
    const pair = screen.getByRole('radiogroup', { name: 'Đạt hay chưa đạt' });
    expect(
      within(pair)
        .getAllByRole('radio')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Đạt', 'Chưa đạt']);
    expect(screen.getByTestId('verdict-total').textContent).toBe('0/4 điều kiện đạt');

    fireEvent.click(screen.getByRole('radio', { name: 'Đạt' }));
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
    await screen.findByText(/cần 1 ảnh, đã có 1/);
    expect(screen.getByTestId('verdict-total').textContent).toBe('1/4 điều kiện đạt');
    for (let i = 1; i < 4; i++) {
      fireEvent.click(screen.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }));
      fireEvent.click(screen.getByRole('radio', { name: 'Đạt' }));
    }
    expect(screen.getByTestId('verdict-total').textContent).toBe('4/4 điều kiện đạt');
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Đạt');

    fireEvent.click(screen.getByRole('radio', { name: 'Chưa đạt' }));
    expect(screen.getByRole('radio', { name: 'Chưa đạt' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Chưa đạt');
    expect(screen.getByText(/^Chưa đạt điều kiện N4:/)).toBeTruthy();
  });
});

describe('Đơn vị học tập (bands)', () => {
  it('previews the band of the points so far and how far the open indicators can lift it', () => {
    const set = requireCatalogSet(CATALOG_IDS.unit);
    const codes = set.criteria.flatMap((c) => c.indicators.map((i) => i.code));
    // Everything answered but 3.4 (10 points): 72 so far → Khá, up to 82 → still Khá.
    const self = answers(
      Object.fromEntries(codes.filter((c) => c !== '3.4').map((c) => [c, c === '2.2' ? 2 : c === '2.3' ? 14 : 8])),
    );
    wizard(CATALOG_IDS.unit, {
      subjectType: 'unit',
      subjectId: 'unit-1',
      subjectName: 'Trường THCS Mỹ An',
      layers: { self, verifier: [], commune: [] },
    });
    const bands = screen.getByRole('region', { name: 'Xếp loại tạm tính' });
    expect(within(bands).getByTestId('band-current').textContent).toBe('Khá');
    expect(
      within(bands)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Tốttừ 85 đến 100 điểm',
      'Khátừ 70 đến dưới 85 điểm',
      'Trung bìnhtừ 50 đến dưới 70 điểm',
      'Không đạtdưới 50 điểm',
    ]);
    expect(within(bands).getByRole('listitem', { current: true }).textContent).toContain('Khá');

    fireEvent.click(screen.getByRole('radio', { name: '0 điểm' })); // 1.1: 8 → 0
    expect(within(bands).getByTestId('band-current').textContent).toBe('Trung bình');
    expect(within(bands).getByText('Còn 1 chỉ số chưa chấm (tối đa thêm 10 điểm): có thể lên “Khá”.')).toBeTruthy();
    expect(
      bandRange({ code: 'x', label: 'X', min: 70, minInclusive: false, max: 85, maxInclusive: true, passes: true }),
    ).toBe('trên 70 đến 85 điểm');
  });
});

describe('hamlet review', () => {
  const row = (
    id: string,
    subjectType: AssessmentSummary['subjectType'],
    subjectName: string,
    state: 'verified' | 'reviewed',
    verifiedTotal: number | null,
    outcome = 'pass',
  ): AssessmentSummary =>
    summaryOf(draftAssessment({ id, subjectType, subjectName, state, verifiedTotal, outcome, hamletId: 'ap-1' }));

  it('lists the verified assessments per subject type and records the review of one type', async () => {
    let reviewedHouseholds = false;
    const assessments = vi.fn(async (q: { state?: string }) => {
      const verified = [
        row('a1', 'household', 'Hộ Nguyễn Văn Bình', 'verified', 92),
        row('a2', 'household', 'Hộ Trần Thị Mai', 'verified', 81),
        row('a3', 'clan', 'Dòng họ Lê', 'verified', 0),
      ];
      const list = reviewedHouseholds
        ? verified.map((a) => (a.subjectType === 'household' ? { ...a, state: 'reviewed' as const } : a))
        : verified;
      return list.filter((a) => a.state === q.state);
    });
    const review = vi.fn(async () => {
      reviewedHouseholds = true;
      return { reviewed: 2, assessmentIds: ['a1', 'a2'] };
    });
    renderWithApi(
      <HamletReview campaign={CAMPAIGN} hamletId="ap-1" hamletName="Ấp Mỹ Hòa" />,
      fakeApi({ assessments, review }),
    );
    const households = await screen.findByRole('region', { name: 'Gia đình học tập' });
    expect(within(households).getByText('2 hộ chờ bình xét')).toBeTruthy();
    expect(within(households).getByText('Hộ Nguyễn Văn Bình — 92 điểm · Đạt')).toBeTruthy();
    const clans = screen.getByRole('region', { name: 'Dòng họ học tập' });
    expect(within(clans).getByText('Dòng họ Lê — Đạt')).toBeTruthy();
    expect(assessments).toHaveBeenCalledWith({ campaignId: CAMPAIGN.id, unitId: 'ap-1', state: 'verified' });

    fireEvent.click(within(households).getByRole('button', { name: 'Ghi nhận bình xét (2 hộ)' }));
    await screen.findByText('Ghi nhận kết quả họp bình xét?');
    expect(review).not.toHaveBeenCalled();
    await confirmIn('Ghi nhận kết quả họp bình xét?', 'Ghi nhận bình xét');
    await within(households).findByText('Đã ghi nhận bình xét 2 hộ.');
    expect(review).toHaveBeenCalledWith({ campaignId: CAMPAIGN.id, hamletId: 'ap-1', subjectType: 'household' });
    await within(households).findByText('Đã bình xét: 2 hộ, chờ xã ra quyết định.');
    expect(within(clans).getByRole('button', { name: 'Ghi nhận bình xét (1 dòng họ)' })).toBeTruthy();
  });
});

describe('Hồ sơ của bạn', () => {
  it('shows one card per subject: the household and the clan the person heads', async () => {
    const me: Me = {
      id: 'u-ba',
      displayName: 'Nguyễn Văn Ba',
      roles: [],
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
      phone: null,
      personId: null,
      consents: { evaluation: true, photos: true, notifications: false },
    };
    const clans = vi.fn(async () => [
      {
        id: 'c1',
        communeId: 'xa-1',
        hamletId: null,
        name: 'Dòng họ Nguyễn (chi ấp Mỹ Hòa)',
        headName: 'Nguyễn Văn Ba',
        headUserId: 'u-ba',
        householdCount: 12,
        version: 1,
      },
      {
        id: 'c2',
        communeId: 'xa-1',
        hamletId: null,
        name: 'Dòng họ Lê',
        headName: 'Lê Văn C',
        headUserId: 'u-other',
        householdCount: 9,
        version: 1,
      },
    ]);
    // A person without a staff role reads only their own: one unfiltered list (services/home.ts).
    const assessments = vi.fn(async (q: { subjectType?: string }) =>
      !q.subjectType || q.subjectType === 'household'
        ? [summaryOf(draftAssessment({ subjectId: 'hh-1', campaignId: CAMPAIGN.id }))]
        : [],
    );
    renderWithApi(
      <Profiles me={me} openAssessment={() => undefined} />,
      fakeApi({ clans, orgUnits: vi.fn(async () => []), campaigns: vi.fn(async () => [CAMPAIGN]), assessments }),
    );
    await screen.findByText('Hồ sơ của bạn');
    const household = screen.getByRole('region', { name: 'Gia đình học tập: Hộ Nguyễn Văn Ba' });
    expect(within(household).getByRole('button', { name: 'Tiếp tục tự đánh giá' })).toBeTruthy();
    const clan = screen.getByRole('region', { name: 'Dòng họ học tập: Dòng họ Nguyễn (chi ấp Mỹ Hòa)' });
    expect(within(clan).getByRole('button', { name: 'Bắt đầu tự đánh giá' })).toBeTruthy();
    expect(screen.queryByText(/Dòng họ Lê/)).toBeNull();
  });
});
