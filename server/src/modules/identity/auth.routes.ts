import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  devLoginBodySchema,
  devUserSchema,
  errorBodySchema,
  loginResultSchema,
  zaloLoginBodySchema,
  refreshBodySchema,
  sessionTokensSchema,
} from '@hoctap/shared/api';
import { findDevUser, listDevUsers } from './users.repo.ts';
import { notFound } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema };

const ROLE_LABELS: Record<string, string> = {
  leader: 'Tổ trưởng',
  hamlet_head: 'Trưởng ấp',
  officer: 'Cán bộ xã',
  province_viewer: 'Cán bộ tỉnh',
  admin: 'Quản trị hệ thống',
};

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
      async (req) => {
        const { userId, ...tokens } = await services.zaloLogin.login(req.body.accessToken);
        return { ...tokens, user: await services.me.me(await services.loadActor(userId)) };
      },
    );

    app.post(
      '/auth/refresh',
      {
        config: limited,
        schema: { tags: ['auth'], summary: 'Rotate the refresh token', body: refreshBodySchema, response: { 200: sessionTokensSchema, ...errors } },
      },
      async (req) => services.sessions.rotate(req.body.refreshToken),
    );

    app.post(
      '/auth/logout',
      {
        schema: { tags: ['auth'], summary: 'End this session (revokes the refresh token family)', body: refreshBodySchema, response: { 204: z.null(), ...errors } },
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
      { schema: { tags: ['auth'], summary: 'Seeded users the development login may pick', response: { 200: z.object({ items: z.array(devUserSchema) }) } } },
      async () => {
        const rows = await listDevUsers(services.db);
        const items = rows.map((r) => ({ ...r, roleLabel: r.role ? (ROLE_LABELS[r.role] ?? r.role) : 'Hộ gia đình' }));
        return { items };
      },
    );

    app.post(
      '/auth/dev-login',
      { schema: { tags: ['auth'], summary: 'Development login as a seeded user', body: devLoginBodySchema, response: { 200: loginResultSchema, ...errors } } },
      async (req) => {
        const user = await findDevUser(services.db, req.body.userId);
        if (!user) throw notFound('Không có người dùng thử nghiệm này.');
        const tokens = await services.sessions.start(user.id);
        const actor = await services.loadActor(user.id);
        return { ...tokens, user: await services.me.me(actor) };
      },
    );
  };
}
