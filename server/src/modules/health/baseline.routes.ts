import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unauthorized } from '../../lib/errors.ts';

/**
 * The benchmarks' yardstick, registered only with BENCH_BASELINE_ROUTE=true (refused in
 * production): verify the access token and read one row by primary key — what a 20-line Fastify +
 * pg server does. Every figure in tests/load/RESULTS.md is also given as a ratio to this route,
 * measured in the same run, so a noisy shared machine does not decide whether a target is met.
 */
export function baselineRoutes(readName: (userId: string) => Promise<string | null>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/bench/baseline',
      {
        schema: {
          tags: ['system'],
          summary: 'Benchmark baseline: token check and one primary-key select',
          response: { 200: z.object({ name: z.string().nullable() }) },
        },
      },
      async (request) => {
        let sub: string;
        try {
          sub = (await request.jwtVerify<{ sub: string }>()).sub;
        } catch {
          throw unauthorized('Phiên đăng nhập không hợp lệ hoặc đã hết hạn.', 'TOKEN_INVALID');
        }
        return { name: await readName(sub) };
      },
    );
  };
}
