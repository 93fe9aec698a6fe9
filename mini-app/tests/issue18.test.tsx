import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { requireCatalogSet, CATALOG_IDS } from '@hoctap/shared/catalog';
import { provisionalItems, score } from '@hoctap/shared';
import { SnackbarProvider } from 'zmp-ui';
import { ConfirmDialog, useNotify } from '../src/components/feedback.tsx';
import { ProvisionalNote, verdictIsProvisional } from '../src/components/provisional-badge.tsx';
import { RulesNote } from '../src/components/rules-note.tsx';
import { VerdictPreview } from '../src/components/verdict-preview.tsx';
import { setOptionLabel } from '../src/pages/officer/campaign.tsx';
import AccountPage from '../src/pages/account/index.tsx';
import { errorMessage } from '../src/components/screen.tsx';
import { useAppStore } from '../src/store.ts';
import type { ConsentState, Me } from '../src/services/types.ts';
import { apiError, fakeApi, renderWithApi } from './helpers.tsx';

describe('ConfirmDialog', () => {
  it('shows the question, the consequence and the preview; only the confirm button acts', () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        visible
        title="Gửi hồ sơ?"
        description="Sau khi gửi, bạn không sửa được nữa."
        confirmLabel="Gửi hồ sơ"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        <p>Điểm tự chấm: 92/100</p>
      </ConfirmDialog>,
    );
    const modal = screen.getByText('Gửi hồ sơ?').closest('.zaui-modal-content') as HTMLElement;
    expect(within(modal).getByText('Sau khi gửi, bạn không sửa được nữa.')).toBeTruthy();
    expect(within(modal).getByText('Điểm tự chấm: 92/100')).toBeTruthy();
    fireEvent.click(within(modal).getByRole('button', { name: 'Quay lại' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(within(modal).getByRole('button', { name: 'Gửi hồ sơ' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('while busy: says it is sending and cannot be confirmed twice', () => {
    const onConfirm = vi.fn();
    render(
      <ConfirmDialog visible busy title="Ban hành?" confirmLabel="Ban hành" onConfirm={onConfirm} onCancel={vi.fn()} />,
    );
    const modal = screen.getByText('Ban hành?').closest('.zaui-modal-content') as HTMLElement;
    const busy = within(modal).getByRole('button', { name: 'Đang gửi…' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    fireEvent.click(busy);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('is a dialog named by its question (zmp-ui leaves aria-labelledby dangling)', () => {
    render(
      <ConfirmDialog visible title="Gửi lại hồ sơ?" confirmLabel="Gửi lại" onConfirm={vi.fn()} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Gửi lại hồ sơ?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
  });

  it('the snackbar after an action is read out: success as a status, an error as an alert', async () => {
    function Acts() {
      const notify = useNotify();
      return (
        <>
          <button type="button" onClick={() => notify.success('Đã xác minh hồ sơ.')}>
            ok
          </button>
          <button type="button" onClick={() => notify.error('Chưa gửi được.')}>
            ko
          </button>
        </>
      );
    }
    render(
      <SnackbarProvider>
        <Acts />
      </SnackbarProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'ok' }));
    expect((await screen.findByRole('status')).textContent).toBe('Đã xác minh hồ sơ.');
    fireEvent.click(screen.getByRole('button', { name: 'ko' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Chưa gửi được.');
  });

  it('renders nothing while hidden', () => {
    render(<ConfirmDialog visible={false} title="Ẩn?" confirmLabel="OK" onConfirm={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.queryByText('Ẩn?')).toBeNull();
  });
});

describe('"tạm thời" marks', () => {
  const household = requireCatalogSet(CATALOG_IDS.household);
  const clan = requireCatalogSet(CATALOG_IDS.clan);

  it('follow provisionalItems(): the household pass mark is provisional, the verdict says so', () => {
    expect(provisionalItems(household).some((i) => i.kind === 'ratingRule')).toBe(true);
    expect(verdictIsProvisional(household)).toBe(true);
    render(<RulesNote set={household} />);
    const rule = screen.getByText(/^Đạt khi từ/);
    expect(within(rule).getByText('tạm thời')).toBeTruthy();
  });

  it('do not mark what is official: the clan prerequisite of QĐ 448 is not marked', () => {
    const official = provisionalItems(clan).filter((i) => i.kind === 'prerequisite');
    render(<RulesNote set={clan} />);
    const prereq = document.querySelector('.prereq') as HTMLElement;
    expect(within(prereq).queryAllByText('tạm thời')).toHaveLength(official.length);
  });

  it('sit next to the live verdict when asked, and a note explains them on review screens', () => {
    const result = score(household, {});
    const { rerender } = render(<VerdictPreview result={result} provisional />);
    expect(screen.getByText('tạm thời')).toBeTruthy();
    rerender(<VerdictPreview result={result} />);
    expect(screen.queryByText('tạm thời')).toBeNull();
    render(<ProvisionalNote set={household} />);
    expect(screen.getByRole('note').textContent).toMatch(/chưa có văn bản chính thức/);
  });

  it('label criteria sets shortly, different from each other, without "— 1"', () => {
    const labels = ['household', 'citizen', 'clan', 'unit', 'community'].map((t) => {
      const set = requireCatalogSet(CATALOG_IDS[t as keyof typeof CATALOG_IDS]);
      return setOptionLabel({ id: set.id, title: set.title, version: String(set.version) });
    });
    expect(new Set(labels).size).toBe(5);
    for (const l of labels) {
      expect(l).not.toMatch(/— 1$/);
      expect(l.length).toBeLessThan(80);
    }
    expect(labels[0]).toMatch(/^“Gia đình học tập” · theo QĐ 448\/QĐ-KHVN — tạm thời$/);
  });
});

describe('the server message is what the person reads', () => {
  it('a 403 for a missing photo consent says so, not "Bạn không có quyền…"', () => {
    expect(errorMessage(apiError(403, 'Bạn cần đồng ý cho phép gửi ảnh minh chứng trước khi tải ảnh.'))).toBe(
      'Bạn cần đồng ý cho phép gửi ảnh minh chứng trước khi tải ảnh.',
    );
    expect(errorMessage(apiError(400, 'body.userId: Invalid UUID'))).toBe('Thông tin gửi lên chưa hợp lệ.');
  });
});

describe('account screen', () => {
  const me: Me = {
    id: 'u1',
    displayName: 'Nguyễn Văn Bình — Hộ gia đình',
    roles: [],
    householdId: 'hh-1',
    household: {
      id: 'hh-1',
      headName: 'Nguyễn Văn Bình',
      address: '12 đường Mỹ Hòa',
      communeId: 'xa-1',
      hamletId: 'ap-1',
      groupId: 'to-1',
      hamletName: 'ấp Mỹ Hòa',
      groupName: 'Tổ 1',
    },
    phone: null,
    personId: null,
    consents: { evaluation: true, photos: true, notifications: false },
  };
  const state = (live: Me['consents']): ConsentState => ({
    version: '2026-11-v1',
    texts: {
      evaluation: { title: 'Đánh giá danh hiệu', text: 'Tôi đồng ý … đánh giá.' },
      photos: { title: 'Ảnh minh chứng', text: 'Tôi đồng ý gửi ảnh minh chứng.' },
      notifications: { title: 'Nhận thông báo qua Zalo', text: 'Tôi đồng ý nhận thông báo.' },
    },
    live,
    log: [{ purpose: 'evaluation', action: 'grant', textVersion: '2026-11-v1', at: '2026-11-20T08:00:00Z' }],
  });

  it('shows the linked household and the consents; withdrawing photos calls the API and refreshes /me', async () => {
    useAppStore.setState({ me, session: null });
    let live = { ...me.consents };
    const consentState = vi.fn(async () => state(live));
    const withdrawConsents = vi.fn(async () => {
      live = { ...live, photos: false };
      return state(live);
    });
    const meCall = vi.fn(async () => ({ ...me, consents: live }));
    renderWithApi(<AccountPage onBack={vi.fn()} />, fakeApi({ consentState, withdrawConsents, me: meCall }));
    expect(screen.getByText(/Đã liên kết với/).textContent).toContain('hộ Nguyễn Văn Bình');
    const photos = (await screen.findByLabelText('Ảnh minh chứng: đang đồng ý')) as HTMLInputElement;
    await waitFor(() => expect(photos.disabled).toBe(false));
    fireEvent.click(photos);
    await waitFor(() => expect(withdrawConsents).toHaveBeenCalledWith(['photos']));
    await waitFor(() => expect(useAppStore.getState().me?.consents.photos).toBe(false));
    expect(await screen.findByText(/Khi chưa đồng ý, bạn không gửi được ảnh minh chứng/)).toBeTruthy();
  });

  it('asks before withdrawing the evaluation consent, and gives consent with the text version', async () => {
    useAppStore.setState({ me: { ...me, consents: { ...me.consents, notifications: false } }, session: null });
    const consentState = vi.fn(async () => state(me.consents));
    const withdrawConsents = vi.fn(async () => state(me.consents));
    const giveConsents = vi.fn(async () => state(me.consents));
    renderWithApi(
      <AccountPage onBack={vi.fn()} />,
      fakeApi({ consentState, withdrawConsents, giveConsents, me: vi.fn(async () => me) }),
    );
    const evaluation = (await screen.findByLabelText('Đánh giá danh hiệu: đang đồng ý')) as HTMLInputElement;
    await waitFor(() => expect(evaluation.disabled).toBe(false));
    fireEvent.click(evaluation);
    const modal = (await screen.findByText('Rút lại đồng ý “Đánh giá danh hiệu”?')).closest(
      '.zaui-modal-content',
    ) as HTMLElement;
    expect(withdrawConsents).not.toHaveBeenCalled();
    fireEvent.click(within(modal).getByRole('button', { name: 'Quay lại' }));
    expect(withdrawConsents).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText('Nhận thông báo qua Zalo: chưa đồng ý'));
    await waitFor(() => expect(giveConsents).toHaveBeenCalledWith(['notifications'], '2026-11-v1'));
  });

  it('signs out on this phone even when the server cannot be reached', async () => {
    useAppStore.setState({
      me,
      session: {
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: Date.now() + 60_000,
        user: { id: 'u1', displayName: 'B' },
      },
    });
    const logout = vi.fn(async () => {
      throw apiError(503);
    });
    renderWithApi(
      <AccountPage onBack={vi.fn()} />,
      fakeApi({ consentState: vi.fn(async () => state(me.consents)), logout }),
    );
    // The data requests are described honestly: made at the commune, not a button that does nothing.
    expect(screen.getByText(/chưa nhận các yêu cầu này/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Đăng xuất' }));
    await waitFor(() => expect(useAppStore.getState().session).toBeNull());
    expect(logout).toHaveBeenCalledWith('r');
  });
});

describe('smaller fixes', () => {
  it('groups the demo login list by role and names clan heads, unit heads and citizens', async () => {
    const { groupDevUsers } = await import('../src/pages/login/index.tsx');
    const u = (id: string, displayName: string, roleLabel = 'Hộ gia đình') => ({
      id,
      displayName,
      roleLabel,
      unitName: '',
    });
    const groups = groupDevUsers([
      u('1', 'Trần Thị Thu — Cán bộ Xã Mỹ An', 'Cán bộ xã'),
      u('2', 'Lê Văn Hải — Thủ trưởng Trường THCS Mỹ An'),
      u('3', 'Nguyễn Văn Bình — Hộ gia đình Tổ 1 ấp Mỹ Hòa'),
      u('4', 'Phạm Văn Tư — Trưởng Dòng họ Phạm (chi ấp Mỹ Hòa)'),
      u('5', 'Nguyễn Minh Khoa — Công dân học tập'),
      u('6', 'Võ Văn Sáu — Tổ trưởng Tổ 1', 'Tổ trưởng'),
    ]);
    expect(groups.map(([k]) => k)).toEqual([
      'Hộ gia đình',
      'Công dân học tập',
      'Trưởng dòng họ',
      'Thủ trưởng đơn vị',
      'Tổ trưởng',
      'Cán bộ xã',
    ]);
  });

  it('anchors default milestones to 15/11 and 20/11 and warns when one falls after them', async () => {
    const { defaultForm, planWarnings, validateCampaign } = await import('../src/pages/officer/campaign.tsx');
    const f = defaultForm(new Date('2026-09-01T09:00:00+07:00'));
    expect(f.days.recognitionDueAt).toBe('2026-11-15');
    expect(f.days.reportDueAt).toBe('2026-11-20');
    expect(validateCampaign(f)).toEqual({});
    expect(planWarnings(f)).toEqual({});
    const late = { ...f, days: { ...f.days, recognitionDueAt: '2026-11-18', reportDueAt: '2026-11-25' } };
    expect(planWarnings(late).recognitionDueAt).toMatch(/Sau ngày 15\/11/);
    expect(planWarnings(late).reportDueAt).toMatch(/Sau ngày 20\/11/);
  });
});
