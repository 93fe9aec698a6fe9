import type { FastifyInstance, FastifyRequest } from 'fastify';
import jwt from '@fastify/jwt';
import type { Config } from '../config.ts';
import type { Actor } from '../lib/actor.ts';
import { unauthorized } from '../lib/errors.ts';
import type { AccessClaims } from '../modules/identity/sessions.service.ts';
import type { AuthService } from '../modules/identity/auth.service.ts';

/**
 * Access JWTs: HS256 only (no `alg` confusion), `iss`/`aud`/`exp`/`sub` required. Every
 * authenticated request re-reads the user and live roles (`auth.authenticate`), so deactivation
 * and role changes take effect on the very next request.
 */
export async function registerAuth(
  app: FastifyInstance,
  config: Config,
  auth: Pick<AuthService, 'authenticate'>,
): Promise<void> {
  await app.register(jwt, {
    secret: config.jwt.secret,
    sign: {
      algorithm: 'HS256',
      iss: config.jwt.issuer,
      aud: config.jwt.audience,
      expiresIn: config.jwt.accessTtlSeconds,
    },
    verify: {
      algorithms: ['HS256'],
      allowedIss: config.jwt.issuer,
      allowedAud: config.jwt.audience,
      requiredClaims: ['exp', 'iss', 'aud', 'sub'],
    },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('claims', null);
  const verify = async (request: FastifyRequest): Promise<AccessClaims> => {
    try {
      return await request.jwtVerify<AccessClaims>();
    } catch {
      throw unauthorized('Phiên đăng nhập không hợp lệ hoặc đã hết hạn.', 'TOKEN_INVALID');
    }
  };
  app.decorate('authenticate', async (request: FastifyRequest) => {
    request.actor = await auth.authenticate(await verify(request));
  });
  // Only the token: for a route whose one statement loads the actor together with its answer
  // (GET /me) and applies the same live checks (user active, token version) there.
  app.decorate('verifyToken', async (request: FastifyRequest) => {
    request.claims = await verify(request);
  });
}

/** The verified token of a route with `onRequest: app.verifyToken`. */
export function claimsOf(request: FastifyRequest): AccessClaims {
  if (!request.claims) throw unauthorized();
  return request.claims;
}

/** The authenticated caller; only valid on routes with `onRequest: app.authenticate`. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
    verifyToken: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor | null;
    claims: AccessClaims | null;
  }
}
