import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  devLoginBodySchema,
  devUserSchema,
  errorBodySchema,
  loginResultSchema,
  zaloLoginBodySchema,
  zaloWebAuthorizeQuerySchema,
  zaloWebAuthorizeSchema,
  zaloWebLoginBodySchema,
  refreshBodySchema,
  sessionTokensSchema,
} from '@hoctap/shared/api';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema };

export function authRoutes(services: Services, opts: { devLogin: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    // Login and refresh are the brute-force targets; keep them tight per client.
    const limited = { rateLimit: { max: 20, timeWindow: '1 minute' } };

    app.post(
      '/auth/zalo',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Log in with the Zalo access token from the mini app (verified with Zalo)',
          body: zaloLoginBodySchema,
          response: { 200: loginResultSchema, ...errors, 502: errorBodySchema, 503: errorBodySchema },
        },
      },
      async (req) => services.auth.loginWithZalo(req.body.accessToken),
    );

    app.get(
      '/auth/zalo/web',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: "Zalo's permission page (OAuth v4, PKCE S256) for the console's web sign-in",
          querystring: zaloWebAuthorizeQuerySchema,
          response: { 200: zaloWebAuthorizeSchema, ...errors, 503: errorBodySchema },
        },
      },
      async (req) => services.auth.zaloWebAuthorizeUrl(req.query),
    );

    app.post(
      '/auth/zalo/web',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Web sign-in: exchange the code Zalo returned (with the PKCE verifier) and log in',
          body: zaloWebLoginBodySchema,
          response: { 200: loginResultSchema, ...errors, 502: errorBodySchema, 503: errorBodySchema },
        },
      },
      async (req) => services.auth.loginWithZaloWeb(req.body.code, req.body.codeVerifier),
    );

    app.post(
      '/auth/refresh',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Rotate the refresh token',
          body: refreshBodySchema,
          response: { 200: sessionTokensSchema, ...errors },
        },
      },
      async (req) => services.sessions.rotate(req.body.refreshToken),
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'End this session (revokes the refresh token family)',
          body: refreshBodySchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await services.sessions.end(req.body.refreshToken);
        return reply.status(204).send(null);
      },
    );

    if (!opts.devLogin) return;

    // Development login: only registered when config enables it, and config refuses it in production.
    app.get(
      '/auth/dev-users',
      {
        schema: {
          tags: ['auth'],
          summary: 'Seeded users the development login may pick',
          response: { 200: z.object({ items: z.array(devUserSchema) }) },
        },
      },
      async () => services.auth.devUsers(),
    );

    app.post(
      '/auth/dev-login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Development login as a seeded user',
          body: devLoginBodySchema,
          response: { 200: loginResultSchema, ...errors },
        },
      },
      async (req) => services.auth.devLogin(req.body.userId),
    );
  };
}
