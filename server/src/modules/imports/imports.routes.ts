import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, idParamsSchema, importCommitResultSchema, importPreviewSchema, importUploadQuerySchema } from '@hoctap/shared/api';
import { badRequest, payloadTooLarge } from '../../lib/errors.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

/** Upload limits of the household-list import (ASVS 5.1.1/5.2.1): one file of at most 5 MB. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema };

export function importRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart lives in this plugin's scope only, with explicit limits.
    await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 100 } });
    app.addHook('onRequest', app.authenticate);

    app.post(
      '/imports',
      {
        config: { rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['imports'],
          summary: 'Upload a household list (.xlsx or .csv, field "file", ≤ 5 MB) → dry-run report (commune officer)',
          consumes: ['multipart/form-data'],
          querystring: importUploadQuerySchema,
          response: { 201: importPreviewSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw badRequest('Hãy gửi tệp dạng multipart/form-data (trường "file").', 'IMPORT_NOT_MULTIPART');
        const file = await req.file();
        if (!file) throw badRequest('Chưa có tệp nào được gửi lên.', 'IMPORT_NO_FILE');
        let bytes: Buffer;
        try {
          bytes = await file.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw payloadTooLarge('Tệp lớn hơn 5 MB. Hãy chia nhỏ danh sách.', 'IMPORT_TOO_LARGE');
          throw err;
        }
        const preview = await services.imports.preview(actorOf(req), {
          fileName: file.filename || 'danh-sach',
          bytes,
          communeId: req.query.communeId,
          allowNewGroups: req.query.allowNewGroups === 'true',
        });
        return reply.status(201).send(preview);
      },
    );

    app.get('/imports/:id', { schema: { tags: ['imports'], summary: 'The stored dry-run report', params: idParamsSchema, response: { 200: importPreviewSchema, ...errors } } }, async (req) =>
      services.imports.get(actorOf(req), req.params.id),
    );

    app.post(
      '/imports/:id/commit',
      {
        schema: {
          tags: ['imports'],
          summary: 'Apply exactly the previewed rows in one transaction; refused (nothing written) while any row has an error',
          params: idParamsSchema,
          response: { 200: importCommitResultSchema, ...errors },
        },
      },
      async (req) => services.imports.commit(actorOf(req), req.params.id),
    );
  };
}
