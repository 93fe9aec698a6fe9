import { useEffect, useRef, type ReactNode } from 'react';
import { MemoryRouter, useInRouterContext } from 'react-router-dom';
import { ApiError } from '../services/api.ts';
import { useAppStore } from '../store.ts';
import '../css/styles/screens.css';
import { Button, Header, Page } from 'zmp-ui';

/**
 * A full-height screen as Zalo's templates build it: zmp-ui `Page` (the scroller) with zmp-ui
 * `Header` (its padding keeps the status bar's safe area above and Zalo's "… / ×" capsule, 103 px,
 * to the right: the app hides Zalo's own action bar), scrolling content, optional sticky footer.
 */
export function Screen(props: ScreenProps) {
  // Page and Header read the router; the sign-in gate and the PC console show screens outside it.
  const inRouter = useInRouterContext();
  return inRouter ? (
    <ScreenPage {...props} />
  ) : (
    <MemoryRouter>
      <ScreenPage {...props} />
    </MemoryRouter>
  );
}

interface ScreenProps {
  title: string;
  onBack?: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** When it changes (the wizard's step), the screen goes back to its top. */
  scrollKey?: string | number;
}

function ScreenPage({ title, onBack, children, footer, scrollKey }: ScreenProps) {
  const footerRef = useRef<HTMLElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  // A new step starts at its top, not at the scroll position of the one before (Page itself resets
  // on a new screen).
  useEffect(() => {
    if (typeof window === 'undefined' || /jsdom/i.test(navigator.userAgent)) return;
    pageRef.current?.scrollTo(0, 0);
  }, [scrollKey]);
  useFooterHeight(footerRef, !!footer);
  return (
    <Page className="screen" ref={pageRef}>
      <header className="screen-head">
        <Header
          className="screen-header"
          // The title is the screen's h1 (zmp-ui renders what it is given inside its title span).
          title={(<h1 className="screen-title">{title}</h1>) as unknown as string}
          showBackIcon={!!onBack}
          onBackClick={onBack}
          backIcon={
            // A plain chevron: zmp-ui's icon font comes from Zalo's CDN, which a weak link may not reach.
            <span className="screen-back-icon" role="img" aria-label="Quay lại">
              ‹
            </span>
          }
        />
        <AssistedBanner />
        <OfflineBanner />
      </header>
      <main className="screen-body">{children}</main>
      {footer && (
        <footer className="screen-footer" ref={footerRef}>
          {footer}
        </footer>
      )}
    </Page>
  );
}

/**
 * The sticky footer's height as --footer-h on the root: zmp-ui's snackbar (fixed at the bottom)
 * is lifted above it instead of covering "Tiếp" or "Gửi hồ sơ".
 */
function useFooterHeight(ref: { current: HTMLElement | null }, present: boolean) {
  useEffect(() => {
    const root = document.documentElement;
    const el = ref.current;
    if (!present || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => root.style.setProperty('--footer-h', `${el.offsetHeight}px`));
    ro.observe(el);
    return () => {
      ro.disconnect();
      // During a route animation the next screen's footer is already there: keep its height.
      const next = [...document.querySelectorAll<HTMLElement>('.screen-footer')].find((f) => f !== el);
      if (next) root.style.setProperty('--footer-h', `${next.offsetHeight}px`);
      else root.style.removeProperty('--footer-h');
    };
  }, [ref, present]);
}

/** Assisted mode is always visible: a tổ leader filling in for a household. */
export function AssistedBanner() {
  const assisted = useAppStore((s) => s.assisted);
  const setAssisted = useAppStore((s) => s.setAssisted);
  if (!assisted) return null;
  return (
    <div className="assisted-bar" role="status" title="Mọi thao tác được ghi lại là “nhập thay hộ”.">
      <span className="assisted-bar-text">
        Nhập thay: <strong>hộ {assisted.name}</strong>
      </span>
      <button type="button" className="assisted-bar-end" onClick={() => setAssisted(null)}>
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

const VIETNAMESE = /[à-ỹđ]/i;

/**
 * The Vietnamese message of any error. For a 4xx the server's own sentence says what happened
 * ("Bạn cần đồng ý cho phép gửi ảnh minh chứng…"), so it wins over the generic one by status.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail && VIETNAMESE.test(error.detail) ? error.detail : error.message;
  if (error instanceof Error && VIETNAMESE.test(error.message)) return error.message;
  return 'Có lỗi xảy ra. Vui lòng thử lại.';
}

export function ErrorState({
  error,
  onRetry,
  retryLabel = 'Thử lại',
}: {
  error: unknown;
  onRetry?: () => void;
  retryLabel?: string;
}) {
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{errorMessage(error)}</p>
      {api?.reqId && <p className="state-reqid">Mã tra cứu: {api.reqId}</p>}
      {onRetry && (
        <Button variant="primary" onClick={onRetry}>
          {retryLabel}
        </Button>
      )}
    </div>
  );
}

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="inline-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}
