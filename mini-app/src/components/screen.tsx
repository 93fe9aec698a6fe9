import type { ReactNode } from 'react';
import { ApiError } from '../services/api.ts';
import { useAppStore } from '../store.ts';

/** A full-height screen: title bar, scrolling content, optional sticky footer. */
export function Screen({
  title,
  onBack,
  children,
  footer,
}: {
  title: string;
  onBack?: () => void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="screen">
      <header className="topbar-wrap">
        <div className="topbar">
          {onBack && (
            <button type="button" className="topbar-back" onClick={onBack} aria-label="Quay lại">
              ‹
            </button>
          )}
          <h1 className="topbar-title">{title}</h1>
        </div>
        <AssistedBanner />
        <OfflineBanner />
      </header>
      <main className="screen-body">{children}</main>
      {footer && <footer className="screen-footer">{footer}</footer>}
    </div>
  );
}

/** Assisted mode is always visible: a tổ leader filling in for a household. */
export function AssistedBanner() {
  const assisted = useAppStore((s) => s.assisted);
  const setAssisted = useAppStore((s) => s.setAssisted);
  if (!assisted) return null;
  return (
    <div className="banner banner-assisted" role="status">
      <span>Bạn đang nhập thay cho hộ {assisted.name}. Mọi thao tác được ghi lại là “nhập thay hộ”.</span>
      <button type="button" className="btn btn-small btn-assisted" onClick={() => setAssisted(null)}>
        Kết thúc nhập thay
      </button>
    </div>
  );
}

export function OfflineBanner() {
  const online = useAppStore((s) => s.online);
  if (online) return null;
  return (
    <div className="banner banner-offline" role="status">
      Đang mất mạng. Những gì bạn nhập vẫn được lưu trên máy và sẽ gửi khi có mạng.
    </div>
  );
}

export function LoadingState({ label = 'Đang tải…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** The Vietnamese message of any error. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && /[à-ỹđ]/i.test(error.message)) return error.message;
  return 'Có lỗi xảy ra. Vui lòng thử lại.';
}

export function ErrorState({ error, onRetry, retryLabel = 'Thử lại' }: { error: unknown; onRetry?: () => void; retryLabel?: string }) {
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{errorMessage(error)}</p>
      {api?.detail && <p className="state-detail">{api.detail}</p>}
      {api?.reqId && <p className="state-reqid">Mã tra cứu: {api.reqId}</p>}
      {onRetry && (
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div className="inline-error" role="alert">
      {errorMessage(error)}
      {api?.detail && <div className="state-detail">{api.detail}</div>}
    </div>
  );
}
