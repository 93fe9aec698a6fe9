import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PhotoSlot } from '../src/components/photo-slot.tsx';
import { PhotoEvidence } from '../src/components/photo-evidence.tsx';
import { apiError, evidence, fakeApi, renderWithApi } from './helpers.tsx';
import type { EvidenceDto } from '../src/services/types.ts';
import { ApiError } from '../src/services/api.ts';
import { useAppStore } from '../src/store.ts';

describe('PhotoSlot states', () => {
  it('empty: a large add button', () => {
    const onPick = vi.fn();
    render(<PhotoSlot state={{ kind: 'empty' }} onPick={onPick} />);
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
    expect(onPick).toHaveBeenCalled();
  });

  it('preparing: the size of the photo as taken, before it is made smaller and sent', () => {
    render(<PhotoSlot state={{ kind: 'preparing', previewUrl: 'blob:x', bytes: 4.2 * 1024 * 1024 }} />);
    expect(screen.getByText('Đang thu nhỏ ảnh 4,2 MB…')).toBeTruthy();
  });

  it('uploading: progress in percent', () => {
    render(<PhotoSlot state={{ kind: 'uploading', progress: 0.42, previewUrl: 'blob:x' }} />);
    expect(screen.getByText('Đang gửi 42%')).toBeTruthy();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(42);
    expect(screen.getByAltText('Ảnh minh chứng')).toBeTruthy();
  });

  it('done: preview and a sent mark', () => {
    render(<PhotoSlot state={{ kind: 'done', previewUrl: 'blob:x' }} />);
    expect(screen.getByText('✓ Đã gửi')).toBeTruthy();
  });

  it('failed: message and retry', () => {
    const onRetry = vi.fn();
    render(
      <PhotoSlot
        state={{ kind: 'failed', message: 'Chưa gửi được ảnh.' }}
        onRetry={onRetry}
        onRemove={() => undefined}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Chưa gửi được ảnh.');
    fireEvent.click(screen.getByRole('button', { name: 'Gửi lại' }));
    expect(onRetry).toHaveBeenCalled();
  });
});

describe('PhotoEvidence upload flow', () => {
  it('resizes, uploads with progress, fails, and succeeds on retry with the same upload key', async () => {
    let resolveUpload: ((e: EvidenceDto) => void) | undefined;
    let progress: ((f: number) => void) | undefined;
    const keys: string[] = [];
    let attempt = 0;
    const uploadEvidence = vi.fn(
      (_id: string, _code: string, _file: Blob, key: string, onProgress?: (f: number) => void) => {
        keys.push(key);
        progress = onProgress;
        attempt++;
        if (attempt === 1) return Promise.reject(apiError(503));
        return new Promise<EvidenceDto>((r) => (resolveUpload = r));
      },
    );
    const api = fakeApi({ uploadEvidence });
    const prepare = vi.fn(async (b: Blob) => new Blob([b], { type: 'image/jpeg' }));
    const onUploaded = vi.fn();
    const photo = new Blob(['raw'], { type: 'image/png' });

    function Harness() {
      return (
        <PhotoEvidence
          assessmentId="a1"
          indicatorCode="1.1"
          required={1}
          hint="Ảnh thẻ học sinh"
          existing={[]}
          onUploaded={onUploaded}
          pick={async () => [{ blob: photo, name: 'a.png' }]}
          prepare={prepare}
        />
      );
    }
    renderWithApi(<Harness />, api);
    expect(screen.getByText('Ảnh minh chứng (cần 1 ảnh, đã có 0)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));

    // first attempt fails (503 after the client's own retries)
    await screen.findByTestId('photo-failed');
    expect(screen.getByRole('alert').textContent).toContain('Máy chủ đang bận');
    expect(prepare).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: 'Gửi lại' }));
    await screen.findByTestId('photo-uploading');
    act(() => progress?.(0.5));
    expect(screen.getByText('Đang gửi ảnh 1 KB · 50%')).toBeTruthy(); // the size is shown before it is sent
    await act(async () => resolveUpload?.(evidence('e1', '1.1')));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(evidence('e1', '1.1')));
    expect(prepare).toHaveBeenCalledTimes(1); // the resized photo is reused on retry
    expect(keys[0]).toBe(keys[1]);
  });

  function Evidence({ upload }: { upload: ReturnType<typeof vi.fn> }) {
    return renderWithApi(
      <PhotoEvidence
        assessmentId="a1"
        indicatorCode="1.1"
        required={1}
        existing={[]}
        onUploaded={() => undefined}
        pick={async () => [{ blob: new Blob(['raw'], { type: 'image/jpeg' }), name: 'a.jpg' }]}
        prepare={async (b) => b}
      />,
      fakeApi({ uploadEvidence: upload }),
    );
  }

  it('offline: the failed photo says it will go by itself, and goes with the same key when the network returns', async () => {
    useAppStore.getState().setOnline(false);
    const keys: string[] = [];
    const upload = vi.fn((_a: string, _c: string, _f: Blob, key: string) => {
      keys.push(key);
      return keys.length === 1 ? Promise.reject(new ApiError('offline', 0)) : Promise.resolve(evidence('e9', '1.1'));
    });
    Evidence({ upload });
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
    await screen.findByTestId('photo-failed');
    expect(screen.getByRole('alert').textContent).toContain('Ảnh sẽ tự gửi lại khi có mạng');
    expect(upload).toHaveBeenCalledTimes(1);
    act(() => useAppStore.getState().setOnline(true)); // the browser's "online" event
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    expect(keys[1]).toBe(keys[0]);
    await waitFor(() => expect(screen.queryByTestId('photo-failed')).toBeNull());
  });

  it('a photo that can never succeed (wrong format) offers no "Gửi lại", only "Bỏ ảnh", and is not resent', async () => {
    useAppStore.getState().setOnline(false);
    const upload = vi.fn(() => Promise.reject(apiError(415, 'Định dạng ảnh không được hỗ trợ (chỉ nhận JPEG, PNG).')));
    Evidence({ upload });
    fireEvent.click(screen.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }));
    await screen.findByTestId('photo-failed');
    expect(screen.getByRole('alert').textContent).toContain('Định dạng ảnh không được hỗ trợ');
    expect(screen.queryByRole('button', { name: 'Gửi lại' })).toBeNull();
    act(() => useAppStore.getState().setOnline(true));
    expect(upload).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Bỏ ảnh' }));
    expect(screen.queryByTestId('photo-failed')).toBeNull();
  });
});
