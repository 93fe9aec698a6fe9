import { constants } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';

/**
 * Compresses every compressible response (JSON, CSV, HTML…) for clients that ask for it: on 3G a
 * JSON list shrinks 5–10×, and round trips dominate the household's waiting. Brotli first, gzip
 * for older WebViews. Must be registered before the routes it applies to.
 *
 * - threshold: below ~1 KB the encoding overhead and the CPU cost outweigh the saving;
 * - brotli quality 4: near gzip-6 speed with a better ratio (11, the default, costs ~50× the CPU
 *   on every API response; the mini app's own files are precompressed at quality 11 at build time);
 * - already-encoded responses (the precompressed mini app files) and incompressible types
 *   (JPEG photos, PDF, XLSX) are passed through untouched by the plugin;
 * - request bodies are never decompressed (globalDecompression: false): no client sends them and
 *   it would be one more way to inflate a small upload past the body limit.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}
