// The shipped criteria sets, for the browser: one small chunk per set, fetched when a campaign or an
// assessment needs it, and never validated here. The server's @hoctap/shared/catalog parses every
// file through zod; doing that on the phone cost ~60 ms of start-up at 4× CPU slowdown and ~60 KB
// gzip of zod. The same JSON files are validated by shared/src/catalog/catalog.test.ts, and
// tests/catalog.test.ts checks that what this loader hands out equals the server's parsed sets.
import type { CriteriaSet } from '@hoctap/shared';

// "../../../shared/catalog/gdht-448-2015-v1.json" → its loader; Vite emits one chunk per file.
const files = import.meta.glob<CriteriaSet>('../../../shared/catalog/*.json', { import: 'default' });
const loaders = new Map(Object.entries(files).map(([path, load]) => [path.replace(/^.*\/|\.json$/g, ''), load]));

const loaded = new Map<string, CriteriaSet>();
const pending = new Map<string, Promise<void>>();
const failed = new Map<string, unknown>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Starts (or joins) the download of a set; resolves when getCatalogSet can return it. */
export function loadCatalogSet(id: string): Promise<void> {
  if (loaded.has(id)) return Promise.resolve();
  const load = loaders.get(id);
  if (!load) return Promise.resolve();
  let p = pending.get(id);
  if (!p) {
    p = load().then(
      // Frozen like the server's: the engine caches compiled forms per set object.
      (set) => void loaded.set(id, deepFreeze(set)),
      (err: unknown) => {
        // A dropped link: the render that waited gets the error once (an error boundary offers
        // "Thử lại"), and the render after it starts a new download.
        pending.delete(id);
        failed.set(id, err);
        throw err;
      },
    );
    pending.set(id, p);
  }
  return p;
}

/** Fetches sets ahead of need (the campaign's sets, as soon as the campaign is known). */
export function preloadCatalogSets(ids: Iterable<string | undefined>): Promise<void> {
  return Promise.all([...ids].map((id) => (id ? loadCatalogSet(id).catch(() => undefined) : undefined))).then(
    () => undefined,
  );
}

/**
 * The set with this id, or undefined when the app does not ship it. Call during render only: while
 * the set's chunk is still downloading this suspends (throws the pending promise, as React.lazy
 * does) and the nearest <Suspense> shows its fallback; a failed download is thrown as an error.
 */
export function getCatalogSet(id: string): CriteriaSet | undefined {
  const set = loaded.get(id);
  if (set || !loaders.has(id)) return set;
  if (failed.has(id)) {
    const err = failed.get(id);
    failed.delete(id);
    throw err;
  }
  throw loadCatalogSet(id);
}

/** Ids of the shipped sets (the files' names). */
export function catalogSetIds(): string[] {
  return [...loaders.keys()];
}
