import { z } from 'zod';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';

/**
 * Mini App Open API notification (docs/zalo.md §5): `POST /notification/template` on
 * openapi.mini.zalo.me with `X-Api-Key: Bearer <key>`, `X-User-Id`, `X-MiniApp-Id`.
 * Zalo enforces: user opened the app within 7 days and allowed notifications, 1/user/day,
 * 1000/app/day, 06:00–22:00. The response shape is UNVERIFIED (production code only checks the
 * HTTP status), so any 2xx without `error != 0` counts as sent; see MINIAPP_NOTIFY_ERRORS.
 */

export interface MiniAppNotifyClientConfig {
  /** e.g. https://openapi.mini.zalo.me (tests: the fake server URL). */
  baseUrl: string;
  /** API key generated on the Mini App management page (Open APIs). */
  apiKey: string;
  miniAppId: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export interface MiniAppTemplateData {
  buttonText?: string;
  buttonUrl?: string;
  /** ≤ 32 characters (docs/zalo.md §5). */
  title?: string;
  contentTitle?: string;
  contentDescription?: string;
  [key: string]: string | undefined;
}

export interface MiniAppNotifyResult {
  /** Whatever Zalo returned as `data` (UNVERIFIED shape), for the outbox audit column. */
  raw: unknown;
}

export interface MiniAppNotifyClient {
  sendNotification(input: {
    /** User id BY APP (from /v2.0/me), not the OA-scoped id. */
    userId: string;
    templateId: string;
    templateData: MiniAppTemplateData;
  }): Promise<MiniAppNotifyResult>;
}

const response = z.object({ data: z.unknown().optional() }).loose();

export function createMiniAppNotifyClient(cfg: MiniAppNotifyClientConfig): MiniAppNotifyClient {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async sendNotification({ userId, templateId, templateData }) {
      const { data } = await callZalo({
        channel: 'miniapp',
        endpoint: 'POST /notification/template',
        method: 'POST',
        url: joinUrl(cfg.baseUrl, '/notification/template'),
        headers: {
          'x-api-key': `Bearer ${cfg.apiKey}`,
          'x-user-id': userId,
          'x-miniapp-id': cfg.miniAppId,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ templateId, templateData }),
        schema: response,
        timeoutMs,
        fetch: cfg.fetch,
        allowEmptyBody: true,
      });
      return { raw: data.data ?? null };
    },
  };
}
