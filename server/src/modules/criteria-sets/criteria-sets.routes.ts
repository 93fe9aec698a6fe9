import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  criteriaSetBodySchema,
  criteriaSetDetailSchema,
  criteriaSetGetQuerySchema,
  criteriaSetIdParamsSchema,
  criteriaSetListQuerySchema,
  criteriaSetListSchema,
  criteriaSetUploadQuerySchema,
  errorBodySchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

export function criteriaSetRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const svc = services.criteriaSets;

    app.get(
      '/criteria-sets',
      {
        schema: {
          tags: ['criteria'],
          summary: 'Criteria sets (shipped catalog and uploaded province/commune sets)',
          querystring: criteriaSetListQuerySchema,
          response: { 200: criteriaSetListSchema, ...errors },
        },
      },
      async (req) => svc.list(actorOf(req), req.query.subjectType),
    );
    app.get(
      '/criteria-sets/:id',
      {
        schema: {
          tags: ['criteria'],
          summary: 'One criteria set with its body; ?download=1 sends it as a JSON file',
          params: criteriaSetIdParamsSchema,
          querystring: criteriaSetGetQuerySchema,
          response: { 200: criteriaSetDetailSchema, ...errors },
        },
      },
      async (req, reply) => {
        const set = await svc.get(actorOf(req), req.params.id);
        if (req.query.download) {
          // The id is a validated slug, so it is safe in the header as is.
          reply.header('content-disposition', `attachment; filename="${set.id}.json"`);
        }
        return set;
      },
    );
    app.post(
      '/criteria-sets',
      {
        schema: {
          tags: ['criteria'],
          summary: 'Upload a province/commune set as JSON (officer, admin); 400 lists every problem',
          querystring: criteriaSetUploadQuerySchema,
          body: criteriaSetBodySchema,
          response: { 201: criteriaSetDetailSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.upload(actorOf(req), req.body, req.query.ownerUnitId)),
    );
    app.put(
      '/criteria-sets/:id',
      {
        schema: {
          tags: ['criteria'],
          summary: 'Replace an uploaded set while no campaign uses it (409 once used)',
          params: criteriaSetIdParamsSchema,
          body: criteriaSetBodySchema,
          response: { 200: criteriaSetDetailSchema, ...errors },
        },
      },
      async (req) => svc.replace(actorOf(req), req.params.id, req.body),
    );
  };
}
