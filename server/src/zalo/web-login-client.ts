import { z } from 'zod';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';

/**
 * Zalo sign-in on the web (the officer console on a PC, docs/zalo.md §13): OAuth v4 with PKCE.
 * The browser keeps the code verifier and the state; it is sent to Zalo's permission page with
 * the S256 challenge and comes back with a code, which the server exchanges here (with the app
 * secret and the verifier) for a user access token. That token then goes the way of the mini app's
 * (graph /me with appsecret_proof), so both sign-ins end in the same account.
 */
export interface WebLoginClientConfig {
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  // Documented as a string ("3600"); accept a number too. Unused: the console keeps our session.
  expires_in: z.union([z.string(), z.number()]).optional(),
});

export function createWebLoginClient(cfg: WebLoginClientConfig) {
  return {
    /** Zalo's permission page for this app, with the S256 challenge and the browser's state. */
    authorizeUrl(p: { redirectUri: string; codeChallenge: string; state: string }): string {
      const q = new URLSearchParams({
        app_id: cfg.appId,
        redirect_uri: p.redirectUri,
        code_challenge: p.codeChallenge,
        state: p.state,
      });
      return `${joinUrl(cfg.oauthBaseUrl, '/v4/permission')}?${q.toString()}`;
    },

    /** code + verifier → the user's access token (POST /v4/access_token, `secret_key` header). */
    async exchangeCode(p: { code: string; codeVerifier: string }): Promise<string> {
      const { data } = await callZalo({
        channel: 'oauth',
        endpoint: 'POST /v4/access_token',
        method: 'POST',
        url: joinUrl(cfg.oauthBaseUrl, '/v4/access_token'),
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: cfg.appSecret },
        body: new URLSearchParams({
          code: p.code,
          app_id: cfg.appId,
          grant_type: 'authorization_code',
          code_verifier: p.codeVerifier,
        }).toString(),
        schema: tokenResponse,
        timeoutMs: cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        fetch: cfg.fetch,
      });
      return data.access_token;
    },
  };
}

export type WebLoginClient = ReturnType<typeof createWebLoginClient>;
