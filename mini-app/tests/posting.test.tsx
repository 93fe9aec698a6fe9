import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { SnackbarProvider } from 'zmp-ui';
import { CATALOG_IDS } from '@hoctap/shared/catalog';
import { objectionSchema, postingDetailSchema, postingSchema, myObjectionSchema } from '@hoctap/shared/api';
import { PostingDetailPage } from '../src/pages/posting/index.tsx';
import ObjectionsPage from '../src/pages/officer/objections.tsx';
import { OpenPostingsButton } from '../src/pages/posting/open-postings-button.tsx';
import { useAppStore } from '../src/store.ts';
import type { Campaign } from '../src/services/types.ts';
import type { Objection, PostingDetail } from '../src/services/postings-api.ts';
import type { Endpoints } from '../src/services/api.ts';
import { conforming } from './contract.ts';
import { fakeApi, meFixture, renderWithApi } from './helpers.tsx';

/* Niêm yết screens (docs/transparency.md §2): a resident objects; the officer resolves. */

const POSTING = 'a3f1c2d4-1111-4c2b-9d6e-3f1a2b3c4d5e';
const A1 = 'b4e2d3c5-2222-4c2b-9d6e-3f1a2b3c4d5e';
const A2 = 'c5f3e4d6-3333-4c2b-9d6e-3f1a2b3c4d5e';

function detail(mine: PostingDetail['entries'][number]['mine'] = []): PostingDetail {
  return conforming(
    postingDetailSchema,
    {
      id: POSTING,
      campaignId: 'camp-2026',
      hamletId: 'ap-1',
      hamletName: 'Ấp Mỹ Phú',
      subjectType: 'household',
      title: 'Gia đình học tập',
      startsAt: '2026-11-01T00:00:00Z',
      endsAt: '2026-11-06T00:00:00Z',
      open: true,
      unresolved: null,
      entries: [
        { assessmentId: A1, subjectName: 'Hộ Nguyễn Văn An', subjectType: 'household', mine },
        { assessmentId: A2, subjectName: 'Hộ Trần Thị Bình', subjectType: 'household', mine: [] },
      ],
    },
    'detail()',
  );
}

function postingsFake(p: Partial<Endpoints['postings']>): Endpoints['postings'] {
  const no = (name: string) =>
    vi.fn(async () => {
      throw new Error(`unexpected call: postings.${name}`);
    });
  return {
    list: no('list'),
    detail: no('detail'),
    open: no('open'),
    close: no('close'),
    object: no('object'),
    queue: no('queue'),
    resolve: no('resolve'),
    ...p,
  } as Endpoints['postings'];
}

describe('resident: the posted list and an objection', () => {
  it('shows names only, checks the reason, sends the objection and then shows it is waiting', async () => {
    let sent = false;
    const object = vi.fn(async () => {
      sent = true;
      return conforming(
        myObjectionSchema,
        {
          id: 'd6a4f5e7-4444-4c2b-9d6e-3f1a2b3c4d5e',
          kind: 'objection' as const,
          status: 'open' as const,
          resolution: null,
        },
        'object()',
      );
    });
    const detailFn = vi.fn(async () =>
      sent
        ? detail([{ id: 'd6a4f5e7-4444-4c2b-9d6e-3f1a2b3c4d5e', kind: 'objection', status: 'open', resolution: null }])
        : detail(),
    );
    const api = fakeApi({ postings: postingsFake({ detail: detailFn, object }) });
    renderWithApi(
      <SnackbarProvider>
        <PostingDetailPage postingId={POSTING} onBack={vi.fn()} />
      </SnackbarProvider>,
      api,
    );
    expect(await screen.findByText('Hộ Nguyễn Văn An')).toBeTruthy();
    expect(screen.getByText('Danh sách đề nghị công nhận “Gia đình học tập”')).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'Gửi ý kiến về trường hợp này' })[0]!);
    const reason = screen.getByRole('textbox', { name: 'Lý do' });
    fireEvent.change(reason, { target: { value: 'ngắn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    expect((await screen.findByRole('alert')).textContent).toContain('ít nhất 10 ký tự');
    expect(object).not.toHaveBeenCalled();
    fireEvent.change(reason, { target: { value: 'Con của hộ này bỏ học giữa năm.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    await waitFor(() => expect(object).toHaveBeenCalledTimes(1));
    expect(object).toHaveBeenCalledWith(POSTING, {
      assessmentId: A1,
      kind: 'objection',
      reason: 'Con của hộ này bỏ học giữa năm.',
    });
    expect(await screen.findByText('Bạn đã gửi ý kiến — đang chờ xã xử lý')).toBeTruthy();
    // One open objection per entry: no second form for it, still one for the other entry.
    expect(screen.getAllByRole('button', { name: 'Gửi ý kiến về trường hợp này' })).toHaveLength(1);
  });
});

describe('officer: the queue and the resolution', () => {
  it('resolves an objection with a reason (required) and reloads the queue', async () => {
    const campaign: Campaign = {
      id: '0c5b8a1e-2222-4c2b-9d6e-3f1a2b3c4d5e',
      communeId: 'e7b5a6f8-5555-4c2b-9d6e-3f1a2b3c4d5e',
      year: 2026,
      title: 'Đánh giá năm 2026',
      criteriaSetIds: { ...CATALOG_IDS },
      registrationOpensAt: '2026-01-01T00:00:00Z',
      selfAssessmentDueAt: '2026-10-20T00:00:00Z',
      verificationDueAt: '2026-10-31T00:00:00Z',
      recognitionDueAt: '2026-11-15T00:00:00Z',
      reportDueAt: '2026-11-15T00:00:00Z',
      status: 'open',
      reopenedUntil: {},
      settings: {},
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const item: Objection = conforming(
      objectionSchema,
      {
        id: 'f8c6b7a9-6666-4c2b-9d6e-3f1a2b3c4d5e',
        postingId: POSTING,
        hamletId: 'ap-1',
        hamletName: 'Ấp Mỹ Phú',
        assessmentId: A1,
        subjectName: 'Hộ Nguyễn Văn An',
        subjectType: 'household',
        assessmentState: 'reviewed',
        verifiedTotal: 92.5,
        kind: 'objection',
        reason: 'Con của hộ này bỏ học giữa năm.',
        authorName: 'Trần Thị Bình',
        status: 'open',
        resolution: null,
        createdAt: '2026-11-02T03:00:00Z',
        resolvedAt: null,
      },
      'item',
    );
    let resolved = false;
    const resolve = vi.fn(async () => {
      resolved = true;
      return { ...item, status: 'removed' as const, resolution: 'Đã xác minh đúng.' };
    });
    const { entries: _entries, ...base } = detail();
    const posting = conforming(postingSchema, { ...base, unresolved: 1 }, 'posting');
    const api = fakeApi({
      campaigns: vi.fn(async () => [campaign]),
      adminUnits: vi.fn(async () => []),
      postings: postingsFake({
        list: vi.fn(async () => [posting]),
        queue: vi.fn(async () => (resolved ? [] : [item])),
        resolve,
      }),
    });
    const me = meFixture({
      roles: [{ role: 'officer', unitId: campaign.communeId, unitLevel: 'commune', unitName: 'Xã Mỹ Hòa' }],
    });
    renderWithApi(
      <SnackbarProvider>
        <ObjectionsPage me={me} onBack={vi.fn()} />
      </SnackbarProvider>,
      api,
    );
    expect(await screen.findByText('“Con của hộ này bỏ học giữa năm.”')).toBeTruthy();
    expect(screen.getByText(/92,5 điểm xác minh/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Đưa ra khỏi danh sách' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Hãy ghi lý do');
    fireEvent.change(screen.getByRole('textbox', { name: /Kết quả xem xét/ }), {
      target: { value: 'Đã xác minh đúng.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Đưa ra khỏi danh sách' }));
    await waitFor(() =>
      expect(resolve).toHaveBeenCalledWith(item.id, { outcome: 'removed', reason: 'Đã xác minh đúng.' }),
    );
    expect(await screen.findByText('Không có ý kiến nào đang chờ.')).toBeTruthy();
  });
});

describe('home: the way in to a running posting', () => {
  const posting = (id: string, open: boolean) =>
    conforming(
      postingSchema,
      {
        id,
        campaignId: 'e7b5a6f8-5555-4c2b-9d6e-3f1a2b3c4d5e',
        hamletId: 'f8c6b7a9-6666-4c2b-9d6e-3f1a2b3c4d5e',
        hamletName: 'Ấp Mỹ Phú',
        subjectType: 'household' as const,
        title: 'Gia đình học tập',
        startsAt: '2026-11-01T00:00:00Z',
        endsAt: '2026-11-06T00:00:00Z',
        open,
        unresolved: null,
      },
      'posting()',
    );

  it('after home has loaded, a resident with an open window gets a button to the list', async () => {
    useAppStore.getState().setMine(['hh-1']);
    const list = vi.fn(async () => [posting(POSTING, true), posting(A1, false)]);
    const onOpen = vi.fn();
    renderWithApi(<OpenPostingsButton onOpen={onOpen} />, fakeApi({ postings: postingsFake({ list }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xem danh sách đang niêm yết ở ấp' }));
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('shows nothing without an open window, and asks nothing before home has loaded', async () => {
    useAppStore.getState().setMine([]);
    const list = vi.fn(async () => [posting(A1, false)]);
    const { container } = renderWithApi(
      <OpenPostingsButton onOpen={vi.fn()} />,
      fakeApi({ postings: postingsFake({ list }) }),
    );
    expect(list).not.toHaveBeenCalled();
    act(() => useAppStore.getState().setMine(['hh-1']));
    await waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    expect(container.querySelector('button')).toBeNull();
  });
});
