// Stable ids of the shipped sets, apart from the sets themselves: the mini app needs the ids
// without loading (or validating) every set, see mini-app/src/services/catalog.ts.
export const CATALOG_IDS = {
  household: 'gdht-448-2015-v1',
  clan: 'dhht-448-2015-v1',
  community: 'cdht-thon-448-2015-v1',
  unit: 'dvht-xa-tt22-2020-v1',
  citizen: 'cdht-244-2022-v1',
} as const;
