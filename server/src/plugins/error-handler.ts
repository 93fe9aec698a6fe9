import { z } from 'zod';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@hoctap/shared/api';
import { AppError } from '../lib/errors.ts';
import { isDatabaseUnavailable } from '../db/connect.ts';

const GENERIC_5XX = 'Hệ thống đang gặp sự cố, vui lòng thử lại sau.';
const DATABASE_DOWN = 'Hệ thống tạm thời không truy cập được cơ sở dữ liệu, vui lòng thử lại sau ít phút.';
/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

function body(statusCode: number, message: string, reqId: string, code?: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, reqId, ...(code ? { code } : {}) };
}

/*
 * A 400's message reaches people (the mini app shows the server's sentence): zod's own texts are
 * English ("Invalid UUID"), so every schema in this process speaks Vietnamese.
 */
z.config(z.locales.vi());

const PART_LABELS: Record<string, string> = {
  body: 'Nội dung',
  querystring: 'Tham số',
  params: 'Đường dẫn',
  headers: 'Tiêu đề',
};

/** Short, readable summary of a zod validation failure: "Nội dung (points): …; Đường dẫn (id): …". */
function describeValidation(err: FastifyError): string {
  if (!hasZodFastifySchemaValidationErrors(err)) return err.message;
  const where = PART_LABELS[err.validationContext ?? ''] ?? 'Yêu cầu';
  const parts = err.validation.slice(0, 5).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return `${where}${path ? ` (${path})` : ''}: ${v.message ?? 'không hợp lệ'}`;
  });
  return `Dữ liệu gửi lên không hợp lệ — ${parts.join('; ')}`;
}

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'Đường dẫn không hợp lệ.',
  FST_ERR_MAX_PARAM_LENGTH: 'Đường dẫn quá dài.',
};

/**
 * Errors Fastify's router raises before any route runs (a malformed or over-long URL): answered in
 * the same error shape, instead of Fastify's own body without a reqId. Passed as `frameworkErrors`.
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status =
    typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = FRAMEWORK_MESSAGES[err.code] ?? 'Yêu cầu không hợp lệ.';
  void reply.status(status).send(body(status, message, request.id, err.code));
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
    if (isDatabaseUnavailable(err)) {
      // An outage, not a bug: every route answers 503 and recovers by itself once the pool reconnects.
      request.log.warn({ err }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(body(503, DATABASE_DOWN, request.id, 'DATABASE_UNAVAILABLE'));
    }
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
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
      .send(
        body(404, `Không có đường dẫn ${request.method} ${request.url.split('?')[0]}`, request.id, 'ROUTE_NOT_FOUND'),
      );
  });
}
