import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  errorBodySchema,
  idParamsSchema,
  importCommitResultSchema,
  importPreviewSchema,
  importUploadQuerySchema,
  onboardingImportCommitSchema,
  onboardingImportPreviewSchema,
  personImportQuerySchema,
} from '@hoctap/shared/api';
import type { FastifyRequest } from 'fastify';
import { badRequest, payloadTooLarge } from '../../lib/errors.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

/** Upload limits of the household-list import (ASVS 5.1.1/5.2.1): one file of at most 5 MB. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
};

/** The one uploaded file of a multipart request, within the size limit. */
async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; bytes: Buffer }> {
  if (!req.isMultipart())
    throw badRequest('Hãy gửi tệp dạng multipart/form-data (trường "file").', 'IMPORT_NOT_MULTIPART');
  const file = await req.file();
  if (!file) throw badRequest('Chưa có tệp nào được gửi lên.', 'IMPORT_NO_FILE');
  try {
    return { fileName: file.filename || 'danh-sach', bytes: await file.toBuffer() };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw payloadTooLarge('Tệp lớn hơn 5 MB. Hãy chia nhỏ danh sách.', 'IMPORT_TOO_LARGE');
    throw err;
  }
}

export function importRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart lives in this plugin's scope only, with explicit limits.
    await app.register(multipart, {
      limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 100 },
    });
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
        const file = await uploadedFile(req);
        const preview = await services.imports.preview(actorOf(req), {
          ...file,
          communeId: req.query.communeId,
          allowNewGroups: req.query.allowNewGroups === 'true',
        });
        return reply.status(201).send(preview);
      },
    );

    app.get(
      '/imports/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'The stored dry-run report',
          params: idParamsSchema,
          response: { 200: importPreviewSchema, ...errors },
        },
      },
      async (req) => services.imports.get(actorOf(req), req.params.id),
    );

    app.post(
      '/imports/:id/commit',
      {
        schema: {
          tags: ['imports'],
          summary:
            'Apply exactly the previewed rows in one transaction; refused (nothing written) while any row has an error',
          params: idParamsSchema,
          response: { 200: importCommitResultSchema, ...errors },
        },
      },
      async (req) => services.imports.commit(actorOf(req), req.params.id),
    );

    // ---- person list and the official province/commune list (issue 17)
    const rate = {
      rateLimit: {
        max: 20,
        timeWindow: '1 minute',
        keyGenerator: (req: FastifyRequest) => req.actor?.userId ?? req.ip,
      },
    };
    app.post(
      '/person-imports',
      {
        config: rate,
        schema: {
          tags: ['imports'],
          summary:
            'Upload a person list (household members, unit staff; .xlsx/.csv ≤ 5 MB) → dry-run report (commune officer)',
          consumes: ['multipart/form-data'],
          querystring: personImportQuerySchema,
          response: { 201: onboardingImportPreviewSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(
          await services.imports.previewPersons(actorOf(req), {
            ...(await uploadedFile(req)),
            communeId: req.query.communeId,
          }),
        ),
    );
    app.get(
      '/person-imports/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'The stored dry-run report of a person list',
          params: idParamsSchema,
          response: { 200: onboardingImportPreviewSchema, ...errors },
        },
      },
      async (req) => services.imports.getPersonsImport(actorOf(req), req.params.id),
    );
    app.post(
      '/person-imports/:id/commit',
      {
        schema: {
          tags: ['imports'],
          summary:
            'Apply the previewed person list in one transaction; refused (nothing written) while any row has an error',
          params: idParamsSchema,
          response: { 200: onboardingImportCommitSchema, ...errors },
        },
      },
      async (req) => services.imports.commitPersons(actorOf(req), req.params.id),
    );
    app.post(
      '/admin-unit-imports',
      {
        config: rate,
        schema: {
          tags: ['imports'],
          summary: 'Upload the official province/commune list (.xlsx/.csv) → dry-run report (admin)',
          consumes: ['multipart/form-data'],
          response: { 201: onboardingImportPreviewSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await services.imports.previewUnits(actorOf(req), await uploadedFile(req))),
    );
    app.get(
      '/admin-unit-imports/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'The stored dry-run report of a province/commune list',
          params: idParamsSchema,
          response: { 200: onboardingImportPreviewSchema, ...errors },
        },
      },
      async (req) => services.imports.getUnitsImport(actorOf(req), req.params.id),
    );
    app.post(
      '/admin-unit-imports/:id/commit',
      {
        schema: {
          tags: ['imports'],
          summary: 'Create and rename provinces and communes by official code, all or nothing (admin)',
          params: idParamsSchema,
          response: { 200: onboardingImportCommitSchema, ...errors },
        },
      },
      async (req) => services.imports.commitUnits(actorOf(req), req.params.id),
    );
  };
}
