import { afterEach, beforeEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { catalogSetIds, preloadCatalogSets } from '../src/services/catalog.ts';
import { contractViolations } from './contract.ts';

// In the app a set's chunk loads while a <Suspense> fallback shows; components rendered alone in
// tests have no boundary, so every shipped set is loaded before they render.
await preloadCatalogSets(catalogSetIds());

// jsdom has no object URLs.
let n = 0;
if (!URL.createObjectURL) URL.createObjectURL = () => `blob:test/${++n}`;
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => undefined;
if (typeof window !== 'undefined') window.scrollTo = () => undefined; // jsdom only logs "not implemented"
// zmp-ui's Page scrolls itself to the top on mount; jsdom's elements have no scrollTo.
if (typeof Element !== 'undefined' && !Element.prototype.scrollTo) Element.prototype.scrollTo = () => undefined;

beforeEach(() => {
  if (typeof localStorage !== 'undefined') localStorage.clear();
});
afterEach(() => {
  if (typeof document !== 'undefined') cleanup();
  const found = contractViolations.splice(0);
  if (found.length > 0) throw new Error(`The fake API departed from the contract:\n${found.join('\n')}`);
});
