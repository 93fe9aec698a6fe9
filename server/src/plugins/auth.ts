import type { FastifyInstance, FastifyRequest } from 'fastify';
import jwt from '@fastify/jwt';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Actor } from '../lib/actor.ts';
import { unauthorized } from '../lib/errors.ts';
import { loadActor } from '../modules/identity/users.repo.ts';
import type { AccessClaims } from '../modules/identity/sessions.service.ts';

/**
 * Access JWTs: HS256 only (no `alg` confusion), `iss`/`aud`/`exp`/`sub` required. Every
 * authenticated request re-reads the user and live roles, so deactivation and role changes take
 * effect on the very next request; `ver` lets us invalidate all tokens of a user at once.
 */
export async function registerAuth(app: FastifyInstance, config: Config, database: Database): Promise<void> {
  await app.register(jwt, {
    secret: config.jwt.secret,
    sign: { algorithm: 'HS256', iss: config.jwt.issuer, aud: config.jwt.audience, expiresIn: config.jwt.accessTtlSeconds },
    verify: {
      algorithms: ['HS256'],
      allowedIss: config.jwt.issuer,
      allowedAud: config.jwt.audience,
      requiredClaims: ['exp', 'iss', 'aud', 'sub'],
    },
  });
  app.decorateRequest('actor', null);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    let claims: AccessClaims;
    try {
      claims = await request.jwtVerify<AccessClaims>();
    } catch {
      throw unauthorized('Phiên đăng nhập không hợp lệ hoặc đã hết hạn.', 'TOKEN_INVALID');
    }
    const actor = await loadActor(database.db, claims.sub);
    if (!actor || actor.status !== 'active') throw unauthorized('Tài khoản không tồn tại hoặc đã bị khóa.', 'USER_INACTIVE');
    if (actor.authVersion !== claims.ver) throw unauthorized('Phiên đăng nhập đã bị thu hồi. Vui lòng đăng nhập lại.', 'TOKEN_REVOKED');
    const { status: _s, authVersion: _v, ...rest } = actor;
    request.actor = rest;
  });
}

/** The authenticated caller; only valid on routes with `onRequest: app.authenticate`. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
