import { describe, expect, it } from 'vitest';
import { catalog } from '@hoctap/shared/catalog';
import { CATALOG_IDS } from '@hoctap/shared/catalog/ids';
import { catalogSetIds, getCatalogSet, loadCatalogSet } from '../src/services/catalog.ts';

// The phone loads the sets without zod; the server's loader parses the same files. They must agree.
describe('client criteria catalog', () => {
  it('hands out exactly the sets the server parsed and validated', async () => {
    expect(catalogSetIds().sort()).toEqual(catalog.map((s) => s.id).sort());
    for (const set of catalog) {
      await loadCatalogSet(set.id);
      expect(getCatalogSet(set.id)).toEqual(set);
      expect(Object.isFrozen(getCatalogSet(set.id)!.criteria[0])).toBe(true);
    }
    for (const id of Object.values(CATALOG_IDS)) expect(catalogSetIds()).toContain(id);
  });

  it('an id the app does not ship is undefined at once (no download, no suspense)', () => {
    expect(getCatalogSet('bo-tieu-chi-tinh-khac-v1')).toBeUndefined();
  });
});
