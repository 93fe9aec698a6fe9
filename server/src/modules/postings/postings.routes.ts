import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  errorBodySchema,
  idParamsSchema,
  myObjectionSchema,
  objectionCreateSchema,
  objectionListSchema,
  objectionQuerySchema,
  objectionResolveSchema,
  objectionSchema,
  postingCreateSchema,
  postingDetailSchema,
  postingListQuerySchema,
  postingListSchema,
  postingSchema,
} from '@hoctap/shared/api';
import { AppError } from '../../lib/errors.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/** Posting windows (niêm yết), residents' objections and the officer's queue (docs/transparency.md §2). */
export function postingRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const svc = services.postings;

    app.post(
      '/postings',
      {
        schema: {
          tags: ['postings'],
          summary: "Open the posting window of one hamlet's proposed list for one title (officer or hamlet head)",
          body: postingCreateSchema,
          response: { 201: postingSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.open(actorOf(req), req.body)),
    );
    app.get(
      '/postings',
      {
        schema: {
          tags: ['postings'],
          summary: "Postings the caller may see: a manager's all, a resident's running in their own hamlet",
          querystring: postingListQuerySchema,
          response: { 200: postingListSchema, ...errors },
        },
      },
      async (req) => svc.list(actorOf(req), req.query),
    );
    app.get(
      '/postings/:id',
      {
        schema: {
          tags: ['postings'],
          summary: 'The posted list: names and the title only, with the caller’s own objections',
          params: idParamsSchema,
          response: { 200: postingDetailSchema, ...errors },
        },
      },
      async (req) => svc.detail(actorOf(req), req.params.id),
    );
    app.post(
      '/postings/:id/close',
      {
        schema: {
          tags: ['postings'],
          summary: 'End a posting window now',
          params: idParamsSchema,
          response: { 200: postingSchema, ...errors },
        },
      },
      async (req) => svc.close(actorOf(req), req.params.id),
    );
    app.post(
      '/postings/:id/objections',
      {
        // Per person, not per address: a hamlet shares one carrier IP.
        config: {
          rateLimit: {
            max: 5,
            timeWindow: '10 minutes',
            keyGenerator: (req) => req.actor?.userId ?? req.ip,
            errorResponseBuilder: () => new AppError(429, 'OBJECTION_RATE_LIMITED'),
          },
        },
        schema: {
          tags: ['postings'],
          summary: 'Object to (or comment on) one entry of a posted list, with a reason (residents of the hamlet)',
          params: idParamsSchema,
          body: objectionCreateSchema,
          response: { 201: myObjectionSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.object(actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/objections',
      {
        schema: {
          tags: ['postings'],
          summary: "The officer's queue of objections, with each entry's record",
          querystring: objectionQuerySchema,
          response: { 200: objectionListSchema, ...errors },
        },
      },
      async (req) => svc.queue(actorOf(req), req.query),
    );
    app.post(
      '/objections/:id/resolve',
      {
        schema: {
          tags: ['postings'],
          summary: 'Resolve an objection: the entry is kept or removed, with a reason (audited; the objector is told)',
          params: idParamsSchema,
          body: objectionResolveSchema,
          response: { 200: objectionSchema, ...errors },
        },
      },
      async (req) => svc.resolve(actorOf(req), req.params.id, req.body),
    );
  };
}
