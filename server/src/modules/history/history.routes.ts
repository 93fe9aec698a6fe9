import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  commendationsQuerySchema,
  commendationsSchema,
  errorBodySchema,
  idParamsSchema,
  subjectHistoryParamsSchema,
  subjectHistorySchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import { binaryResponse } from '../../plugins/openapi.ts';
import type { Services } from '../../services.ts';
import { contentDisposition } from '../exports/files.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/** Years that build on each other (docs/transparency.md §3, §5); scope in the service (out of scope → 404). */
export function historyRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const history = services.history;

    app.get(
      '/subjects/:subjectType/:subjectId/history',
      {
        schema: {
          tags: ['reports'],
          summary:
            "One subject's title year by year (recognised, not recognised, not assessed), across the 2025 merger",
          params: subjectHistoryParamsSchema,
          response: { 200: subjectHistorySchema, ...errors },
        },
      },
      async (req) => history.subjectHistory(actorOf(req), req.params.subjectType, req.params.subjectId),
    );
    app.get(
      '/campaigns/:id/commendations',
      {
        schema: {
          tags: ['reports'],
          summary: 'Commendation proposals: subjects holding their title N consecutive years, this year included',
          params: idParamsSchema,
          querystring: commendationsQuerySchema,
          response: { 200: commendationsSchema, ...errors },
        },
      },
      async (req) => history.commendations(actorOf(req), req.params.id, req.query),
    );
    app.get(
      '/campaigns/:id/commendations.xlsx',
      {
        schema: {
          tags: ['exports'],
          summary: 'Commendation proposals as the XLSX list a commune sends upward',
          params: idParamsSchema,
          querystring: commendationsQuerySchema,
          response: {
            200: binaryResponse('XLSX workbook', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const f = await history.commendationsXlsx(actorOf(req), req.params.id, req.query);
        return reply
          .header('content-type', f.contentType)
          .header('content-disposition', contentDisposition(f.fileName))
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .send(f.body as never);
      },
    );
  };
}
