import { useEffect } from 'react';
import { useAppStore } from '../store.ts';

/** Keeps store.online in sync with the browser's online/offline events. */
export function useOnlineTracking(): void {
  const setOnline = useAppStore((s) => s.setOnline);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [setOnline]);
}
