import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalog, CATALOG_IDS, getCatalogSet, requireCatalogSet } from './index.ts';
import { parseCriteriaSet, provisionalItems, score, SUBJECT_TYPES } from '../index.ts';

// Tests may read the directory (Node); the loader itself must not, so it runs in the browser.
const dir = fileURLToPath(new URL('../../catalog/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped catalog', () => {
  it.each(files)('%s validates and is loaded under its file name', (file) => {
    const json: unknown = JSON.parse(readFileSync(dir + file, 'utf8'));
    const r = parseCriteriaSet(json);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) {
      expect(`${r.set.id}.json`).toBe(file);
      expect(getCatalogSet(r.set.id)).toEqual(r.set);
    }
  });

  it('has one set per subject type, with the documented ids', () => {
    expect(catalog).toHaveLength(files.length);
    expect(catalog.map((s) => s.subjectType).sort()).toEqual([...SUBJECT_TYPES].sort());
    for (const type of SUBJECT_TYPES) expect(requireCatalogSet(CATALOG_IDS[type]).subjectType).toBe(type);
    expect(getCatalogSet('nope')).toBeUndefined();
    expect(() => requireCatalogSet('nope')).toThrow();
  });

  it('sets are frozen (the engine caches per set object)', () => {
    const set = requireCatalogSet(CATALOG_IDS.household);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set.criteria[0]!.indicators[0])).toBe(true);
  });

  it('GĐHT: criterion 1 is official; criteria 2–4 hold the provisional values; total 100', () => {
    const set = requireCatalogSet(CATALOG_IDS.household);
    const c1 = set.criteria[0]!;
    expect(c1.maxPoints).toBe(30);
    expect([c1.provenance.status, ...c1.indicators.map((i) => i.provenance.status)]).toEqual([
      'official',
      'official',
      'official',
      'official',
    ]);
    const provisional = provisionalItems(set).map((p) => p.code);
    expect(provisional).toEqual(['2.2', '2.3', '3', '3.1', '3.2', '4', '4.1', '4.2', 'threshold']);
    expect(score(set, {}).maxTotal).toBe(100);
  });

  it('DHHT: four conditions, 50 % GĐHT prerequisite (≥)', () => {
    const set = requireCatalogSet(CATALOG_IDS.clan);
    expect(set.criteria.flatMap((c) => c.indicators.map((i) => i.code))).toEqual(['N1', 'N2', 'N3', 'N4']);
    expect(set.prerequisites).toMatchObject([{ share: 'householdsWithGdht', minShare: 0.5, comparison: 'gte' }]);
  });

  it('CDHT: 3 competencies, 10 indicators × 10, ≥ 80 and no indicator < 5, 4 subject groups', () => {
    const set = requireCatalogSet(CATALOG_IDS.citizen);
    expect(set.criteria).toHaveLength(3);
    const inds = set.criteria.flatMap((c) => c.indicators);
    expect(inds).toHaveLength(10);
    expect(inds.every((i) => i.maxPoints === 10)).toBe(true);
    expect(set.ratingRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'threshold', minTotal: 80 }),
        expect.objectContaining({ type: 'indicatorFloor', minPoints: 5 }),
      ]),
    );
    expect(set.subjectGroups?.map((g) => g.code)).toEqual(['nong-dan', 'cong-nhan', 'can-bo', 'hoc-sinh']);
  });

  it('ĐVHT: bands 85/70/50, provisional for the commune level', () => {
    const set = requireCatalogSet(CATALOG_IDS.unit);
    const bands = set.ratingRules.find((r) => r.type === 'bands');
    expect(bands?.provenance.status).toBe('provisional');
    expect(bands?.type === 'bands' && bands.bands.map((b) => b.min)).toEqual([85, 70, 50, 0]);
  });

  it('every provisional value explains itself or cites a source', () => {
    for (const set of catalog) {
      for (const item of provisionalItems(set)) {
        expect(item.note !== undefined || item.path.length > 0, `${set.id} ${item.path}`).toBe(true);
      }
    }
  });
});
