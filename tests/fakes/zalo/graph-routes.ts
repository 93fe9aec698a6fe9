import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FakeClock } from './clock.ts';
import { header, zaloError, type FakeState, type FakeZaloOptions } from './state.ts';

/**
 * Graph API (docs/zalo.md §2, §10): `/v2.0/me` with appsecret_proof, `/v2.0/me/info` with
 * single-use 2-minute codes. Always HTTP 200; failures are `error != 0` like real Zalo.
 */

// Codes per docs/zalo.md §8; -201 for a bad/used/expired info code is the fake's choice (UNVERIFIED).
export const GRAPH_CODES = { invalidToken: -216, removedToken: -220, badProof: -242, invalidParam: -201 } as const;

type UserCheck = { ok: true; userId: string } | { ok: false; code: number; message: string };

export function registerGraphRoutes(
  app: FastifyInstance,
  ctx: { opts: FakeZaloOptions; state: FakeState; clock: FakeClock },
) {
  const { opts, state, clock } = ctx;
  const expiredCode = opts.expiredTokenCode ?? GRAPH_CODES.invalidToken;

  function checkUserToken(accessToken: string | undefined): UserCheck {
    if (!accessToken) return { ok: false, code: GRAPH_CODES.invalidToken, message: 'Access token is missing' };
    const rec = state.userTokens.get(accessToken);
    if (!rec) return { ok: false, code: GRAPH_CODES.invalidToken, message: 'Access token is invalid' };
    if (rec.revoked) return { ok: false, code: GRAPH_CODES.removedToken, message: 'Access token expired or removed' };
    if (clock.nowMs() >= rec.expiresAt)
      return { ok: false, code: expiredCode, message: 'Access token is invalid (expired)' };
    return { ok: true, userId: rec.userId };
  }

  function proofOk(accessToken: string, proof: string | undefined): boolean {
    if (!proof) return false;
    const expected = Buffer.from(createHmac('sha256', opts.appSecret).update(accessToken).digest('hex'));
    const given = Buffer.from(proof.toLowerCase());
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  const tokenOf = (req: FastifyRequest) =>
    header(req.headers, 'access_token') ?? (req.query as Record<string, string>)['access_token'];

  app.get('/v2.0/me', async (req, reply) => {
    const accessToken = tokenOf(req);
    const proof = header(req.headers, 'appsecret_proof') ?? (req.query as Record<string, string>)['appsecret_proof'];
    // Mandatory since 2024-01-01 (docs/zalo.md §2); -242 per docs/zalo.md §8.
    if (accessToken && !proofOk(accessToken, proof)) {
      return zaloError(reply, GRAPH_CODES.badProof, 'Invalid appsecret_proof');
    }
    const check = checkUserToken(accessToken);
    if (!check.ok) return zaloError(reply, check.code, check.message);
    const user = state.users.get(check.userId);
    if (!user) return zaloError(reply, GRAPH_CODES.invalidToken, 'Access token is invalid');

    const fields = String((req.query as Record<string, string>)['fields'] ?? 'id')
      .split(',')
      .map((f) => f.trim().split('.')[0]);
    const out: Record<string, unknown> = { id: '__ID__' };
    if (!user.denyName) {
      if (fields.includes('name')) out['name'] = user.name;
      if (fields.includes('picture')) out['picture'] = { data: { url: user.pictureUrl } };
    }
    if (fields.includes('is_sensitive')) out['is_sensitive'] = user.isSensitive;
    out['error'] = 0;
    out['message'] = 'Success';
    // Build the text by hand so an id can be emitted as a bare number > 2^53 when scripted.
    const idLiteral = user.idAsNumber ? user.id : JSON.stringify(user.id);
    const text = JSON.stringify(out).replace('"__ID__"', idLiteral);
    return reply.type('application/json; charset=utf-8').send(text);
  });

  app.get('/v2.0/me/info', async (req, reply) => {
    if (header(req.headers, 'secret_key') !== opts.appSecret) {
      return zaloError(reply, GRAPH_CODES.badProof, 'Invalid secret_key');
    }
    const check = checkUserToken(tokenOf(req));
    if (!check.ok) return zaloError(reply, check.code, check.message);
    const code = header(req.headers, 'code');
    const rec = code ? state.infoCodes.get(code) : undefined;
    if (!code || !rec) return zaloError(reply, GRAPH_CODES.invalidParam, 'Invalid code (unknown or already used)');
    // Single use: consumed by the first exchange whatever happens next (docs/zalo.md §2).
    state.infoCodes.delete(code);
    if (clock.nowMs() >= rec.expiresAt) return zaloError(reply, GRAPH_CODES.invalidParam, 'Code expired');
    if (rec.userId !== check.userId) return zaloError(reply, GRAPH_CODES.invalidParam, 'Code belongs to another user');
    const data = rec.kind === 'phone' ? { number: rec.value } : rec.value;
    return reply.send({ data, error: 0, message: 'Success' });
  });
}
