import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, evidenceSchema, evidenceUploadQuerySchema, idParamsSchema } from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import { binaryResponse } from '../../plugins/openapi.ts';
import type { Services } from '../../services.ts';
import { unsupportedMediaType, badRequest } from '../../lib/errors.ts';
import { ACT_FOR_HEADER } from '../assessments/access.ts';
import { EvidenceHttpError } from './evidence.service.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  422: errorBodySchema,
  503: errorBodySchema,
};
const assisted = z.object({ [ACT_FOR_HEADER]: z.uuid().optional() });

/**
 * Photo evidence routes. Multipart is registered here, in this plugin's scope only, with
 * explicit limits (docs/architecture.md §7.1): parts default to 1000 and multipart is not bounded by
 * bodyLimit, so every limit is spelled out.
 */
export function evidenceRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const { config } = services;
    await app.register(multipart, {
      limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 5, parts: 10, fieldSize: 1024, headerPairs: 100 },
    });
    app.addHook('onRequest', app.authenticate);
    const svc = services.evidence;
    const actFor = (h: Record<string, unknown>) =>
      typeof h[ACT_FOR_HEADER] === 'string' ? (h[ACT_FOR_HEADER] as string) : null;

    app.post(
      '/assessments/:id/evidence',
      {
        // Keyed by user: a whole village can share one carrier IP.
        config: { rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['workflow'],
          summary: 'Upload one photo for an indicator (multipart field "file"; JPEG/PNG/WebP)',
          consumes: ['multipart/form-data'],
          headers: assisted,
          params: idParamsSchema,
          querystring: evidenceUploadQuerySchema,
          response: { 200: evidenceSchema, 201: evidenceSchema, ...errors, 429: errorBodySchema },
          description:
            'Answers 201 as soon as the photo is stored, with state "processing"; the image and thumbnail ' +
            'answer 409 until it is "ready" (poll GET /evidence/:id). 503 + Retry-After when the processing ' +
            'backlog or the disk is full.',
        },
      },
      async (req, reply) => {
        if (!req.isMultipart())
          throw unsupportedMediaType('Hãy gửi ảnh dạng multipart/form-data (trường "file").', 'NOT_MULTIPART');
        const part = await req.file();
        if (!part || part.fieldname !== 'file') throw badRequest('Thiếu tệp ảnh (trường "file").', 'FILE_REQUIRED');
        const abort = new AbortController();
        req.raw.once('close', () => {
          if (!req.raw.complete) abort.abort();
        });
        try {
          const r = await svc.upload(
            actorOf(req),
            req.params.id,
            req.query.indicatorCode,
            part.file,
            actFor(req.headers),
            abort.signal,
          );
          return reply.status(r.created ? 201 : 200).send(r.evidence);
        } catch (err) {
          if (err instanceof EvidenceHttpError && err.retryAfterSeconds)
            reply.header('retry-after', String(err.retryAfterSeconds));
          // Drain what is left of the part so the connection can be reused.
          part.file.resume();
          throw err;
        }
      },
    );

    app.get(
      '/evidence/:id',
      {
        schema: {
          tags: ['workflow'],
          summary: 'One photo record: processing state, hints and look-alike flags, within scope',
          headers: assisted,
          params: idParamsSchema,
          response: { 200: evidenceSchema, ...errors },
        },
      },
      async (req) => svc.get(actorOf(req), req.params.id, actFor(req.headers)),
    );

    for (const [suffix, variant] of [
      ['image', 'image'],
      ['thumbnail', 'thumb'],
    ] as const) {
      app.get(
        `/evidence/:id/${suffix}`,
        {
          schema: {
            tags: ['workflow'],
            summary: `The stored (re-encoded) JPEG ${variant === 'thumb' ? 'thumbnail ' : ''}of a processed photo, within scope (409 while processing)`,
            headers: assisted,
            params: idParamsSchema,
            response: { 200: binaryResponse('JPEG', 'image/jpeg'), ...errors },
          },
        },
        async (req, reply) => {
          let r;
          try {
            r = await svc.open(actorOf(req), req.params.id, variant, actFor(req.headers));
          } catch (err) {
            if (err instanceof EvidenceHttpError && err.retryAfterSeconds)
              reply.header('retry-after', String(err.retryAfterSeconds));
            throw err;
          }
          return reply
            .header('content-type', 'image/jpeg')
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'private, no-store')
            .header('content-disposition', `inline; filename="${r.id}${variant === 'thumb' ? '-thumb' : ''}.jpg"`)
            .header('content-length', String(r.size))
            .send(r.stream as never);
        },
      );
    }

    app.delete(
      '/evidence/:id',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Remove a photo while the assessment is draft/returned (owner)',
          headers: assisted,
          params: idParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await svc.remove(actorOf(req), req.params.id, actFor(req.headers));
        return reply.status(204).send(null);
      },
    );
  };
}
