// The one store: session tokens, the signed-in person, connectivity. Screens keep their own local
// state (forms, wizard position); what must survive a restart is in services/drafts.ts.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { LoginResponse, Me, SessionUser, TokenPair } from './services/types.ts';
import { forgetHome } from './services/home-kept.ts';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** ms epoch. */
  expiresAt: number;
  user: SessionUser;
}

export interface AppState {
  session: Session | null;
  me: Me | null;
  /** `me` was read from the phone's storage on this start: app.tsx asks /me once in the background. */
  meFromStorage: boolean;
  online: boolean;
  /** Assisted mode: a tổ leader filling in for this household (sent as X-Act-For-Household). */
  assisted: { householdId: string; name: string } | null;
  /** Unread inbox messages (the badge); null until first loaded. */
  unread: number | null;
  /** Subjects this person fills in themselves (household, person, clans and units they head, their hamlet). */
  mine: string[];
  setMine: (ids: string[]) => void;
  setAssisted: (a: { householdId: string; name: string } | null) => void;
  setUnread: (n: number | null) => void;
  signIn: (login: LoginResponse) => void;
  setTokens: (tokens: TokenPair) => void;
  setMe: (me: Me | null) => void;
  signOut: () => void;
  setOnline: (online: boolean) => void;
}

export const useAppStore = create<AppState>()(
  persist(
    (set) => ({
      session: null,
      me: null,
      meFromStorage: false,
      online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
      assisted: null,
      unread: null,
      mine: [],
      setMine: (mine) => set({ mine }),
      setAssisted: (assisted) => set({ assisted }),
      setUnread: (unread) => set({ unread }),
      signIn: (login) =>
        set({
          session: {
            accessToken: login.accessToken,
            refreshToken: login.refreshToken,
            expiresAt: Date.now() + login.expiresIn * 1000,
            user: { id: login.user.id, displayName: login.user.displayName },
          },
          // The sign-in answer carries the same "who am I" as GET /me: asking it again would put a
          // round trip between the tap and home.
          me: login.user,
          meFromStorage: false,
          assisted: null,
          unread: null,
          mine: [],
        }),
      setTokens: (t) =>
        set((s) =>
          s.session
            ? {
                session: {
                  ...s.session,
                  accessToken: t.accessToken,
                  refreshToken: t.refreshToken,
                  expiresAt: Date.now() + t.expiresIn * 1000,
                },
              }
            : {},
        ),
      setMe: (me) => set({ me, meFromStorage: false }),
      signOut: () => {
        forgetHome();
        set({ session: null, me: null, meFromStorage: false, assisted: null, unread: null, mine: [] });
      },
      setOnline: (online) => set({ online }),
    }),
    {
      name: 'hoctap:session',
      storage: createJSONStorage(() => localStorage),
      // `me` too: a warm start renders home at once and refreshes it in the background (app.tsx).
      partialize: (s) => ({ session: s.session, me: s.me, assisted: s.assisted }),
      merge: (kept, current) => {
        const k = (kept ?? {}) as Partial<AppState>;
        return { ...current, ...k, meFromStorage: !!k.me };
      },
    },
  ),
);

/** A household member holds no staff role (/me lists staff roles only), so the household screens are theirs. */
export function isHouseholdUser(me: Me): boolean {
  return me.roles.length === 0;
}

export type HomeKind = 'household' | 'leader' | 'officer';

/** Which home a person sees first: the most senior role wins (an officer who is also a household). */
export function homeKind(me: Me): HomeKind {
  const roles = new Set(me.roles.map((r) => r.role));
  if (roles.has('officer') || roles.has('admin') || roles.has('province_viewer')) return 'officer';
  if (roles.has('leader') || roles.has('hamlet_head')) return 'leader';
  return 'household';
}
