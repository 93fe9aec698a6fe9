import type { z } from 'zod';
import { ZaloError, type ZaloChannel } from './errors.ts';
import { parseJsonPreservingIds } from './safe-json.ts';

/**
 * The one place that talks HTTP to Zalo. Every call has a timeout, every body is parsed without
 * losing id digits, `error != 0` on an HTTP 200 is turned into a ZaloError (docs/zalo.md §8: that is
 * Zalo's normal way of failing), and the result is validated with zod.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const DEFAULT_TIMEOUT_MS = 10_000;

/** App-level OA limit is per minute (docs/zalo.md §8); without a Retry-After we wait one window. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
}

export interface ZaloResponse<T> {
  data: T;
  httpStatus: number;
  /** `X-RateLimit-Limit` / `X-RateLimit-Remain` (docs/zalo.md §8), for the dispatcher's token bucket. */
  rateLimit: RateLimitInfo;
}

export interface ZaloRequest<S extends z.ZodType> {
  channel: ZaloChannel;
  /** Short stable name for logs and errors, e.g. "POST /v3.0/oa/group/message". */
  endpoint: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  schema: S;
  timeoutMs: number;
  fetch?: FetchLike | undefined;
  /** Treat a 2xx response with an empty/non-JSON body as `{}` (Mini App API: shape UNVERIFIED). */
  allowEmptyBody?: boolean;
}

/** Join a configured base URL (which may carry a path prefix) and an API path. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

export async function callZalo<S extends z.ZodType>(req: ZaloRequest<S>): Promise<ZaloResponse<z.output<S>>> {
  const doFetch: FetchLike = req.fetch ?? ((input, init) => fetch(input, init));
  const base = { channel: req.channel, endpoint: req.endpoint } as const;

  let res: Response;
  let text: string;
  try {
    res = await doFetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      // One signal covers connect, headers AND body: a server that stalls mid-body still times out.
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new ZaloError({
      ...base,
      kind: timedOut ? 'timeout' : 'network',
      // A POST that may have been written is not known to have failed (a GET changes nothing).
      outcomeUnknown: req.method === 'POST' && (timedOut || !neverSent(err)),
      message: timedOut
        ? `Zalo ${req.endpoint} timed out after ${req.timeoutMs} ms`
        : `Zalo ${req.endpoint} unreachable`,
      cause: err,
    });
  }

  const rateLimit = readRateLimit(res.headers);
  let json: unknown;
  let parsed = true;
  try {
    json = text.trim() === '' ? undefined : parseJsonPreservingIds(text);
  } catch {
    parsed = false;
  }

  const bodyError = extractBodyError(json);
  if (!res.ok || bodyError) {
    const code = bodyError?.code ?? null;
    const isRateLimit = code === -32 || res.status === 429;
    throw new ZaloError({
      ...base,
      kind: bodyError ? 'api' : 'http',
      code,
      httpStatus: res.status,
      message: bodyError?.message ?? `Zalo ${req.endpoint} answered HTTP ${res.status}`,
      retryAfterMs: isRateLimit ? retryAfterMs(res.headers) : null,
    });
  }

  if (!parsed || json === undefined) {
    if (req.allowEmptyBody) json = {};
    else {
      throw new ZaloError({
        ...base,
        kind: 'invalid_response',
        httpStatus: res.status,
        message: `Zalo ${req.endpoint} returned a non-JSON body`,
      });
    }
  }

  const result = req.schema.safeParse(json);
  if (!result.success) {
    throw new ZaloError({
      ...base,
      kind: 'invalid_response',
      httpStatus: res.status,
      message: `Zalo ${req.endpoint} returned an unexpected body: ${result.error.message}`,
      cause: result.error,
    });
  }
  return { data: result.data, httpStatus: res.status, rateLimit };
}

/** Errors that prove the request never left this machine (no connection was ever made). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function neverSent(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string' && NOT_SENT_CODES.has(e.code)) return true;
  }
  return false;
}

/**
 * Zalo bodies fail in two styles: `{ error: -216, message }` (Graph/OA/ZNS) and the OAuth style
 * `{ error_name, error_reason, error_description, error? }`, sometimes with HTTP 200 and sometimes
 * without a numeric `error` at all (observed in production integrations). Both are errors.
 */
function extractBodyError(json: unknown): { code: number | null; message: string } | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const code = toInt(o['error']);
  const oauthStyle = typeof o['error_name'] === 'string' || typeof o['error_description'] === 'string';
  if ((code === null || code === 0) && !oauthStyle) return null;
  if (code === 0 && oauthStyle) return null;
  const message =
    firstString(o['message'], o['error_description'], o['error_reason'], o['error_name']) ??
    `Zalo error ${code ?? 'without code'}`;
  return { code, message };
}

function toInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return null;
}

function firstString(...vs: unknown[]): string | undefined {
  for (const v of vs) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

function readRateLimit(h: Headers): RateLimitInfo {
  const num = (v: string | null): number | null => (v !== null && /^\d+$/.test(v.trim()) ? Number(v) : null);
  return { limit: num(h.get('x-ratelimit-limit')), remaining: num(h.get('x-ratelimit-remain')) };
}

/** Retry-After (seconds or HTTP date) if Zalo sends one; otherwise one rate-limit window. */
function retryAfterMs(h: Headers): number {
  const ra = h.get('retry-after');
  if (ra !== null) {
    if (/^\d+$/.test(ra.trim())) return Number(ra) * 1000;
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}
