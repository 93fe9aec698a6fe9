import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Cache policy by file: Vite puts content-hashed names under assets/, everything else may change. */
export function miniAppCacheControl(path: string): string {
  // With preCompressed the path is the encoded sibling ("index.html.br"); the policy is the original's.
  const file = path.replace(/\.(br|gz)$/, '');
  return /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves the built mini app from the API's origin, so the demo is one URL and the browser needs
 * no CORS. Inside Zalo the mini app is hosted by Zalo and this is not used.
 *
 * The build writes .br and .gz next to every text file (vite.config.mts); preCompressed sends the
 * best one the browser accepts, so nothing is compressed per request. Hashed assets are cached
 * for a year (a new build has new names); index.html and app-config.json are revalidated on every
 * start (ETag → 304), which is what makes a new build reach the phones.
 */
export async function registerMiniApp(app: FastifyInstance, dir: string | undefined): Promise<boolean> {
  if (!dir || !existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    preCompressed: true,
    // max-age is set per file below; send's own default (max-age=0) would be overwritten anyway.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', miniAppCacheControl(path));
    },
  });
  // The officer console on a PC is the same build (its code loads on demand when the path is
  // /console, mini-app/src/console/). No trailing slash and no sub-paths: the build's asset URLs
  // are relative ("./assets/…"), which resolve from /console exactly as from /.
  app.get('/console', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
  return true;
}
