import { preloadCatalogSets } from './catalog.ts';
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

function readKept(userId: string): HomeData | undefined {
  try {
    const kept = JSON.parse(storage()?.getItem(KEPT) ?? 'null') as { userId: string; home: HomeData } | null;
    return kept?.userId === userId ? kept.home : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The kept home, on the first home of this start only: coming back to home later (after sending a
 * form) must not flash the cards as they were before it.
 */
export function takeKeptHome(userId: string): HomeData | undefined {
  if (taken) return undefined;
  taken = true;
  return readKept(userId);
}

/**
 * The criteria sets the kept cards render with (a card reads its set's subject groups), for app.ts
 * to load before the first render. A card whose set is still downloading suspends, and once React
 * has shown a Suspense fallback it holds it for at least 500 ms before showing the content: that
 * alone cost a warm start ~0,25 s although the set comes from the HTTP cache in a few ms.
 */
export function preloadKeptHomeSets(userId: string): Promise<void> {
  const home = readKept(userId);
  const campaign = home?.campaign;
  if (!home || !campaign) return Promise.resolve();
  return preloadCatalogSets(home.profiles.map((p) => campaign.criteriaSetIds[p.subjectType]));
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
