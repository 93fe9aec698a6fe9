import { z } from 'zod';
import { ZaloError } from './errors.ts';
import type { FetchLike, RateLimitInfo } from './http.ts';
import { createOaCaller } from './oa-call.ts';
import type { OaAccessTokenSource } from './oa-token-manager.ts';

/**
 * ZBS template messages (formerly ZNS), docs/zalo.md §6 (by UID and by phone).
 * Both use the OA access token in the `access_token` header. The UID variant has no tracking_id,
 * so idempotency lives in our outbox (keyed by the returned message_id); the phone variant takes
 * our idempotency key as `tracking_id` (≤ 48 chars).
 */

export interface ZbsClientConfig {
  /** OA Open API base, e.g. https://openapi.zalo.me — UID templates. */
  oaBaseUrl: string;
  /** ZNS/ZBS business base, e.g. https://business.openapi.zalo.me — phone templates (optional). */
  businessBaseUrl?: string;
  tokens: OaAccessTokenSource;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export type TemplateData = Record<string, string | number>;

export interface ZbsUidResult {
  messageId: string;
  userId: string;
  sentTime: string | null;
  quotaRemaining: number | null;
  rateLimit: RateLimitInfo;
}

export interface ZbsPhoneResult {
  messageId: string;
  sentTime: string | null;
  dailyQuota: number | null;
  remainingQuota: number | null;
  rateLimit: RateLimitInfo;
}

export interface ZbsClient {
  sendTemplateByUid(input: { userId: string; templateId: string; templateData: TemplateData }): Promise<ZbsUidResult>;
  sendTemplateByPhone(input: {
    phone: string;
    templateId: string;
    templateData: TemplateData;
    trackingId: string;
    /** "development" reaches only App/OA admins (docs/zalo.md §6). */
    mode?: 'development';
  }): Promise<ZbsPhoneResult>;
}

const idLike = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const numLike = z
  .union([z.string(), z.number()])
  .transform((v) => (v === '' || Number.isNaN(Number(v)) ? null : Number(v)))
  .optional();

const uidResponse = z.object({
  data: z.object({
    message_id: idLike,
    user_id: idLike.optional(),
    sent_time: idLike.optional(),
    quota: z.object({ remain: numLike }).partial().optional(),
  }),
});

const phoneResponse = z.object({
  data: z.object({
    msg_id: idLike,
    sent_time: idLike.optional(),
    quota: z.object({ dailyQuota: numLike, remainingQuota: numLike }).partial().optional(),
  }),
});

export function createZbsClient(cfg: ZbsClientConfig): ZbsClient {
  const { post } = createOaCaller({ channel: 'zbs', ...cfg });

  return {
    async sendTemplateByUid({ userId, templateId, templateData }) {
      const res = await post(
        cfg.oaBaseUrl,
        '/v3.0/oa/message/template',
        { user_id: userId, template_id: templateId, template_data: templateData },
        uidResponse,
      );
      const d = res.data.data;
      return {
        messageId: d.message_id,
        userId: d.user_id ?? userId,
        sentTime: d.sent_time ?? null,
        quotaRemaining: d.quota?.remain ?? null,
        rateLimit: res.rateLimit,
      };
    },

    async sendTemplateByPhone({ phone, templateId, templateData, trackingId, mode }) {
      const path = '/message/template';
      if (!cfg.businessBaseUrl) {
        throw new ZaloError({
          kind: 'invalid_request',
          channel: 'zbs',
          endpoint: `POST ${path}`,
          message: 'ZBS phone templates need businessBaseUrl in config',
          classification: { action: 'alert_human', retryable: false, alert: true, reason: 'not configured' },
        });
      }
      if (trackingId.length === 0 || trackingId.length > 48) {
        throw new ZaloError({
          kind: 'invalid_request',
          channel: 'zbs',
          endpoint: `POST ${path}`,
          message: `tracking_id must be 1..48 characters (got ${trackingId.length})`,
          classification: { action: 'dead', retryable: false, alert: false, reason: 'bad tracking_id' },
        });
      }
      const body: Record<string, unknown> = {
        phone,
        template_id: templateId,
        template_data: templateData,
        tracking_id: trackingId,
      };
      if (mode) body['mode'] = mode;
      const res = await post(cfg.businessBaseUrl, path, body, phoneResponse);
      const d = res.data.data;
      return {
        messageId: d.msg_id,
        sentTime: d.sent_time ?? null,
        dailyQuota: d.quota?.dailyQuota ?? null,
        remainingQuota: d.quota?.remainingQuota ?? null,
        rateLimit: res.rateLimit,
      };
    },
  };
}
