import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import {
  errorBodySchema,
  evidenceZipQuerySchema,
  idParamsSchema,
  listsCsvQuerySchema,
  reportQuerySchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import { binaryResponse } from '../../plugins/openapi.ts';
import type { Services } from '../../services.ts';
import { contentDisposition } from './files.ts';
import type { FileOut } from './exports.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
// Files are bytes, not JSON: the schema documents them; Fastify sends buffers and streams as is.
const file = (description: string, mediaType: string) => ({ 200: binaryResponse(description, mediaType), ...errors });

function send(reply: FastifyReply, f: FileOut) {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', contentDisposition(f.fileName))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(f.body as never);
}

/** XLSX, CSV, PDF and ZIP outputs: officers of the commune only (others 404). */
export function exportRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const exports = services.exports;

    app.get(
      '/exports/report.xlsx',
      {
        schema: {
          tags: ['exports'],
          summary:
            'Report workbook: a sheet per title with figures by hamlet and the recognised lists; for a province, one row per commune',
          querystring: reportQuerySchema,
          response: file('XLSX workbook', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
        },
      },
      async (req, reply) => send(reply, await exports.reportXlsx(actorOf(req), req.query)),
    );
    app.get(
      '/exports/lists.csv',
      {
        schema: {
          tags: ['exports'],
          summary: 'Subjects of one title (optionally one state) as CSV, UTF-8 with BOM, formula-safe',
          querystring: listsCsvQuerySchema,
          response: file('CSV', 'text/csv'),
        },
      },
      async (req, reply) => send(reply, await exports.listsCsv(actorOf(req), req.query)),
    );
    app.get(
      '/exports/evidence.zip',
      {
        schema: {
          tags: ['exports'],
          summary: "Photos of one hamlet's subjects with manifest.csv (streamed)",
          querystring: evidenceZipQuerySchema,
          response: file('ZIP archive', 'application/zip'),
        },
      },
      async (req, reply) => send(reply, await exports.evidenceZip(actorOf(req), req.query)),
    );
    app.get(
      '/decisions/:id/list.pdf',
      {
        schema: {
          tags: ['exports'],
          summary: 'Recognition list attached to a decision',
          params: idParamsSchema,
          response: file('PDF', 'application/pdf'),
        },
      },
      async (req, reply) => send(reply, await exports.decisionListPdf(actorOf(req), req.params.id)),
    );
    app.get(
      '/decisions/:id/certificates.pdf',
      {
        schema: {
          tags: ['exports'],
          summary: 'Certificates: one landscape page per recognised subject',
          params: idParamsSchema,
          response: file('PDF', 'application/pdf'),
        },
      },
      async (req, reply) => send(reply, await exports.certificatesPdf(actorOf(req), req.params.id)),
    );
  };
}
