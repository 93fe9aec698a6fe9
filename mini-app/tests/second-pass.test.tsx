import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { getCatalogSet } from '@hoctap/shared/catalog';
import { ReviewForm } from '../src/pages/leader/review.tsx';
import { DecisionFormView, validateDecision } from '../src/pages/officer/recognition.tsx';
import InboxPage, { InboxButton } from '../src/pages/inbox/index.tsx';
import { AssessmentOverview } from '../src/pages/assessment/overview.tsx';
import { useAppStore } from '../src/store.ts';
import { draftAssessment, fakeApi, renderWithApi, confirmIn, withVerdict, summaryOf } from './helpers.tsx';
import type { AnswerDto, InboxMessage } from '../src/services/types.ts';

const set = getCatalogSet('gdht-448-2015-v1')!;
const codes = set.criteria.flatMap((c) => c.indicators.map((i) => i.code));
const self: AnswerDto[] = codes.map((indicatorCode) => ({
  indicatorCode,
  points: 10,
  note: null,
  reason: null,
  updatedAt: '2026-11-23T08:00:00Z',
}));
const submitted = () =>
  draftAssessment({
    state: 'submitted',
    stateLabel: 'Đã nộp',
    version: 3,
    selfTotal: 100,
    submittedAt: '2026-11-23T08:00:00Z',
    layers: { self, verifier: [], commune: [] },
  });

describe('leader review', () => {
  it('requires a reason when the points differ from the self-assessment', async () => {
    const verify = vi.fn(async () => withVerdict(submitted()));
    const onDone = vi.fn();
    renderWithApi(
      <ReviewForm set={set} a={submitted()} onBack={() => undefined} onDone={onDone} />,
      fakeApi({ verify }),
    );
    const ind = screen.getByRole('article', { name: 'Chỉ số 1.3' });
    fireEvent.click(within(ind).getByRole('radio', { name: '8 điểm' }));
    fireEvent.click(screen.getByRole('button', { name: 'Xác minh và chuyển lên ấp' }));
    expect(within(ind).getByRole('alert').textContent).toContain('cần ghi lý do điều chỉnh');
    expect(verify).not.toHaveBeenCalled();

    fireEvent.change(within(ind).getByLabelText('Lý do điều chỉnh (bắt buộc)'), {
      target: { value: 'Cháu chưa lễ phép với hàng xóm.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Xác minh và chuyển lên ấp' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(verify).toHaveBeenCalledWith(submitted().id, {
      answers: [{ indicatorCode: '1.3', points: 8, reason: 'Cháu chưa lễ phép với hàng xóm.' }],
      version: 3,
    });
  });

  it('returns marked indicators with their comments (a comment is required), and keeps what was typed on failure', async () => {
    const returnForFix = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(summaryOf(submitted()));
    const onDone = vi.fn();
    renderWithApi(
      <ReviewForm set={set} a={submitted()} onBack={() => undefined} onDone={onDone} />,
      fakeApi({ returnForFix }),
    );
    const ind = screen.getByRole('article', { name: 'Chỉ số 1.2' });
    fireEvent.click(within(ind).getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại cho hộ sửa (1 chỉ số)' }));
    expect(within(ind).getByRole('alert').textContent).toContain('Hãy ghi rõ hộ cần sửa gì');
    expect(returnForFix).not.toHaveBeenCalled();

    fireEvent.change(within(ind).getByLabelText('Hộ cần sửa gì? (bắt buộc)'), {
      target: { value: 'Chụp lại sổ liên lạc.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại cho hộ sửa (1 chỉ số)' }));
    await screen.findByText('Có lỗi xảy ra. Vui lòng thử lại.');
    expect((within(ind).getByLabelText('Hộ cần sửa gì? (bắt buộc)') as HTMLTextAreaElement).value).toBe(
      'Chụp lại sổ liên lạc.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại cho hộ sửa (1 chỉ số)' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(returnForFix).toHaveBeenLastCalledWith(submitted().id, {
      items: [{ indicatorCode: '1.2', comment: 'Chụp lại sổ liên lạc.' }],
      version: 3,
    });
  });
});

describe('household overview', () => {
  it('highlights the returned indicator with the leader comment and a fix button', () => {
    const a = draftAssessment({
      state: 'returned',
      comments: [
        {
          id: '5b0d3c1e-1111-4c2b-9d6e-3f1a2b3c4d5e',
          indicatorCode: '1.2',
          authorId: 'u',
          body: 'Chụp lại sổ liên lạc.',
          createdAt: '2026-11-23T09:00:00Z',
        },
      ],
    });
    const onFix = vi.fn();
    renderWithApi(
      <AssessmentOverview a={a} onFix={onFix} onView={() => undefined} />,
      fakeApi({ timeline: vi.fn(async () => []) }),
    );
    expect(screen.getByText('Chụp lại sổ liên lạc.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sửa chỉ số 1.2' }));
    expect(onFix).toHaveBeenCalledWith('1.2');
  });

  it('shows the title and certificate once recognised', () => {
    const a = draftAssessment({
      state: 'recognised',
      certificateNo: '125/QĐ-UBND/1',
      decision: { id: '9b0d3c1e-1111-4c2b-9d6e-3f1a2b3c4d5e', number: '125/QĐ-UBND', decidedOn: '2026-11-23' },
    });
    renderWithApi(
      <AssessmentOverview a={a} onFix={() => undefined} onView={() => undefined} />,
      fakeApi({ timeline: vi.fn(async () => []) }),
    );
    expect(screen.getByText('Đã được công nhận')).toBeTruthy();
    expect(screen.getByText('125/QĐ-UBND/1')).toBeTruthy();
  });
});

describe('officer decision form', () => {
  it('validates number, date and signer before calling the API', async () => {
    expect(
      validateDecision({ number: '1/QĐ', decidedOn: '2999-01-01', signer: 'A', signerTitle: 'B' }, '2026-11-23')
        .decidedOn,
    ).toContain('sau hôm nay');
    const decide = vi.fn(async () => ({
      id: 'd',
      campaignId: 'c',
      subjectType: 'household' as const,
      number: '125/QĐ-UBND',
      decidedOn: '2026-11-23',
      signer: 'X',
      signerTitle: 'Y',
      recognisedCount: 1,
      notRecognisedCount: 0,
      createdAt: '',
      results: [],
    }));
    const onDone = vi.fn();
    renderWithApi(<DecisionFormView campaignId="camp" count={2} onDone={onDone} />, fakeApi({ decide }));
    fireEvent.click(screen.getByRole('button', { name: 'Ban hành quyết định' }));
    expect(screen.getByText('Hãy nhập số quyết định (ví dụ 125/QĐ-UBND).')).toBeTruthy();
    expect(screen.getByText('Hãy nhập họ tên người ký.')).toBeTruthy();
    expect(decide).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/^Số quyết định/), { target: { value: ' 125/QĐ-UBND ' } });
    fireEvent.change(screen.getByLabelText(/^Người ký/), { target: { value: 'Nguyễn Văn Hùng' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ban hành quyết định' }));
    // A confirmation first; the decision is issued from there.
    await screen.findByText('Ban hành QĐ số 125/QĐ-UBND?');
    expect(decide).not.toHaveBeenCalled();
    await confirmIn('Ban hành QĐ số 125/QĐ-UBND?', 'Ban hành quyết định');
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(decide).toHaveBeenCalledWith(
      'camp',
      expect.objectContaining({
        subjectType: 'household',
        number: '125/QĐ-UBND',
        signer: 'Nguyễn Văn Hùng',
        signerTitle: 'Chủ tịch UBND xã',
      }),
    );
  });
});

describe('inbox', () => {
  const msg = (id: string, readAt: string | null): InboxMessage => ({
    id,
    kind: 'assessment_returned',
    title: 'Hồ sơ được trả lại để bổ sung',
    body: 'Tổ trưởng đề nghị sửa chỉ số 1.2.',
    link: `/assessments/a1?indicator=1.2`,
    createdAt: '2026-11-23T09:00:00Z',
    readAt,
  });

  it('shows the unread badge on the home button', async () => {
    useAppStore.setState({ unread: null });
    const inbox = vi.fn(async () => ({
      items: [msg('11111111-1111-4111-8111-111111111111', null)],
      nextCursor: null,
      unread: 3,
    }));
    renderWithApi(<InboxButton onOpen={() => undefined} />, fakeApi({ inbox }));
    expect((await screen.findByLabelText('3 tin chưa đọc')).textContent).toBe('3');
  });

  it('marks a message read and opens its deep link', async () => {
    useAppStore.setState({ unread: null });
    const inbox = vi.fn(async () => ({
      items: [
        msg('11111111-1111-4111-8111-111111111111', null),
        msg('22222222-2222-4222-8222-222222222222', '2026-11-23T10:00:00Z'),
      ],
      nextCursor: null,
      unread: 1,
    }));
    const markRead = vi.fn(async (id: string) => ({ id, readAt: '2026-11-23T11:00:00Z' }));
    const openLink = vi.fn();
    renderWithApi(<InboxPage onBack={() => undefined} openLink={openLink} />, fakeApi({ inbox, markRead }));
    await screen.findAllByText('Hồ sơ được trả lại để bổ sung');
    expect(screen.getAllByLabelText('Chưa đọc')).toHaveLength(1);
    fireEvent.click(screen.getAllByRole('button', { name: /Hồ sơ được trả lại/ })[0]!);
    expect(markRead).toHaveBeenCalledWith('11111111-1111-4111-8111-111111111111');
    expect(openLink).toHaveBeenCalledWith('/assessments/a1?indicator=1.2');
    expect(screen.queryAllByLabelText('Chưa đọc')).toHaveLength(0);
    expect(useAppStore.getState().unread).toBe(0);
  });

  it('shows an empty state', async () => {
    renderWithApi(
      <InboxPage onBack={() => undefined} openLink={() => undefined} />,
      fakeApi({ inbox: vi.fn(async () => ({ items: [], nextCursor: null, unread: 0 })) }),
    );
    expect(await screen.findByText('Chưa có tin nhắn nào.')).toBeTruthy();
  });
});
