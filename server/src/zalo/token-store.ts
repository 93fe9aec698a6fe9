/**
 * Where the OA token pair lives. The refresh token is single use (docs/zalo.md §3): once Zalo has
 * answered a refresh, the old refresh token is dead and the new one exists only in the response,
 * so it must reach durable storage before anything else happens.
 */

export interface OaTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

export interface TokenStore {
  load(): Promise<OaTokens | null>;
  save(tokens: OaTokens): Promise<void>;
  /**
   * Optional cross-process lock around a refresh (the DB store holds pg_advisory_lock here).
   * Without it the manager still single-flights within one process. Inside the lock the manager
   * re-loads the pair, so a refresh done by another instance is reused instead of repeated.
   */
  withRefreshLock?<T>(fn: () => Promise<T>): Promise<T>;
}

/** In-memory store for tests and the demo. Not for production (lost on restart). */
export function createMemoryTokenStore(initial: OaTokens | null = null): TokenStore & { current(): OaTokens | null } {
  let value: OaTokens | null = initial ? { ...initial } : null;
  return {
    async load() {
      return value ? { ...value } : null;
    },
    async save(tokens) {
      value = { ...tokens };
    },
    current() {
      return value ? { ...value } : null;
    },
  };
}
