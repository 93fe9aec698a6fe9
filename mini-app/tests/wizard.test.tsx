import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { requireCatalogSet } from '@hoctap/shared/catalog';
import { AssessmentWizard } from '../src/pages/wizard/wizard.tsx';
import WizardPage from '../src/pages/wizard/index.tsx';
import { answerDrafts } from '../src/services/drafts.ts';
import { apiError, draftAssessment, evidence, fakeApi, renderWithApi, confirmIn, withVerdict } from './helpers.tsx';

const set = requireCatalogSet('gdht-448-2015-v1');
const photoSeams = {
  pick: async () => [{ blob: new Blob(['x'], { type: 'image/jpeg' }), name: 'a.jpg' }],
  prepare: async (b: Blob) => b,
};

function renderWizard(api = fakeApi({ saveAnswer: vi.fn(async () => ({})) }), assessment = draftAssessment()) {
  renderWithApi(
    <AssessmentWizard
      set={set}
      assessment={assessment}
      onExit={() => undefined}
      onSubmitted={() => undefined}
      photo={photoSeams}
    />,
    api,
  );
  return api;
}

describe('self-assessment wizard', () => {
  it('shows the indicator text, guidance and one large button per allowed score', () => {
    renderWizard();
    expect(screen.getByText('Chỉ số 1/10')).toBeTruthy();
    expect(screen.getByText(/Trẻ em ở độ tuổi phổ cập đều được đến trường/)).toBeTruthy();
    expect(screen.getByText(/Gia đình không có trẻ trong độ tuổi phổ cập/)).toBeTruthy();
    const group = screen.getByRole('radiogroup', { name: 'Chọn điểm' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((b) => b.textContent),
    ).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(screen.queryByText('Tạm thời — chờ văn bản chính thức')).toBeNull(); // 1.1 is official
  });

  it('choosing points updates the live verdict and saves the answer', async () => {
    const api = renderWizard();
    expect(screen.getByTestId('verdict-total').textContent).toBe('0/100 điểm');
    fireEvent.click(screen.getByRole('radio', { name: '10 điểm' }));
    expect(screen.getByRole('radio', { name: '10 điểm' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('verdict-total').textContent).toBe('10/100 điểm');
    expect(
      screen.getByText(
        'Còn thiếu ảnh minh chứng cho chỉ số 1.1 (Ảnh thẻ học sinh hoặc giấy xác nhận của nhà trường cho từng cháu)',
      ),
    ).toBeTruthy();
    await screen.findByText('✓ Đã lưu');
    expect(api.saveAnswer).toHaveBeenCalledWith('7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c', '1.1', { points: 10 });
    // 0 points needs no photo: the evidence reason goes away
    fireEvent.click(screen.getByRole('radio', { name: '0 điểm' }));
    expect(screen.getByTestId('verdict-total').textContent).toBe('0/100 điểm');
    expect(screen.queryByText(/Còn thiếu ảnh minh chứng cho chỉ số 1.1/)).toBeNull();
  });

  it('an uploaded photo satisfies the evidence rule in the live verdict', async () => {
    const uploadEvidence = vi.fn(async () => evidence('e1', '1.1'));
    renderWizard(fakeApi({ saveAnswer: vi.fn(async () => ({})), uploadEvidence }));
    fireEvent.click(screen.getByRole('radio', { name: '10 điểm' }));
    expect(screen.getByText(/Còn thiếu ảnh minh chứng cho chỉ số 1.1/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
    await waitFor(() => expect(screen.queryByText(/Còn thiếu ảnh minh chứng cho chỉ số 1.1/)).toBeNull());
    expect(screen.getByText('Ảnh minh chứng (cần 1 ảnh, đã có 1)')).toBeTruthy();
  });

  it('keeps the answer on the phone when saving fails and saves it again on retry', async () => {
    const saveAnswer = vi.fn().mockRejectedValueOnce(apiError(503)).mockResolvedValueOnce({});
    renderWizard(fakeApi({ saveAnswer }));
    fireEvent.click(screen.getByRole('radio', { name: '7 điểm' }));
    await screen.findByText('Chưa lưu lên máy chủ (đã giữ trên máy).');
    expect(screen.getByText('Máy chủ đang bận. Vui lòng thử lại sau ít phút.')).toBeTruthy();
    expect(answerDrafts.all('7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c')['1.1']?.points).toBe(7);
    fireEvent.click(screen.getByRole('button', { name: 'Lưu lại' }));
    await screen.findByText('✓ Đã lưu');
    expect(answerDrafts.all('7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c')).toEqual({});
  });

  it('restores unsaved local answers over the server copy', () => {
    answerDrafts.put('7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c', '1.1', { points: 8, at: Date.now() });
    renderWizard(
      fakeApi({ saveAnswer: vi.fn(() => new Promise(() => undefined)) }),
      draftAssessment({
        layers: {
          self: [{ indicatorCode: '1.1', points: 3, note: null, reason: null, updatedAt: '2026-11-23T08:00:00Z' }],
          verifier: [],
          commune: [],
        },
      }),
    );
    expect(screen.getByRole('radio', { name: '8 điểm' }).getAttribute('aria-checked')).toBe('true');
  });

  it('marks provisional indicators', () => {
    renderWizard();
    for (let i = 0; i < 4; i++) fireEvent.click(screen.getByRole('button', { name: 'Tiếp ›' }));
    expect(screen.getByText('Chỉ số 5/10')).toBeTruthy(); // 2.2
    expect(screen.getByText('Tạm thời — chờ văn bản chính thức')).toBeTruthy();
  });

  it('submits from the review step with an Idempotency-Key', async () => {
    const submit = vi.fn(async () => withVerdict(draftAssessment({ state: 'submitted' })));
    const onSubmitted = vi.fn();
    let n = 0;
    const uploadEvidence = vi.fn(async (_id: string, code: string) => evidence(`e${++n}`, code));
    const api = fakeApi({ saveAnswer: vi.fn(async () => ({})), submit, uploadEvidence });
    renderWithApi(
      <AssessmentWizard
        set={set}
        assessment={draftAssessment()}
        onExit={() => undefined}
        onSubmitted={onSubmitted}
        photo={photoSeams}
      />,
      api,
    );
    for (let i = 0; i < 10; i++) fireEvent.click(screen.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }));
    expect(screen.getByText('Xem lại và gửi')).toBeTruthy();
    // an unfinished form cannot be sent
    expect((screen.getByRole('button', { name: 'Gửi hồ sơ' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Chưa gửi được: hãy chấm hết các chỉ số/)).toBeTruthy();
    for (let i = 0; i < 10; i++) fireEvent.click(screen.getByRole('button', { name: /‹ Trước/ }));
    for (let i = 0; i < 10; i++) {
      fireEvent.click(screen.getByRole('radio', { name: i < 8 ? '10 điểm' : '0 điểm' }));
      if (
        screen.queryByRole('button', { name: /Chụp hoặc chọn ảnh/ }) &&
        i < 8 &&
        screen.queryByText(/cần 1 ảnh, đã có 0/)
      ) {
        fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
        await screen.findByText(/cần 1 ảnh, đã có 1/);
      }
      fireEvent.click(screen.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }));
    }
    expect(screen.getByText('Đạt: 80/100 điểm')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Gửi hồ sơ' })));
    // Nothing is sent before the confirmation.
    expect(submit).not.toHaveBeenCalled();
    await act(async () => confirmIn('Gửi hồ sơ?', 'Gửi hồ sơ'));
    await waitFor(() =>
      expect(submit).toHaveBeenCalledWith(
        '7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c',
        expect.stringMatching(/^[0-9a-f-]{36}$/),
      ),
    );
    expect(onSubmitted).toHaveBeenCalled();
  });
});

describe('wizard page error states', () => {
  it('shows the API error with its request id and retries', async () => {
    const assessment = vi
      .fn()
      .mockRejectedValueOnce(apiError(500, 'Internal Server Error', 'req-500'))
      .mockResolvedValueOnce(draftAssessment());
    renderWithApi(
      <WizardPage assessmentId="a1" onExit={() => undefined} photo={photoSeams} />,
      fakeApi({ assessment }),
    );
    await screen.findByText('Máy chủ gặp sự cố. Vui lòng thử lại sau.');
    expect(screen.getByText('Mã tra cứu: req-500')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await screen.findByText('Chỉ số 1/10');
    expect(assessment).toHaveBeenCalledTimes(2);
  });
});
