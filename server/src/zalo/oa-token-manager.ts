import { z } from 'zod';
import { systemClock, type Clock } from '../lib/clock.ts';
import { ZaloError, isZaloError } from './errors.ts';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';
import type { OaTokens, TokenStore } from './token-store.ts';

/**
 * OA access-token lifecycle (docs/zalo.md §3):
 * - access token lives 25 h, refresh token 3 months and is SINGLE USE (each refresh rotates it);
 * - single-flight: concurrent callers share one refresh (two refreshes with the same refresh
 *   token would make the second fail and could lose the pair);
 * - write-before-use: the new pair is saved to the TokenStore before any caller gets it;
 * - proactive refresh ahead of expiry (~20 h into a 25 h token);
 * - refresh-and-retry-once when Zalo rejects the token (-216/-220/-124);
 * - a human is alerted when refresh fails (a lost refresh token needs OA-admin re-consent).
 */

export type RefreshFailureReason =
  | 'no_token' // store is empty: an OA admin must grant consent (authorization_code flow)
  | 'refresh_rejected' // Zalo refused the refresh token (used, expired, revoked, wrong app)
  | 'refresh_unavailable' // timeout / network / 5xx while refreshing
  | 'persist_failed'; // Zalo rotated the pair but saving it failed (kept in memory, retried)

export interface RefreshFailure {
  reason: RefreshFailureReason;
  error: unknown;
  at: Date;
  /** True when the current access token is still valid, so sends continue for now. */
  accessTokenStillValid: boolean;
}

export interface OaTokenManagerConfig {
  /** e.g. https://oauth.zaloapp.com (tests: the fake server URL). */
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  store: TokenStore;
  clock?: Clock;
  /** Refresh when less than this remains. Default 5 h: refresh at ~20 h of a 25 h token. */
  refreshMarginMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Page a human. Must not throw; errors thrown here are swallowed. */
  onRefreshFailed?: (f: RefreshFailure) => void | Promise<void>;
  /** Audit hook, called after a new pair is persisted. */
  onRefreshed?: (t: { expiresAt: Date; at: Date }) => void | Promise<void>;
}

export interface OaAccessTokenSource {
  /**
   * Run `fn` with a valid OA access token. If Zalo rejects the token with a
   * refresh_token_then_retry code, refresh (shared with concurrent callers) and retry ONCE.
   */
  withAccessToken<T>(fn: (accessToken: string) => Promise<T>): Promise<T>;
}

export interface OaTokenManager extends OaAccessTokenSource {
  getAccessToken(): Promise<string>;
  /** Called after Zalo rejected `rejectedAccessToken`; refreshes unless someone already did. */
  refreshAfterRejection(rejectedAccessToken: string): Promise<string>;
  /** Force a refresh now (ops tool / scheduled job). */
  refreshNow(): Promise<OaTokens>;
  /** First grant: exchange the OA-admin consent code (PKCE) for a pair and persist it. */
  exchangeAuthorizationCode(code: string, codeVerifier?: string): Promise<OaTokens>;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  // Documented as a STRING ("90000"); accept a number too.
  expires_in: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number),
});

export function createOaTokenManager(cfg: OaTokenManagerConfig): OaTokenManager {
  const clock = cfg.clock ?? systemClock;
  const marginMs = cfg.refreshMarginMs ?? 5 * 60 * 60 * 1000;
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const store = cfg.store;

  let current: OaTokens | null = null;
  let loading: Promise<void> | null = null;
  let inflight: Promise<OaTokens> | null = null;
  /** A rotated pair that Zalo issued but the store refused; never dropped (old token is dead). */
  let unsaved: OaTokens | null = null;

  const now = () => clock.now().getTime();
  const isExpired = (t: OaTokens) => now() >= t.expiresAt.getTime();
  const needsRefresh = (t: OaTokens) => now() >= t.expiresAt.getTime() - marginMs;

  async function alert(reason: RefreshFailureReason, error: unknown): Promise<void> {
    if (!cfg.onRefreshFailed) return;
    try {
      await cfg.onRefreshFailed({
        reason,
        error,
        at: clock.now(),
        accessTokenStillValid: current !== null && !isExpired(current),
      });
    } catch {
      // An alerting failure must not mask the token failure.
    }
  }

  async function ensureLoaded(): Promise<void> {
    if (current !== null) return;
    loading ??= store.load().then(
      (t) => {
        current ??= t;
      },
      (err) => {
        loading = null;
        throw err;
      },
    );
    await loading;
    if (current === null) loading = null; // empty store: look again next time (admin may consent)
  }

  async function persist(t: OaTokens): Promise<void> {
    try {
      await store.save(t);
    } catch (err) {
      unsaved = t;
      await alert('persist_failed', err);
      throw new ZaloError({
        kind: 'token_store',
        channel: 'oauth',
        endpoint: 'TokenStore.save',
        message: 'New OA token pair could not be persisted; refusing to use it before it is saved',
        cause: err,
        classification: { action: 'retry', retryable: true, alert: true, reason: 'token store unavailable' },
      });
    }
    unsaved = null;
    current = t;
    try {
      await cfg.onRefreshed?.({ expiresAt: t.expiresAt, at: clock.now() });
    } catch {
      // audit hook failures are not token failures
    }
  }

  async function callTokenEndpoint(form: Record<string, string>): Promise<OaTokens> {
    const { data } = await callZalo({
      channel: 'oauth',
      endpoint: 'POST /v4/oa/access_token',
      method: 'POST',
      url: joinUrl(cfg.oauthBaseUrl, '/v4/oa/access_token'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: cfg.appSecret },
      body: new URLSearchParams({ ...form, app_id: cfg.appId }).toString(),
      schema: tokenResponse,
      timeoutMs,
      fetch: cfg.fetch,
    });
    return {
      accessToken: data.access_token,
      refreshToken: data.refresh_token,
      expiresAt: new Date(now() + data.expires_in * 1000),
    };
  }

  async function doRefresh(stale: OaTokens): Promise<OaTokens> {
    const run = async (): Promise<OaTokens> => {
      // Another instance may have rotated the pair while we waited for the lock: its refresh
      // token replaced ours, and using ours now would fail (single use).
      const latest = await store.load();
      let from = stale;
      if (latest && latest.refreshToken !== stale.refreshToken) {
        current = latest;
        if (!needsRefresh(latest)) return latest;
        from = latest;
      }
      let fresh: OaTokens;
      try {
        fresh = await callTokenEndpoint({ refresh_token: from.refreshToken, grant_type: 'refresh_token' });
      } catch (err) {
        const transient =
          isZaloError(err) && (err.kind === 'timeout' || err.kind === 'network' || err.action === 'retry');
        await alert(transient ? 'refresh_unavailable' : 'refresh_rejected', err);
        throw err;
      }
      await persist(fresh); // write-before-use
      return fresh;
    };
    return store.withRefreshLock ? store.withRefreshLock(run) : run();
  }

  function refreshSingleFlight(stale: OaTokens): Promise<OaTokens> {
    inflight ??= doRefresh(stale).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function prepare(): Promise<OaTokens> {
    await ensureLoaded();
    if (unsaved) await persist(unsaved);
    if (current === null) {
      const err = new ZaloError({
        kind: 'no_token',
        channel: 'oauth',
        endpoint: 'TokenStore.load',
        message: 'No OA token stored: an OA admin must grant consent first',
        classification: { action: 'alert_human', retryable: false, alert: true, reason: 'no OA token' },
      });
      await alert('no_token', err);
      throw err;
    }
    return current;
  }

  async function getAccessToken(): Promise<string> {
    if (inflight) return (await inflight).accessToken;
    const t = await prepare();
    if (!needsRefresh(t)) return t.accessToken;
    try {
      return (await refreshSingleFlight(t)).accessToken;
    } catch (err) {
      // Proactive refresh failed but the token still works: keep sending (the alert went out).
      if (!isExpired(t) && current === t) return t.accessToken;
      throw err;
    }
  }

  async function refreshAfterRejection(rejected: string): Promise<string> {
    if (inflight) return (await inflight).accessToken;
    const t = await prepare();
    // Someone refreshed between our call and Zalo's rejection: use theirs.
    if (t.accessToken !== rejected) return t.accessToken;
    return (await refreshSingleFlight(t)).accessToken;
  }

  return {
    getAccessToken,
    refreshAfterRejection,

    async withAccessToken(fn) {
      const token = await getAccessToken();
      try {
        return await fn(token);
      } catch (err) {
        if (!isZaloError(err) || err.action !== 'refresh_token_then_retry') throw err;
        const next = await refreshAfterRejection(token);
        return fn(next); // retry once; a second rejection propagates
      }
    },

    async refreshNow() {
      if (inflight) return inflight;
      return refreshSingleFlight(await prepare());
    },

    async exchangeAuthorizationCode(code, codeVerifier) {
      const form: Record<string, string> = { code, grant_type: 'authorization_code' };
      if (codeVerifier) form['code_verifier'] = codeVerifier;
      const fresh = await callTokenEndpoint(form);
      await persist(fresh);
      return fresh;
    },
  };
}
