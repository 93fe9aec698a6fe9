import { z } from 'zod';
import { ZaloError } from './errors.ts';
import type { FetchLike, RateLimitInfo } from './http.ts';
import { createOaCaller } from './oa-call.ts';
import type { OaAccessTokenSource } from './oa-token-manager.ts';

/**
 * OA messaging on openapi.zalo.me (docs/zalo.md §4: GMF group chat and the consultation message).
 * Every call authenticates with the bare `access_token` header (docs/zalo.md §3) and goes through the token
 * source, which refreshes and retries once on -216/-220.
 */

export interface OaClientConfig {
  /** e.g. https://openapi.zalo.me (tests: the fake server URL). */
  baseUrl: string;
  tokens: OaAccessTokenSource;
  timeoutMs?: number;
  fetch?: FetchLike;
}

/** Zalo's documented text limit for OA messages (docs/zalo.md §4). */
export const OA_TEXT_MAX = 2000;

export interface OaSendResult {
  messageId: string;
  rateLimit: RateLimitInfo;
}

export interface OaClient {
  /** Post text into an OA-owned GMF group (docs/zalo.md §4). Chunking is the caller's job. */
  sendGroupMessage(input: { groupId: string; text: string }): Promise<OaSendResult & { groupId: string }>;
  /**
   * The latest messages of a group (`GET group/conversation`, docs/zalo.md §4), to find out
   * whether a send whose answer never came was delivered. The item shape is not documented:
   * read leniently (text in `message`, `text` or `message.text`; id in `message_id` or `msg_id`).
   */
  recentGroupMessages(input: { groupId: string; count: number }): Promise<{ messageId: string; text: string }[]>;
  /** Consultation message; only within 7 days of the user's last interaction (-230 otherwise). */
  sendConsultationMessage(input: { userId: string; text: string }): Promise<OaSendResult & { userId: string }>;
}

const idLike = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const groupMessageResponse = z.object({
  data: z.object({ message_id: idLike, group_id: idLike.optional() }),
});
const conversationResponse = z.object({
  data: z.union([z.array(z.unknown()), z.object({ messages: z.array(z.unknown()) }).loose()]).optional(),
});

function readConversationItem(item: unknown): { messageId: string; text: string } | null {
  if (typeof item !== 'object' || item === null) return null;
  const o = item as Record<string, unknown>;
  const msg = o['message'];
  const text =
    typeof msg === 'string'
      ? msg
      : typeof o['text'] === 'string'
        ? o['text']
        : typeof msg === 'object' && msg !== null && typeof (msg as { text?: unknown }).text === 'string'
          ? (msg as { text: string }).text
          : null;
  const id = o['message_id'] ?? o['msg_id'];
  return text !== null && (typeof id === 'string' || typeof id === 'number') ? { messageId: String(id), text } : null;
}

const csMessageResponse = z.object({
  data: z.object({ message_id: idLike, user_id: idLike.optional() }),
});

export function createOaClient(cfg: OaClientConfig): OaClient {
  const oa = createOaCaller({ channel: 'oa', ...cfg });
  const post = <S extends z.ZodType>(path: string, body: unknown, schema: S) =>
    oa.post(cfg.baseUrl, path, body, schema);

  return {
    async sendGroupMessage({ groupId, text }) {
      const path = '/v3.0/oa/group/message';
      const clean = checkText(text, path);
      const res = await post(
        path,
        { recipient: { group_id: groupId }, message: { text: clean } },
        groupMessageResponse,
      );
      return {
        messageId: res.data.data.message_id,
        groupId: res.data.data.group_id ?? groupId,
        rateLimit: res.rateLimit,
      };
    },

    async recentGroupMessages({ groupId, count }) {
      const q = new URLSearchParams({ group_id: groupId, offset: '0', count: String(count) });
      const res = await oa.get(cfg.baseUrl, `/v3.0/oa/group/conversation?${q.toString()}`, conversationResponse);
      const d = res.data.data;
      const items = Array.isArray(d) ? d : (d?.messages ?? []);
      return items.map(readConversationItem).filter((m): m is { messageId: string; text: string } => m !== null);
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
 * longer — docs/zalo.md §4) and refuse over-long text locally: Zalo answers it with HTTP 200 +
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
