import type { z } from 'zod';
import type { ZaloChannel } from './errors.ts';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';
import type { OaAccessTokenSource } from './oa-token-manager.ts';

/**
 * The one way to call an OA-token API (OA messaging, GMF, ZBS): the bare `access_token` header
 * (docs/zalo.md §3) through the token source, which refreshes and retries once on -216/-220.
 */
export function createOaCaller(cfg: {
  channel: ZaloChannel;
  tokens: OaAccessTokenSource;
  timeoutMs?: number | undefined;
  fetch?: FetchLike | undefined;
}) {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = <S extends z.ZodType>(method: 'GET' | 'POST', base: string, path: string, schema: S, body?: unknown) =>
    cfg.tokens.withAccessToken((accessToken) =>
      callZalo({
        channel: cfg.channel,
        endpoint: `${method} ${path.split('?')[0]}`,
        method,
        url: joinUrl(base, path),
        headers: {
          access_token: accessToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        schema,
        timeoutMs,
        fetch: cfg.fetch,
      }),
    );
  return {
    post: <S extends z.ZodType>(base: string, path: string, body: unknown, schema: S) =>
      call('POST', base, path, schema, body),
    get: <S extends z.ZodType>(base: string, path: string, schema: S) => call('GET', base, path, schema),
  };
}
