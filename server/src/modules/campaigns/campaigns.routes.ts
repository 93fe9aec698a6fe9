import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  campaignCloseSchema,
  campaignCreateSchema,
  campaignListQuerySchema,
  campaignListSchema,
  campaignPatchSchema,
  campaignReopenSchema,
  campaignSchema,
  errorBodySchema,
  idParamsSchema,
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

export function campaignRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const svc = services.campaigns;

    app.get(
      '/campaigns',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Campaigns of the communes in my scope',
          querystring: campaignListQuerySchema,
          response: { 200: campaignListSchema, ...errors },
        },
      },
      async (req) => svc.list(actorOf(req), req.query),
    );
    app.post(
      '/campaigns',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Open the yearly campaign of a commune (officer); one per commune × year',
          body: campaignCreateSchema,
          response: { 200: campaignSchema, 201: campaignSchema, ...errors },
        },
      },
      async (req, reply) => {
        const r = await svc.create(actorOf(req), req.body);
        return reply.status(r.created ? 201 : 200).send(r.campaign);
      },
    );
    app.get(
      '/campaigns/:id',
      {
        schema: {
          tags: ['workflow'],
          summary: 'One campaign',
          params: idParamsSchema,
          response: { 200: campaignSchema, ...errors },
        },
      },
      async (req) => svc.get(actorOf(req), req.params.id),
    );
    app.patch(
      '/campaigns/:id',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Edit title, milestones, settings (officer); criteria sets only before the first assessment',
          params: idParamsSchema,
          body: campaignPatchSchema,
          response: { 200: campaignSchema, ...errors },
        },
      },
      async (req) => svc.patch(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/campaigns/:id/close',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Close the campaign: every change is refused afterwards (officer)',
          params: idParamsSchema,
          body: campaignCloseSchema.optional(),
          response: { 200: campaignSchema, ...errors },
        },
      },
      async (req) => svc.close(actorOf(req), req.params.id, req.body?.reason),
    );
    app.post(
      '/campaigns/:id/reopen',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Reopen a closed campaign or a phase after its milestone, with a reason (officer, audited)',
          params: idParamsSchema,
          body: campaignReopenSchema,
          response: { 200: campaignSchema, ...errors },
        },
      },
      async (req) => svc.reopen(actorOf(req), req.params.id, req.body),
    );
  };
}
