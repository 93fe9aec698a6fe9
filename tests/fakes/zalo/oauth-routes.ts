import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FakeClock } from './clock.ts';
import { bigId, header, token, type FakeState, type FakeZaloOptions } from './state.ts';

/**
 * OA OAuth v4 (docs/zalo.md §3): `POST /v4/oa/access_token`, form-encoded, `secret_key` header.
 * Refresh tokens are single use and rotate; reuse fails. Errors use the OAuth body style
 * (`error`, `error_name`, `error_description`) with HTTP 200.
 */

// UNVERIFIED numbers (docs/zalo.md §8 only lists -14002/-14003); the clients treat them as alert_human.
export const OAUTH_CODES = { invalidApp: -14002, invalidRefreshToken: -14014, invalidCode: -14019 } as const;

const REFRESH_TTL_MS = 90 * 24 * 60 * 60 * 1000; // 3 months
const AUTH_CODE_TTL_MS = 10 * 60 * 1000; // 10 min

export interface OaTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as a number for convenience (the HTTP response sends it as a string). */
  expiresIn: number;
}

export function createOauthModel(ctx: { opts: FakeZaloOptions; state: FakeState; clock: FakeClock }) {
  const { opts, state, clock } = ctx;
  const ttlSec = opts.oaAccessTtlSec ?? 90_000;
  return {
    issuePair(accessTtlSec = ttlSec): OaTokenPair {
      const accessToken = token('oa_at');
      const refreshToken = token('oa_rt');
      state.oaAccessTokens.set(accessToken, { expiresAt: clock.nowMs() + accessTtlSec * 1000, revoked: false });
      state.oaRefreshTokens.set(refreshToken, { used: false, expiresAt: clock.nowMs() + REFRESH_TTL_MS });
      return { accessToken, refreshToken, expiresIn: accessTtlSec };
    },
    issueAuthCode(): string {
      const code = token('oa_code');
      state.oaAuthCodes.set(code, { used: false, expiresAt: clock.nowMs() + AUTH_CODE_TTL_MS });
      return code;
    },
  };
}

export function registerOauthRoutes(
  app: FastifyInstance,
  ctx: { opts: FakeZaloOptions; state: FakeState; clock: FakeClock; model: ReturnType<typeof createOauthModel> },
) {
  const { opts, state, clock, model } = ctx;
  const fail = (code: number, name: string, description: string) => ({
    error: code,
    error_name: name,
    error_reason: description,
    error_description: description,
  });

  app.post('/v4/oa/access_token', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    if (header(req.headers, 'secret_key') !== opts.appSecret || form['app_id'] !== opts.appId) {
      return reply.send(fail(OAUTH_CODES.invalidApp, 'Invalid app', 'app_id or secret_key is invalid'));
    }
    if (form['grant_type'] === 'refresh_token') {
      const rt = form['refresh_token'] ?? '';
      const rec = state.oaRefreshTokens.get(rt);
      if (!rec || rec.used || clock.nowMs() >= rec.expiresAt) {
        return reply.send(
          fail(
            OAUTH_CODES.invalidRefreshToken,
            'Invalid refresh token',
            'refresh_token is invalid, expired or already used',
          ),
        );
      }
      rec.used = true; // single use (docs/zalo.md §3)
    } else if (form['grant_type'] === 'authorization_code') {
      const rec = state.oaAuthCodes.get(form['code'] ?? '');
      if (!rec || rec.used || clock.nowMs() >= rec.expiresAt) {
        return reply.send(
          fail(OAUTH_CODES.invalidCode, 'Invalid code', 'authorization code is invalid, expired or used'),
        );
      }
      rec.used = true;
    } else {
      return reply.send(fail(OAUTH_CODES.invalidApp, 'Invalid grant_type', 'unsupported grant_type'));
    }
    const pair = model.issuePair();
    return reply.send({
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: String(pair.expiresIn),
    });
  });

  // User sign-in on the web, OAuth v4 with PKCE (docs/zalo.md §13). The permission page stands in
  // for the user pressing "Cho phép": it binds a code to the S256 challenge and redirects back.
  // `fake_user_id` (fake only) picks the Zalo user; otherwise the first known user, or a new one.
  const userCodes = new Map<
    string,
    { userId: string; challenge: string; redirectUri: string; used: boolean; expiresAt: number }
  >();
  app.get('/v4/permission', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q['app_id'] !== opts.appId || !q['redirect_uri'] || !q['code_challenge'])
      return reply
        .status(400)
        .send(fail(OAUTH_CODES.invalidApp, 'Invalid request', 'app_id, redirect_uri, code_challenge'));
    let userId = q['fake_user_id'] ?? [...state.users.keys()][0];
    if (!userId) {
      userId = bigId();
      state.users.set(userId, {
        id: userId,
        name: 'Nguyễn Văn A',
        pictureUrl: `https://s120-ava-talk.zadn.vn/fake/${userId}.jpg`,
        denyName: false,
        isSensitive: false,
        idAsNumber: false,
      });
    }
    const code = token('web_code');
    userCodes.set(code, {
      userId,
      challenge: q['code_challenge'],
      redirectUri: q['redirect_uri'],
      used: false,
      expiresAt: clock.nowMs() + AUTH_CODE_TTL_MS,
    });
    const back = new URL(q['redirect_uri']);
    back.searchParams.set('code', code);
    if (q['state']) back.searchParams.set('state', q['state']);
    return reply.redirect(back.toString(), 302);
  });

  app.post('/v4/access_token', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    if (header(req.headers, 'secret_key') !== opts.appSecret || form['app_id'] !== opts.appId)
      return reply.send(fail(OAUTH_CODES.invalidApp, 'Invalid app', 'app_id or secret_key is invalid'));
    const rec = userCodes.get(form['code'] ?? '');
    const verifier = form['code_verifier'] ?? '';
    const s256 = createHash('sha256').update(verifier).digest('base64url');
    if (form['grant_type'] !== 'authorization_code' || !rec || rec.used || clock.nowMs() >= rec.expiresAt)
      return reply.send(
        fail(OAUTH_CODES.invalidCode, 'Invalid code', 'authorization code is invalid, expired or used'),
      );
    rec.used = true; // one try: a wrong verifier burns the code too
    if (s256 !== rec.challenge)
      return reply.send(fail(OAUTH_CODES.invalidCode, 'Invalid code verifier', 'code_verifier does not match'));
    const accessToken = token('user_at');
    state.userTokens.set(accessToken, {
      userId: rec.userId,
      expiresAt: clock.nowMs() + (opts.userTokenTtlMs ?? 60 * 60 * 1000),
      revoked: false,
    });
    return reply.send({ access_token: accessToken, refresh_token: token('user_rt'), expires_in: '3600' });
  });
}
