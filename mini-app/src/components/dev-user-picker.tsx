import { useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { ApiError } from '../services/api.ts';
import type { Endpoints } from '../services/api.ts';
import type { DevUser, LoginResponse } from '../services/types.ts';
import { useAppStore } from '../store.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from './screen.tsx';

/** The phone's list and the console's grid are the same markup with different classes. */
const LOOK = {
  phone: {
    groups: 'stack',
    section: 'stack',
    heading: 'h2',
    list: 'list',
    item: 'list-item',
    name: 'list-item-title',
    sub: 'list-item-sub',
    intro: 'section-label',
  },
  console: {
    groups: 'console-login-groups',
    section: undefined,
    heading: 'console-h3',
    list: 'console-pick',
    item: undefined,
    name: 'console-pick-name',
    sub: 'console-pick-sub',
    intro: 'small',
  },
} as const;

/**
 * The development login: the server's demo accounts by group, one tap signs in. Shared by the
 * phone's login screen and the console's (each says who it lists and how to sign in otherwise).
 */
export function DevUserPicker({
  look,
  groupsOf,
  texts,
  afterSignIn,
}: {
  look: keyof typeof LOOK;
  groupsOf: (list: DevUser[]) => (readonly [string, DevUser[]])[];
  texts: { intro: string; loading: string; off: string; empty: string };
  /** Right after the session is stored (the phone starts home's requests here). */
  afterSignIn?: (api: Endpoints, login: LoginResponse) => void;
}) {
  const api = useApi();
  const signIn = useAppStore((s) => s.signIn);
  const users = useAsync(() => api.devUsers(), [api]);
  const [busyId, setBusyId] = useState<string>();
  const [error, setError] = useState<unknown>();
  const c = LOOK[look];
  const Heading = look === 'phone' ? 'h2' : 'h3';

  const pick = async (u: DevUser) => {
    setBusyId(u.id);
    setError(undefined);
    try {
      const login = await api.devLogin(u.id);
      signIn(login);
      afterSignIn?.(api, login);
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(undefined);
    }
  };

  if (users.loading && !users.data) return <LoadingState label={texts.loading} />;
  if (users.error && !users.data) {
    if (users.error instanceof ApiError && users.error.status === 404) return <EmptyState title={texts.off} />;
    return <ErrorState error={users.error} onRetry={users.reload} />;
  }
  const groups = groupsOf(users.data ?? []).filter(([, list]) => list.length > 0);
  if (groups.length === 0) return <EmptyState title={texts.empty} />;
  return (
    <div className="stack">
      <p className={c.intro}>{texts.intro}</p>
      <InlineError error={error} />
      <div className={c.groups}>
        {groups.map(([label, members]) => (
          <section key={label} className={c.section} aria-label={label}>
            <Heading className={c.heading}>{label}</Heading>
            <ul className={c.list}>
              {members.map((u) => (
                <li key={u.id}>
                  <button type="button" className={c.item} onClick={() => void pick(u)} disabled={busyId !== undefined}>
                    <span className={c.name}>{u.displayName}</span>
                    {busyId === u.id ? (
                      <span className={c.sub}>Đang đăng nhập…</span>
                    ) : (
                      u.unitName && <span className={c.sub}>{u.unitName}</span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
