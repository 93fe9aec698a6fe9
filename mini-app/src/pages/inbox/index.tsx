import { useEffect, useState } from 'react';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { formatDateTime } from '../../services/format.ts';
import type { InboxMessage } from '../../services/types.ts';
import { useAppStore } from '../../store.ts';
import { Button } from 'zmp-ui';

// The home screen's button lives in its own module: the screen itself loads on demand.
export { InboxButton, useUnreadCount } from './button.tsx';

export default function InboxPage({ onBack, openLink }: { onBack: () => void; openLink: (link: string) => void }) {
  const api = useApi();
  const setUnread = useAppStore((s) => s.setUnread);
  const page = useAsync(() => api.inbox(), [api]);
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (page.data) setUnread(page.data.unread);
  }, [page.data, setUnread]);

  const open = async (m: InboxMessage) => {
    setError(undefined);
    if (!m.readAt && !readIds.has(m.id)) {
      setReadIds((s) => new Set(s).add(m.id));
      const unread = useAppStore.getState().unread;
      if (unread) setUnread(Math.max(0, unread - 1));
      // Marking read must not block opening the message; a failure only keeps it bold.
      api.markRead(m.id).catch((err: unknown) => {
        setReadIds((s) => {
          const n = new Set(s);
          n.delete(m.id);
          return n;
        });
        setError(err);
      });
    }
    if (m.link) openLink(m.link);
  };

  let body;
  if (page.loading && !page.data) body = <LoadingState label="Đang tải tin nhắn…" />;
  else if (page.error && !page.data) body = <ErrorState error={page.error} onRetry={page.reload} />;
  else {
    const items = page.data?.items ?? [];
    body =
      items.length === 0 ? (
        <EmptyState title="Chưa có tin nhắn nào.">
          Khi tổ trưởng hoặc xã gửi kết quả, tin nhắn sẽ hiện ở đây.
        </EmptyState>
      ) : (
        <ul className="list">
          {items.map((m) => {
            const unread = !m.readAt && !readIds.has(m.id);
            return (
              <li key={m.id}>
                <button
                  type="button"
                  className={`list-item msg ${unread ? 'msg-unread' : ''}`}
                  onClick={() => void open(m)}
                >
                  <span className="msg-head">
                    {unread && <span className="dot" aria-label="Chưa đọc" />}
                    <span className="list-item-title">{m.title}</span>
                  </span>
                  <span className="msg-body">{m.body}</span>
                  <span className="list-item-sub">
                    {formatDateTime(m.createdAt)}
                    {m.link ? ' · Chạm để xem' : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      );
  }
  return (
    <Screen title="Hộp thư" onBack={onBack}>
      <InlineError error={error} />
      {body}
      {page.data && (
        <Button variant="tertiary" fullWidth onClick={page.reload}>
          Tải lại
        </Button>
      )}
    </Screen>
  );
}
