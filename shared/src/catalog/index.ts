import { assertCriteriaSet, type CriteriaSet } from '../criteria/index.ts';
import gdht from '../../catalog/gdht-448-2015-v1.json' with { type: 'json' };
import dhht from '../../catalog/dhht-448-2015-v1.json' with { type: 'json' };
import cdhtThon from '../../catalog/cdht-thon-448-2015-v1.json' with { type: 'json' };
import dvhtXa from '../../catalog/dvht-xa-tt22-2020-v1.json' with { type: 'json' };
import cdht from '../../catalog/cdht-244-2022-v1.json' with { type: 'json' };

/*
 * The criteria sets shipped with the system, one JSON file per set in shared/catalog/. They are
 * imported as JSON modules (no fs) so the mini app bundles them too, and parsed through the same
 * parseCriteriaSet() as uploaded province sets: a broken file fails loudly at import time.
 * Sets are deep-frozen because the engine caches compiled forms per set object.
 */

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const files: ReadonlyArray<readonly [string, unknown]> = [
  ['gdht-448-2015-v1.json', gdht],
  ['dhht-448-2015-v1.json', dhht],
  ['cdht-thon-448-2015-v1.json', cdhtThon],
  ['dvht-xa-tt22-2020-v1.json', dvhtXa],
  ['cdht-244-2022-v1.json', cdht],
];

export const catalog: readonly CriteriaSet[] = Object.freeze(
  files.map(([file, json]) => deepFreeze(assertCriteriaSet(json, `catalog/${file}`))),
);

const byId = new Map(catalog.map((s) => [s.id, s]));

/** Stable ids of the shipped sets. */
export { CATALOG_IDS } from './ids.ts';

export function getCatalogSet(id: string): CriteriaSet | undefined {
  return byId.get(id);
}

/** Like getCatalogSet, for ids known to exist (CATALOG_IDS); throws otherwise. */
export function requireCatalogSet(id: string): CriteriaSet {
  const set = byId.get(id);
  if (!set) throw new Error(`Unknown catalog criteria set "${id}"`);
  return set;
}
