import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  certificateVerificationSchema,
  decisionRevokedSchema,
  decisionRevokeSchema,
  errorBodySchema,
  idParamsSchema,
  verifyParamsSchema,
} from '@hoctap/shared/api';
import { AppError } from '../../lib/errors.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

/** Per client address: a village behind one carrier IP still gets plenty for real look-ups. */
export function verifyRateLimit(perMinute: number) {
  return {
    max: perMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: () => new AppError(429, 'VERIFY_RATE_LIMITED'),
  };
}

/** The JSON twin of the public page, and revoking a decision (docs/transparency.md §1). */
export function certificateRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/verify/:code',
      {
        config: { rateLimit: verifyRateLimit(services.config.verifyRateLimitPerMinute) },
        schema: {
          tags: ['verify'],
          summary:
            'Public check of a certificate code: genuine or revoked, with only what the certificate prints (404 when unknown)',
          params: verifyParamsSchema,
          response: { 200: certificateVerificationSchema, 404: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(await services.certificates.lookupOrThrow(req.params.code)),
    );

    app.post(
      '/decisions/:id/revoke',
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['workflow'],
          summary: 'Revoke a decision (thu hồi): its certificates then verify as "đã thu hồi"',
          params: idParamsSchema,
          body: decisionRevokeSchema,
          response: {
            200: decisionRevokedSchema,
            400: errorBodySchema,
            401: errorBodySchema,
            404: errorBodySchema,
            409: errorBodySchema,
          },
        },
      },
      async (req) => services.certificates.revokeDecision(actorOf(req), req.params.id, req.body.reason),
    );
  };
}
