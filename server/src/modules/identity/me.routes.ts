import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  consentGrantBodySchema,
  consentStateSchema,
  consentWithdrawBodySchema,
  errorBodySchema,
  meSchema,
  phoneLinkBodySchema,
} from '@hoctap/shared/api';
import { actorOf, claimsOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export function meRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    // The token only: the one statement of GET /me loads the actor with the answer and applies
    // the same checks as every authenticated route (auth.me).
    app.get(
      '/me',
      {
        onRequest: app.verifyToken,
        schema: {
          tags: ['me'],
          summary: 'Who am I: roles, scopes, household link, consents',
          response: { 200: meSchema, ...errors },
        },
      },
      async (req) => services.auth.me(claimsOf(req)),
    );

    await app.register(authenticated(services));
  };
}

/** Every other /me route: the usual authentication (the actor re-read) before the handler. */
function authenticated(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.post(
      '/me/phone',
      {
        schema: {
          tags: ['me'],
          summary: "Store the phone number from Zalo's phone-token exchange",
          body: phoneLinkBodySchema,
          response: { 200: z.object({ phone: z.string() }), ...errors, 502: errorBodySchema, 503: errorBodySchema },
        },
      },
      async (req) => services.zaloLogin.linkPhone(actorOf(req), req.body.accessToken, req.body.phoneToken),
    );

    app.get(
      '/me/consents',
      {
        schema: {
          tags: ['me'],
          summary: 'Consent texts, live state and the log',
          response: { 200: consentStateSchema, ...errors },
        },
      },
      async (req) => services.me.consents(actorOf(req)),
    );

    app.post(
      '/me/consents',
      {
        schema: {
          tags: ['me'],
          summary: 'Give consent for purposes (of the current text version)',
          body: consentGrantBodySchema,
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
          body: consentWithdrawBodySchema,
          response: { 200: consentStateSchema, ...errors },
        },
      },
      async (req) => services.me.withdraw(actorOf(req), [...new Set(req.body.purposes)], 'mini_app'),
    );
  };
}
