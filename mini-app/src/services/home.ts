// What the household's home screen needs, in as few round trips as the API allows. After /me
// (round trip 1) everything is asked at once (round trip 2): the campaigns need only the commune
// from /me, the person's own assessments need no campaign id (a user without an officer, leader
// or hamlet-head role can read only their own, so the unfiltered list is short), and the shipped
// criteria set for each kind of card starts downloading at the same time.
import { CATALOG_IDS } from '@hoctap/shared/catalog/ids';
import type { SubjectType } from '@hoctap/shared';
import type { Endpoints } from './api.ts';
import { preloadCatalogSets } from './catalog.ts';
import { loadProfiles, localProfiles, mayHeadSomething, type Profile } from './subjects.ts';
import type { AssessmentSummary, Campaign, Me } from './types.ts';
import { communeIdOf, currentCampaign } from '../pages/home/helpers.ts';

export interface HomeData {
  profiles: Profile[];
  /** This year's campaign of the commune; undefined before the commune opens one. */
  campaign: Campaign | undefined;
  /** The profiles' assessments in that campaign. */
  assessments: AssessmentSummary[];
}

/** True when the server scopes the person's reads to their own subjects (no staff role). */
export function readsOnlyOwn(me: Me): boolean {
  return me.roles.length === 0;
}

export async function loadHome(api: Endpoints, me: Me): Promise<HomeData> {
  const known = localProfiles(me).map((p) => p.subjectType);
  // Usually the campaign uses the shipped set: fetch it now, not after the campaign arrives.
  void preloadCatalogSets(known.map((t) => CATALOG_IDS[t]));
  const own = readsOnlyOwn(me);
  const [profiles, campaigns, mine] = await Promise.all([
    loadProfiles(api, me),
    api.campaigns(communeIdOf(me)),
    own ? api.assessments({}) : Promise.resolve(undefined),
  ]);
  const campaign = profiles.length > 0 ? currentCampaign(campaigns) : undefined;
  if (!campaign) return { profiles, campaign, assessments: [] };
  const types = [...new Set<SubjectType>(profiles.map((p) => p.subjectType))];
  const sets = preloadCatalogSets(types.map((t) => campaign.criteriaSetIds[t]));
  const assessments = mine
    ? mine.filter((a) => a.campaignId === campaign.id && types.includes(a.subjectType))
    : // Staff read much more than their own: ask per subject type, for this campaign only.
      (await Promise.all(types.map((subjectType) => api.assessments({ campaignId: campaign.id, subjectType })))).flat();
  // The cards render with their set (a citizen's subject groups): wait here rather than flash a
  // loading screen from <Suspense>. Already in flight (or cached) in the common case.
  await sets;
  return { profiles, campaign, assessments };
}

let started: { userId: string; home: Promise<HomeData> } | undefined;

/**
 * Starts home's requests with the sign-in answer (which carries /me), before React has rendered
 * the home screen: that render took ~0,1 s at 4× CPU slowdown, a tenth of the tap → card budget.
 * Profiles takes the answer with takeStartedHome. Not for someone who will see the consent screen
 * or the household link first.
 */
export function startHome(api: Endpoints, me: Me): void {
  if (!me.consents.evaluation || mayHeadSomething(me)) return;
  const home = loadHome(api, me);
  home.catch(() => undefined); // Profiles shows the error if it takes this answer
  started = { userId: me.id, home };
}

/** The home started at sign-in for this person, once; undefined otherwise (then call loadHome). */
export function takeStartedHome(me: Me): Promise<HomeData> | undefined {
  const s = started;
  started = undefined;
  return s?.userId === me.id ? s.home : undefined;
}
