import type { FastifyPluginAsync } from 'fastify';
import type { WebhookIngest } from '../../notify/webhook.ts';

/**
 * POST /zalo/webhook (outside /api/v1: Zalo calls it, not the mini app). The body is kept as the
 * exact bytes received — the signature covers them, and re-serialised JSON would not match.
 * Zalo needs HTTP 200 within 2 s: we store the event and answer; processing runs afterwards.
 */
export function zaloWebhookRoutes(ingest: WebhookIngest): FastifyPluginAsync {
  return async (app) => {
    // Scoped to this plugin: every other route keeps the normal JSON parser.
    app.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'string', bodyLimit: 256 * 1024 },
      (_req, body, done) => {
        done(null, body);
      },
    );

    app.post('/zalo/webhook', { schema: { hide: true } }, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const r = await ingest.receive(raw, req.headers);
      if (r.status !== 200) {
        return reply.code(r.status).send({ statusCode: r.status, error: 'Rejected', message: r.reason, reqId: req.id });
      }
      setImmediate(() => {
        ingest.processPending().catch((err) => req.log.error({ err }, 'zalo webhook processing failed'));
      });
      return reply.code(200).send({ ok: true, duplicate: r.duplicate });
    });
  };
}
