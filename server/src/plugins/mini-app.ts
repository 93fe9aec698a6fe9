import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Serves the built mini app from the API's origin, so the demo is one URL and the browser needs
 * no CORS. Inside Zalo the mini app is hosted by Zalo and this is not used.
 */
export async function registerMiniApp(app: FastifyInstance, dir: string | undefined): Promise<boolean> {
  if (!dir || !existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    // Hashed asset names change with every build; index.html must always be revalidated.
    setHeaders: (res, path) => {
      res.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=604800, immutable');
    },
  });
  return true;
}
