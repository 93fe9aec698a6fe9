import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import WizardPage from '../src/pages/wizard/index.tsx';
import { EvidenceReview } from '../src/components/evidence-review.tsx';
import type { CarryOver } from '../src/services/types.ts';
import { draftAssessment, evidence, fakeApi, renderWithApi } from './helpers.tsx';

const ID = '7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c';
const PHOTO = '3b9b7c1e-5d2a-4c8e-9f10-aa11bb22cc33';

function offer(overrides: Partial<CarryOver> = {}): CarryOver {
  return {
    available: true,
    fromAssessmentId: '0e5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    fromYear: 2025,
    draftEmpty: true,
    indicators: [
      {
        indicatorCode: '1.2',
        text: 'Kết quả học tập đạt từ trung bình trở lên',
        points: 10,
        note: null,
        photos: [{ id: PHOTO, width: 360, height: 480 }],
        photoReusable: false,
        carried: false,
      },
      {
        indicatorCode: '3.2',
        text: 'Gia đình có sách, báo hoặc tủ sách, góc học tập cho con',
        points: 8,
        note: null,
        photos: [{ id: PHOTO, width: 360, height: 480 }],
        photoReusable: true,
        carried: false,
      },
    ],
    ...overrides,
  };
}

const result = {
  carried: ['3.2'],
  answersCopied: 1,
  photosLinked: 1,
  version: 3,
  verdict: { outcome: 'incomplete' as const, canStillPass: true, reasons: [], summary: 'Chưa chấm xong' },
  selfTotal: 8,
};

describe('carry-over card in the wizard', () => {
  it('offers last year’s answers on an empty draft and copies only the confirmed ones', async () => {
    const assessment = vi
      .fn()
      .mockResolvedValueOnce(draftAssessment())
      .mockResolvedValue(
        draftAssessment({
          version: 3,
          layers: {
            self: [{ indicatorCode: '3.2', points: 8, note: null, reason: null, updatedAt: '2026-10-01T00:00:00Z' }],
            verifier: [],
            commune: [],
          },
        }),
      );
    // After the copy the server says the draft is no longer empty.
    const carryOver = vi
      .fn()
      .mockResolvedValueOnce(offer())
      .mockResolvedValue(offer({ draftEmpty: false }));
    const applyCarryOver = vi.fn(async () => result);
    renderWithApi(
      <WizardPage assessmentId={ID} onExit={() => undefined} />,
      fakeApi({ assessment, carryOver, applyCarryOver }),
    );
    const card = (await screen.findByRole('heading', { name: 'Dùng lại câu trả lời năm 2025' })).closest(
      'section',
    ) as HTMLElement;
    expect(within(card).getByText(/Năm 2025: 8 điểm · Dùng lại 1 ảnh năm 2025/)).toBeTruthy();
    expect(within(card).getByText(/không dùng lại được cho chỉ số này: cần chụp ảnh mới/)).toBeTruthy();
    const boxes = within(card).getAllByRole('checkbox', { name: 'Vẫn đúng năm nay' });
    expect(boxes).toHaveLength(2);
    const confirm = within(card).getByRole('button', { name: 'Chọn chỉ số vẫn đúng năm nay' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(boxes[1]!);
    fireEvent.click(within(card).getByRole('button', { name: 'Dùng lại 1 chỉ số đã chọn' }));
    await waitFor(() => expect(applyCarryOver).toHaveBeenCalledWith(ID, ['3.2']));
    await waitFor(() => expect(screen.queryByRole('heading', { name: /Dùng lại câu trả lời/ })).toBeNull());
    expect(assessment).toHaveBeenCalledTimes(2);
  });

  it('shows nothing when the draft already has answers or there is nothing to carry', async () => {
    const carryOver = vi.fn(async () => offer({ draftEmpty: false }));
    renderWithApi(
      <WizardPage assessmentId={ID} onExit={() => undefined} />,
      fakeApi({ assessment: vi.fn(async () => draftAssessment()), carryOver }),
    );
    await screen.findByText('Chỉ số 1/10');
    await waitFor(() => expect(carryOver).toHaveBeenCalled());
    expect(screen.queryByRole('heading', { name: /Dùng lại câu trả lời/ })).toBeNull();
  });

  it('"Bỏ qua" hides the offer without copying anything', async () => {
    const applyCarryOver = vi.fn(async () => result);
    renderWithApi(
      <WizardPage assessmentId={ID} onExit={() => undefined} />,
      fakeApi({
        assessment: vi.fn(async () => draftAssessment()),
        carryOver: vi.fn(async () => offer()),
        applyCarryOver,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Bỏ qua, tự chấm từ đầu' }));
    expect(screen.queryByRole('heading', { name: /Dùng lại câu trả lời/ })).toBeNull();
    expect(applyCarryOver).not.toHaveBeenCalled();
  });
});

describe('verifier view of a reused photo', () => {
  it('marks a carried-over photo "Ảnh năm <year>"', () => {
    const reused = { ...evidence('e1', '3.2'), reusedFromYear: 2025 };
    renderWithApi(<EvidenceReview items={[reused, evidence('e2', '3.2')]} all={[]} />, fakeApi());
    expect(screen.getAllByText('Ảnh năm 2025')).toHaveLength(1);
  });
});
