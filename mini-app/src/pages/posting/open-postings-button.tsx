import { Button } from 'zmp-ui';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { useAppStore } from '../../store.ts';

/**
 * On the home screen: the way in to the lists posted in the resident's hamlet while a window is
 * open (docs/transparency.md §2), so a resident who missed the group message can still read the
 * list and object. Asked for after home's own data, so it never slows the home screen; shows
 * nothing when no window is open or the request fails (the group message still links the list).
 */
export function OpenPostingsButton({ onOpen }: { onOpen: () => void }) {
  const api = useApi();
  const homeLoaded = useAppStore((s) => s.mine.length > 0);
  const list = useAsync(async () => (homeLoaded ? api.postings.list() : []), [api, homeLoaded]);
  const open = (list.data ?? []).filter((p) => p.open).length;
  if (open === 0) return null;
  return (
    <Button variant="secondary" fullWidth onClick={onOpen}>
      {open === 1 ? 'Xem danh sách đang niêm yết ở ấp' : `Xem ${open} danh sách đang niêm yết ở ấp`}
    </Button>
  );
}
