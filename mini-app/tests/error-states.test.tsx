import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import LoginPage from '../src/pages/login/index.tsx';
import LinkHouseholdPage from '../src/pages/link-household/index.tsx';
import ConsentPage from '../src/pages/consent/index.tsx';
import { ApiError } from '../src/services/api.ts';
import { useAppStore } from '../src/store.ts';
import { apiError, consentStateFixture, fakeApi, meFixture, renderWithApi } from './helpers.tsx';
import type { Me } from '../src/services/types.ts';

// A household member has no staff role: the server's roles are leader, hamlet_head, officer, …
const me: Me = meFixture({ consents: { evaluation: false, photos: false, notifications: false } });

describe('login screen', () => {
  it('shows the error, a request id and a retry button, then the users', async () => {
    const devUsers = vi
      .fn()
      .mockRejectedValueOnce(apiError(503, 'Server under pressure', 'req-1'))
      .mockResolvedValueOnce([{ id: 'u1', displayName: 'Nguyễn Thị Hoa', roleLabel: 'Hộ gia đình', unitName: 'Tổ 3' }]);
    renderWithApi(<LoginPage inZalo={false} />, fakeApi({ devUsers }));
    await screen.findByText('Máy chủ đang bận. Vui lòng thử lại sau ít phút.');
    expect(screen.getByText('Mã tra cứu: req-1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await screen.findByText('Nguyễn Thị Hoa');
  });

  it('shows an offline message on network failure', async () => {
    const devUsers = vi.fn().mockRejectedValue(new ApiError('offline', 0));
    renderWithApi(<LoginPage inZalo={false} />, fakeApi({ devUsers }));
    await screen.findByText(/Điện thoại đang mất mạng/);
  });

  it('logs in with the picked development user', async () => {
    useAppStore.getState().signOut();
    const devLogin = vi.fn(async () => ({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      tokenType: 'Bearer' as const,
      user: meFixture({ displayName: 'Hoa' }),
    }));
    const devUsers = vi.fn(async () => [
      { id: 'u1', displayName: 'Nguyễn Thị Hoa', roleLabel: 'Hộ gia đình', unitName: 'Tổ 3' },
    ]);
    renderWithApi(<LoginPage inZalo={false} />, fakeApi({ devUsers, devLogin }));
    fireEvent.click(await screen.findByRole('button', { name: /Nguyễn Thị Hoa/ }));
    await waitFor(() => expect(useAppStore.getState().session?.accessToken).toBe('a'));
    expect(devLogin).toHaveBeenCalledWith('u1');
  });
});

describe('consent screen', () => {
  it('sends the chosen purposes with the text version; shows errors inline', async () => {
    useAppStore.setState({ me });
    const giveConsents = vi
      .fn()
      .mockRejectedValueOnce(apiError(400, 'purposes: Invalid option', 'req-2'))
      .mockResolvedValueOnce(consentStateFixture({ evaluation: true, photos: true, notifications: false }));
    const meCall = vi.fn(async () => ({ ...me, consents: { evaluation: true, photos: true, notifications: false } }));
    renderWithApi(<ConsentPage />, fakeApi({ giveConsents, me: meCall }));
    expect(screen.getByRole('checkbox', { name: /Đánh giá danh hiệu/ })).toBeTruthy();
    expect(screen.getByText(/Ảnh minh chứng/)).toBeTruthy();
    expect(screen.getByText(/Nhận thông báo qua Zalo/)).toBeTruthy();
    const agree = screen.getByRole('button', { name: 'Đồng ý và tiếp tục' }) as HTMLButtonElement;
    expect(agree.disabled).toBe(true); // nothing pre-ticked
    fireEvent.click(screen.getByRole('checkbox', { name: /Đánh giá danh hiệu/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Ảnh minh chứng/ }));
    fireEvent.click(agree);
    await screen.findByText('Thông tin gửi lên chưa hợp lệ.');
    // A server text that is not Vietnamese never reaches the screen.
    expect(screen.queryByText('purposes: Invalid option')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Đồng ý và tiếp tục' }));
    await waitFor(() => expect(useAppStore.getState().me?.consents.evaluation).toBe(true));
    expect(giveConsents).toHaveBeenLastCalledWith(['evaluation', 'photos'], expect.any(String));
  });
});

describe('link household screen', () => {
  it('keeps the typed code after a failed claim', async () => {
    useAppStore.setState({ me: { ...me, consents: { evaluation: true, photos: true, notifications: true } } });
    const claimInvite = vi.fn().mockRejectedValue(apiError(410, 'Invite expired', 'req-3'));
    const view = renderWithApi(<LinkHouseholdPage />, fakeApi({ claimInvite }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Mã mời' }), { target: { value: 'ab 12cd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Liên kết' }));
    await screen.findByText('Mã này đã hết hạn hoặc đã được dùng.');
    expect(claimInvite).toHaveBeenCalledWith('AB12CD');
    view.unmount();
    renderWithApi(<LinkHouseholdPage />, fakeApi({ claimInvite }));
    expect((screen.getByRole('textbox', { name: 'Mã mời' }) as HTMLInputElement).value).toBe('AB12CD');
  });
});
