import { useEffect } from 'react';
import { useApi } from '../../hooks/use-api.tsx';
import { useAppStore } from '../../store.ts';
import { Button } from 'zmp-ui';

// On the home screen: the inbox button with its unread count. The inbox screen (index.tsx) is
// loaded when the button is tapped.

/** Loads the unread count for the badge (home screen). */
export function useUnreadCount(): number | null {
  const api = useApi();
  const unread = useAppStore((s) => s.unread);
  const setUnread = useAppStore((s) => s.setUnread);
  useEffect(() => {
    let live = true;
    api.inbox().then(
      (p) => live && setUnread(p.unread),
      () => undefined, // the badge is a hint; the inbox screen shows errors
    );
    return () => {
      live = false;
    };
  }, [api, setUnread]);
  return unread;
}

export function InboxButton({ onOpen }: { onOpen: () => void }) {
  const unread = useUnreadCount();
  return (
    <Button variant="secondary" fullWidth className="inbox-btn" onClick={onOpen}>
      <span>Hộp thư</span>
      {unread !== null && unread > 0 && (
        <span className="badge" aria-label={`${unread} tin chưa đọc`}>
          {unread}
        </span>
      )}
    </Button>
  );
}
