import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SummaryDto } from '@hoctap/shared/api';
import {
  errorBodySchema,
  historyQuerySchema,
  historySchema,
  reportQuerySchema,
  summarySchema,
  targetsPutSchema,
  targetsQuerySchema,
  targetsSchema,
  timelinessSchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/** Figures and targets; scope is enforced by the report service (out of scope → 404). */
export function reportRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const reports = services.reports;

    app.get(
      '/reports/summary',
      {
        schema: {
          tags: ['reports'],
          summary:
            'Registry total, registered, submitted, verified, recognised, share, target and gap per title, with the hamlets (or communes) below',
          querystring: reportQuerySchema,
          response: { 200: summarySchema, ...errors },
        },
      },
      async (req, reply) => {
        const answer = await reports.summaryAnswer(actorOf(req), req.query);
        if (typeof answer !== 'string') return answer;
        // Already serialised through the same schema (reports.service.ts summaryAnswer): Fastify sends
        // a string with a JSON content type as it is; the type provider only knows the object form.
        return reply.type('application/json; charset=utf-8').send(answer as unknown as SummaryDto);
      },
    );
    app.get(
      '/reports/timeliness',
      {
        schema: {
          tags: ['reports'],
          summary:
            'On-time submission, verifier turnaround (median, p90), overdue queues per tổ, self vs verified scores per hamlet',
          querystring: reportQuerySchema,
          response: { 200: timelinessSchema, ...errors },
        },
      },
      async (req) => reports.timeliness(actorOf(req), req.query),
    );
    app.get(
      '/reports/history',
      {
        schema: {
          tags: ['reports'],
          summary: 'Years side by side; merged communes roll up into their successor',
          querystring: historyQuerySchema,
          response: { 200: historySchema, ...errors },
        },
      },
      async (req) => reports.history(actorOf(req), req.query),
    );
    app.get(
      '/targets',
      {
        schema: {
          tags: ['reports'],
          summary: 'Effective targets of a commune or province for a year, with their source',
          querystring: targetsQuerySchema,
          response: { 200: targetsSchema, ...errors },
        },
      },
      async (req) => reports.getTargets(actorOf(req), req.query.unitId, req.query.year),
    );
    app.put(
      '/targets',
      {
        schema: {
          tags: ['reports'],
          summary: 'Set (or clear with null) targets: officers for their commune, administrators for a province',
          querystring: targetsQuerySchema,
          body: targetsPutSchema,
          response: { 200: targetsSchema, ...errors },
        },
      },
      async (req) => reports.putTargets(actorOf(req), req.query.unitId, req.query.year, req.body),
    );
  };
}
