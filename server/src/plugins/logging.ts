import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/**
 * Logger settings shared by main.ts and the tests that read log lines. Logs carry the request id,
 * never personal data: no bodies, no query strings (tokens and search terms travel there), no
 * credentials, and no SQL parameters or row values from database errors.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-zalo-access-token"]'],
    serializers: { req: serializeRequest, err: serializeError },
  };
}

/** `/api/v1/x?token=…&q=…` → `/api/v1/x?…`: the path stays useful, the values never reach the log. */
export function redactUrl(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : `${url.slice(0, i)}?…`;
}

function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    hostname: req.hostname,
    remoteAddress: req.ip,
  };
}

// What a logged error may carry besides its type, message and stack: codes and names, never
// values. Driver errors hold values elsewhere: drizzle's `params`, PostgreSQL's `detail` ("Key
// (phone)=(0901…) already exists") and `where`; an allow-list keeps new fields out by default.
const SAFE_FIELDS = [
  'code',
  'statusCode',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'routine',
  'kind',
  'retryable',
  'alert',
  'errno',
  'syscall',
];

/** drizzle appends "params: a,b,c" (values may hold newlines) to a failed query's message. */
function stripParams(message: string): string {
  return message.replace(/\nparams:[\s\S]*$/, '\nparams: [redacted]');
}

/** Only the frames: the first line of a stack repeats the message, values included. */
function framesOf(stack: string | undefined): string {
  return (stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

export function serializeError(err: unknown): unknown {
  return err instanceof Error ? describe(err, 0) : err;
}

function describe(err: Error, depth: number): Record<string, unknown> {
  const fields = err as Error & Record<string, unknown>;
  const code = fields.code;
  // PostgreSQL's data exceptions (class 22) quote the offending value in the message itself:
  // `invalid input syntax for type integer: "Nguyễn Văn An"`.
  const echoesValue = typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && 'severity' in fields;
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? err.name,
    message: echoesValue ? `data exception ${code} (message withheld: it quotes the value)` : stripParams(err.message),
    stack: framesOf(err.stack),
  };
  for (const key of SAFE_FIELDS) {
    const value = fields[key];
    if (value !== undefined && value !== null && typeof value !== 'object') out[key] = value;
  }
  if (err.cause instanceof Error && depth < 5) out.cause = describe(err.cause, depth + 1);
  if (err instanceof AggregateError) out.errors = err.errors.slice(0, 5).map((e: unknown) => serializeError(e));
  return out;
}
