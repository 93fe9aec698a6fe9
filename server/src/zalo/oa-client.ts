import { z } from 'zod';
import { ZaloError } from './errors.ts';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike, type RateLimitInfo } from './http.ts';
import type { OaAccessTokenSource } from './oa-token-manager.ts';

/**
 * OA messaging on openapi.zalo.me (zalo.md §4.2 consultation, §4.3 GMF group chat).
 * Every call authenticates with the bare `access_token` header (§4.1) and goes through the token
 * source, which refreshes and retries once on -216/-220.
 */

export interface OaClientConfig {
  /** e.g. https://openapi.zalo.me (tests: the fake server URL). */
  baseUrl: string;
  tokens: OaAccessTokenSource;
  timeoutMs?: number;
  fetch?: FetchLike;
}

/** Zalo's documented text limit for OA messages (zalo.md §4.2, §4.3). */
export const OA_TEXT_MAX = 2000;

export interface OaSendResult {
  messageId: string;
  rateLimit: RateLimitInfo;
}

export interface OaClient {
  /** Post text into an OA-owned GMF group (zalo.md §4.3). Chunking is the caller's job. */
  sendGroupMessage(input: { groupId: string; text: string }): Promise<OaSendResult & { groupId: string }>;
  /** Consultation message; only within 7 days of the user's last interaction (-230 otherwise). */
  sendConsultationMessage(input: { userId: string; text: string }): Promise<OaSendResult & { userId: string }>;
}

const idLike = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const groupMessageResponse = z.object({
  data: z.object({ message_id: idLike, group_id: idLike.optional() }),
});
const csMessageResponse = z.object({
  data: z.object({ message_id: idLike, user_id: idLike.optional() }),
});

export function createOaClient(cfg: OaClientConfig): OaClient {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function post<S extends z.ZodType>(path: string, body: unknown, schema: S) {
    return cfg.tokens.withAccessToken((accessToken) =>
      callZalo({
        channel: 'oa',
        endpoint: `POST ${path}`,
        method: 'POST',
        url: joinUrl(cfg.baseUrl, path),
        headers: { access_token: accessToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        schema,
        timeoutMs,
        fetch: cfg.fetch,
      }),
    );
  }

  return {
    async sendGroupMessage({ groupId, text }) {
      const path = '/v3.0/oa/group/message';
      const clean = checkText(text, path);
      const res = await post(path, { recipient: { group_id: groupId }, message: { text: clean } }, groupMessageResponse);
      return { messageId: res.data.data.message_id, groupId: res.data.data.group_id ?? groupId, rateLimit: res.rateLimit };
    },

    async sendConsultationMessage({ userId, text }) {
      const path = '/v3.0/oa/message/cs';
      const clean = checkText(text, path);
      const res = await post(path, { recipient: { user_id: userId }, message: { text: clean } }, csMessageResponse);
      return { messageId: res.data.data.message_id, userId: res.data.data.user_id ?? userId, rateLimit: res.rateLimit };
    },
  };
}

/**
 * NFC-normalise before counting (Vietnamese typed on some keyboards arrives as NFD, which is
 * longer — zalo.md §4.3/§6.2) and refuse over-long text locally: Zalo answers it with HTTP 200 +
 * an error, which would only cost a request and a retry cycle.
 */
function checkText(text: string, path: string): string {
  const clean = text.normalize('NFC');
  if (clean.length === 0 || clean.length > OA_TEXT_MAX) {
    throw new ZaloError({
      kind: 'invalid_request',
      channel: 'oa',
      endpoint: `POST ${path}`,
      message: `message text must be 1..${OA_TEXT_MAX} characters after NFC (got ${clean.length})`,
      classification: { action: 'dead', retryable: false, alert: false, reason: 'text length out of range' },
    });
  }
  return clean;
}
