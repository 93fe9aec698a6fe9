import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyError, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import { normaliseCode } from './codes.ts';
import { verifyRateLimit } from './certificates.routes.ts';
import { certificatePage, formPage, messagePage, PAGE_CSP, PAGE_CSS, unknownPage } from './page.ts';

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
    .send(body);
}

/** Every failure of the page is a page too (a phone browser shows it), never a JSON body. */
function pageError(err: FastifyError, _req: unknown, reply: FastifyReply) {
  const status =
    typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 429) {
    return html(
      reply,
      429,
      messagePage(
        'Tra cứu quá nhiều lần',
        'Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng đợi một phút rồi thử lại.',
      ),
    );
  }
  if (status < 500) return html(reply, 404, unknownPage());
  reply.log.error({ err }, 'verification page failed');
  return html(reply, 500, messagePage('Hệ thống đang gặp sự cố', 'Vui lòng thử lại sau ít phút.'));
}

/**
 * The public verification page outside /api/v1: GET /v/<code> (what the certificate's QR opens),
 * GET /v (a form to type the printed code), GET /v/verify.css. No sign-in; rate-limited per client
 * address; hidden from the OpenAPI document (it is a page, not an API).
 */
export function verifyPageRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const limited = { rateLimit: verifyRateLimit(services.config.verifyRateLimitPerMinute) };
    app.get('/v/verify.css', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .send(PAGE_CSS),
    );
    app.get(
      '/v',
      {
        config: limited,
        errorHandler: pageError,
        schema: { hide: true, querystring: z.object({ ma: z.string().max(200).optional() }) },
      },
      async (req, reply) => {
        if (req.query.ma === undefined) return html(reply, 200, formPage());
        const code = normaliseCode(req.query.ma);
        if (!code) return html(reply, 404, unknownPage());
        return reply.redirect(`/v/${code}`, 303);
      },
    );
    app.get(
      '/v/:code',
      {
        config: limited,
        errorHandler: pageError,
        schema: { hide: true, params: z.object({ code: z.string().max(64) }) },
      },
      async (req, reply) => {
        const found = await services.certificates.lookup(req.params.code);
        return found ? html(reply, 200, certificatePage(found)) : html(reply, 404, unknownPage());
      },
    );
  };
}
