import { useEffect, useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';

export type PhotoSlotState =
  | { kind: 'empty' }
  | { kind: 'preparing'; previewUrl?: string | undefined }
  | { kind: 'uploading'; progress: number; previewUrl?: string | undefined }
  | { kind: 'done'; previewUrl?: string | undefined }
  | { kind: 'failed'; message: string; previewUrl?: string | undefined };

/** One photo: empty (add button), preparing/uploading (progress), done (preview), failed (retry). */
export function PhotoSlot({
  state,
  onPick,
  onRetry,
  onRemove,
  label = 'Chụp hoặc chọn ảnh',
}: {
  state: PhotoSlotState;
  onPick?: () => void;
  onRetry?: () => void;
  onRemove?: () => void;
  label?: string;
}) {
  if (state.kind === 'empty') {
    return (
      <button type="button" className="photo photo-empty" onClick={onPick}>
        <span className="photo-plus" aria-hidden="true">
          +
        </span>
        <span>{label}</span>
      </button>
    );
  }
  const preview = state.previewUrl ? <img className="photo-img" src={state.previewUrl} alt="Ảnh minh chứng" /> : null;
  if (state.kind === 'preparing' || state.kind === 'uploading') {
    const pct = state.kind === 'uploading' ? Math.round(state.progress * 100) : 0;
    return (
      <div className="photo photo-busy" data-testid="photo-uploading">
        {preview}
        <div className="photo-overlay" role="status">
          <span>{state.kind === 'preparing' ? 'Đang nén ảnh…' : `Đang gửi ${pct}%`}</span>
          <progress max={100} value={state.kind === 'uploading' ? pct : undefined} aria-label="Tiến độ gửi ảnh" />
        </div>
      </div>
    );
  }
  if (state.kind === 'failed') {
    return (
      <div className="photo photo-failed" data-testid="photo-failed">
        {preview}
        <div className="photo-overlay photo-overlay-error" role="alert">
          <span>{state.message}</span>
          <button type="button" className="btn btn-small btn-primary" onClick={onRetry}>
            Gửi lại
          </button>
          {onRemove && (
            <button type="button" className="btn btn-small btn-link-light" onClick={onRemove}>
              Bỏ ảnh
            </button>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="photo photo-done" data-testid="photo-done">
      {preview ?? <span className="photo-placeholder">Ảnh đã gửi</span>}
      <span className="photo-ok">✓ Đã gửi</span>
    </div>
  );
}

/** An evidence thumbnail from the server: needs the Bearer token, so it is fetched as a blob. */
export function useAuthImage(path: string | undefined): string | undefined {
  const api = useApi();
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    if (!path) return;
    let url: string | undefined;
    let live = true;
    api.evidenceBlob(path).then(
      (blob) => {
        if (!live || !(blob instanceof Blob)) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, path]);
  return src;
}
