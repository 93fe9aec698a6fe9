import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '@hoctap/shared/api';
import { appliedMigrationCount, expectedMigrationCount } from '../../db/migrate.ts';
import type { Database } from '../../db/connect.ts';
import { pingDatabase } from '../../db/ping.ts';

const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['pglite', 'pg']),
  databaseReachable: z.boolean(),
  migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
});

export function healthRoutes(database: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process is up',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['system'],
          summary: 'Readiness: database reachable and migrations current',
          response: { 200: readySchema, 503: readySchema.or(errorBodySchema) },
        },
      },
      async (_req, reply) => {
        const expected = expectedMigrationCount();
        let reachable = true;
        let applied = 0;
        try {
          await pingDatabase(database);
          applied = await appliedMigrationCount(database);
        } catch {
          reachable = false;
        }
        const ready = reachable && applied === expected;
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not_ready',
          database: database.kind,
          databaseReachable: reachable,
          migrations: { applied, expected },
        });
      },
    );
  };
}
