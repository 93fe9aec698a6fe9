/**
 * The commune and hamlet dashboards' answers, already serialised, keyed by a fingerprint of
 * everything they are computed from (`summaryFingerprint` in reports.repo.ts plus the place and
 * campaign read for the request). Ten officers looking at the same figures cost one computation;
 * any write that moves a figure changes the fingerprint, in every API process, because the
 * fingerprint is read from the database on every request (docs/architecture.md §8).
 */
export interface SummaryCache {
  get(key: string, fingerprint: string): string | undefined;
  set(key: string, fingerprint: string, json: string): void;
}

/** Least recently used first out; `max` answers of ~40 KB each. */
export function createSummaryCache(max = 256): SummaryCache {
  const entries = new Map<string, { fingerprint: string; json: string }>();
  return {
    get(key, fingerprint) {
      const e = entries.get(key);
      if (!e || e.fingerprint !== fingerprint) return undefined;
      entries.delete(key);
      entries.set(key, e);
      return e.json;
    },
    set(key, fingerprint, json) {
      entries.delete(key);
      entries.set(key, { fingerprint, json });
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
  };
}
