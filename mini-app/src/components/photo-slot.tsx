import { useEffect, useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';
import { formatBytes } from '../services/image.ts';
import { Button } from 'zmp-ui';

export type PhotoSlotState =
  | { kind: 'empty' }
  | { kind: 'preparing'; previewUrl?: string | undefined; bytes?: number | undefined }
  | { kind: 'uploading'; progress: number; previewUrl?: string | undefined; bytes?: number | undefined }
  | { kind: 'done'; previewUrl?: string | undefined }
  | {
      kind: 'failed';
      message: string;
      previewUrl?: string | undefined;
      /** False when the same file can never succeed (format, size): no "Gửi lại". */
      retryable?: boolean;
      /** A network/server outage: resent by itself when the phone is back online. */
      transient?: boolean;
    };

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
          <span>
            {state.kind === 'preparing'
              ? // The phone's photo as taken (often 3–5 MB), then below what is actually sent.
                `Đang thu nhỏ ảnh${state.bytes ? ` ${formatBytes(state.bytes)}` : ''}…`
              : `Đang gửi ${state.bytes ? `ảnh ${formatBytes(state.bytes)} · ` : ''}${pct}%`}
          </span>
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
          {onRetry && state.retryable !== false && (
            <Button variant="primary" size="small" onClick={onRetry}>
              Gửi lại
            </Button>
          )}
          {onRemove && (
            <Button variant="tertiary" size="small" className="on-dark" onClick={onRemove}>
              Bỏ ảnh
            </Button>
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Right after an upload the server is still processing the photo (409), or the link dropped:
    // ask again a few times with a growing pause instead of showing "Đang tải ảnh…" for ever.
    const load = (attempt: number) =>
      api.evidenceBlob(path).then(
        (blob) => {
          if (!live || !(blob instanceof Blob)) return;
          url = URL.createObjectURL(blob);
          setSrc(url);
        },
        () => {
          if (live && attempt < 6) timer = setTimeout(() => void load(attempt + 1), 1000 * 2 ** attempt);
        },
      );
    void load(0);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, path]);
  return src;
}
