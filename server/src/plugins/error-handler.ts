import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  reqId: string;
  code?: string;
}

const GENERIC_5XX = 'Hệ thống đang gặp sự cố, vui lòng thử lại sau.';

function body(statusCode: number, message: string, reqId: string, code?: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, reqId, ...(code ? { code } : {}) };
}

/** Short, user-readable summary of a zod validation failure: "body.points: …; params.id: …". */
function describeValidation(err: FastifyError): string {
  if (!hasZodFastifySchemaValidationErrors(err)) return err.message;
  const where = err.validationContext ?? 'request';
  const parts = err.validation.slice(0, 5).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return `${where}${path ? `.${path}` : ''}: ${v.message ?? 'không hợp lệ'}`;
  });
  return `Dữ liệu gửi lên không hợp lệ — ${parts.join('; ')}`;
}

/** One error handler and one JSON 404 for the whole API. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'service error');
      return reply.status(err.statusCode).send(body(err.statusCode, err.message, request.id, err.code));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.status(400).send(body(400, describeValidation(err), request.id, 'VALIDATION_FAILED'));
    }
    if (isResponseSerializationError(err)) {
      // Our own response broke its schema: a server bug, never the client's fault.
      request.log.error({ err, issues: err.cause }, 'response failed its schema');
      return reply.status(500).send(body(500, GENERIC_5XX, request.id, 'INTERNAL'));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'unhandled error');
      return reply.status(status).send(body(status, GENERIC_5XX, request.id, 'INTERNAL'));
    }
    // Fastify's own 4xx (bad JSON, wrong content type, body too large, rate limit …).
    return reply.status(status).send(body(status, err.message, request.id, err.code));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(body(404, `Không có đường dẫn ${request.method} ${request.url.split('?')[0]}`, request.id, 'ROUTE_NOT_FOUND'));
  });
}
