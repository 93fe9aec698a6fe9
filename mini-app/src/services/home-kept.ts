import type { HomeData } from './home.ts';

// The last home a person saw, for the next warm start: the first home shows it at once (no round trip before
// the cards) while loadHome asks again, and the fresh answer replaces it within a round trip. Kept
// per user id, so another person signing in on a shared phone never sees it; removed on sign-out.
const KEPT = 'hoctap:home';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (private mode): no warm start, nothing else changes
  }
}

let taken = false;

/**
 * The kept home, on the first home of this start only: coming back to home later (after sending a
 * form) must not flash the cards as they were before it.
 */
export function takeKeptHome(userId: string): HomeData | undefined {
  if (taken) return undefined;
  taken = true;
  try {
    const kept = JSON.parse(storage()?.getItem(KEPT) ?? 'null') as { userId: string; home: HomeData } | null;
    return kept?.userId === userId ? kept.home : undefined;
  } catch {
    return undefined;
  }
}

export function keepHome(userId: string, home: HomeData): void {
  try {
    storage()?.setItem(KEPT, JSON.stringify({ userId, home }));
  } catch {
    /* full or refused: the next start asks the network, as before */
  }
}

export function forgetHome(): void {
  try {
    storage()?.removeItem(KEPT);
  } catch {
    /* nothing kept */
  }
}
