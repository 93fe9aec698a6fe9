import type { FastifyInstance } from 'fastify';
import type { FakeClock } from './clock.ts';
import { header, token, type FakeState, type FakeZaloOptions } from './state.ts';

/**
 * OA OAuth v4 (zalo.md §4.1): `POST /v4/oa/access_token`, form-encoded, `secret_key` header.
 * Refresh tokens are single use and rotate; reuse fails. Errors use the OAuth body style
 * (`error`, `error_name`, `error_description`) with HTTP 200.
 */

// UNVERIFIED numbers (zalo.md only lists -14002/-14003); the clients treat them as alert_human.
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
        return reply.send(fail(OAUTH_CODES.invalidRefreshToken, 'Invalid refresh token', 'refresh_token is invalid, expired or already used'));
      }
      rec.used = true; // single use (zalo.md §4.1)
    } else if (form['grant_type'] === 'authorization_code') {
      const rec = state.oaAuthCodes.get(form['code'] ?? '');
      if (!rec || rec.used || clock.nowMs() >= rec.expiresAt) {
        return reply.send(fail(OAUTH_CODES.invalidCode, 'Invalid code', 'authorization code is invalid, expired or used'));
      }
      rec.used = true;
    } else {
      return reply.send(fail(OAUTH_CODES.invalidApp, 'Invalid grant_type', 'unsupported grant_type'));
    }
    const pair = model.issuePair();
    return reply.send({ access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: String(pair.expiresIn) });
  });
}
