import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consentPurposeSchema, errorBodySchema, meSchema } from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

const consentStateSchema = z.object({
  version: z.string(),
  texts: z.record(consentPurposeSchema, z.object({ title: z.string(), text: z.string() })),
  live: z.object({ evaluation: z.boolean(), photos: z.boolean(), notifications: z.boolean() }),
  log: z.array(z.object({ purpose: consentPurposeSchema, action: z.enum(['grant', 'withdraw']), textVersion: z.string(), at: z.string() })),
});

export function meRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.get('/me', { schema: { tags: ['me'], summary: 'Who am I: roles, scopes, household link, consents', response: { 200: meSchema, ...errors } } }, async (req) =>
      services.me.me(actorOf(req)),
    );

    app.post(
      '/me/phone',
      {
        schema: {
          tags: ['me'],
          summary: 'Store the phone number from Zalo\'s phone-token exchange',
          body: z.object({ accessToken: z.string().min(10).max(2048), phoneToken: z.string().min(4).max(2048) }),
          response: { 200: z.object({ phone: z.string() }), ...errors, 502: errorBodySchema, 503: errorBodySchema },
        },
      },
      async (req) => services.zaloLogin.linkPhone(actorOf(req), req.body.accessToken, req.body.phoneToken),
    );

    app.get('/me/consents', { schema: { tags: ['me'], summary: 'Consent texts, live state and the log', response: { 200: consentStateSchema, ...errors } } }, async (req) =>
      services.me.consents(actorOf(req)),
    );

    app.post(
      '/me/consents',
      {
        schema: {
          tags: ['me'],
          summary: 'Give consent for purposes (of the current text version)',
          body: z.object({ purposes: z.array(consentPurposeSchema).min(1).max(3), textVersion: z.string().max(50) }),
          response: { 200: consentStateSchema, ...errors },
        },
      },
      async (req) => services.me.grant(actorOf(req), [...new Set(req.body.purposes)], req.body.textVersion, 'mini_app'),
    );

    app.post(
      '/me/consents/withdraw',
      {
        schema: {
          tags: ['me'],
          summary: 'Withdraw consent (recorded, append-only)',
          body: z.object({ purposes: z.array(consentPurposeSchema).min(1).max(3) }),
          response: { 200: consentStateSchema, ...errors },
        },
      },
      async (req) => services.me.withdraw(actorOf(req), [...new Set(req.body.purposes)], 'mini_app'),
    );
  };
}
