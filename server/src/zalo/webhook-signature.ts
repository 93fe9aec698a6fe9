import { createHash, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../lib/clock.ts';
import { parseJsonPreservingIds } from './safe-json.ts';

/**
 * Webhook signature checks (docs/zalo.md §7).
 *
 * OA webhooks: header `X-ZEvent-Signature: mac=<hex>` where
 *   hex = sha256(firstTerm + rawBody + timestamp + secret)   — plain SHA-256, NOT HMAC,
 * `timestamp` being the body field. Sources disagree on the terms (UNVERIFIED):
 *   - firstTerm: app_id (most sources) or oa_id (some community code);
 *   - secret: the "OA Secret Key" of the linked OA or the app secret.
 * So the variant is configurable, several can be tried, and the result says which one matched
 * (log it, then pin the config to that one).
 *
 * Mini App Open API webhooks use a different scheme (Zalo's official page):
 *   sha256(values of all data fields sorted by key A→Z, objects JSON.stringify'd, + API key).
 */

export interface WebhookSignatureVariant {
  firstTerm: 'app_id' | 'oa_id';
  secret: 'oa_secret_key' | 'app_secret';
}

/** app_id + OA secret key: the reading of the most specific source (docs/zalo.md §7). */
export const DEFAULT_WEBHOOK_VARIANT: WebhookSignatureVariant = { firstTerm: 'app_id', secret: 'oa_secret_key' };

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookInput {
  /** The exact bytes received. Re-serialising parsed JSON changes the bytes and the hash. */
  rawBody: string | Uint8Array;
  headers: HeaderBag;
  appId: string;
  oaSecretKey: string;
  oaId?: string;
  appSecret?: string;
  variant?: WebhookSignatureVariant | readonly WebhookSignatureVariant[];
  clock?: Clock;
  /**
   * Max |now - timestamp|. Zalo retries a failed delivery for ~2 h (30 s → 5 m → 15 m → 30 m →
   * 1 h, docs/zalo.md §7) and it is UNVERIFIED whether retries carry a fresh timestamp, so the
   * default (3 h) lets retries through; replays inside the window are harmless because inbound
   * processing dedupes on msg_id.
   */
  toleranceMs?: number;
}

export type VerifyWebhookResult =
  | { ok: true; variant: WebhookSignatureVariant; timestampMs: number }
  | {
      ok: false;
      reason:
        | 'missing_signature'
        | 'bad_signature'
        | 'invalid_body'
        | 'missing_timestamp'
        | 'stale_timestamp'
        | 'missing_secret';
    };

export const DEFAULT_WEBHOOK_TOLERANCE_MS = 3 * 60 * 60 * 1000;

export function computeWebhookSignature(input: {
  rawBody: string | Uint8Array;
  firstTerm: string;
  timestamp: string;
  secret: string;
}): string {
  return createHash('sha256')
    .update(input.firstTerm, 'utf8')
    .update(input.rawBody)
    .update(input.timestamp, 'utf8')
    .update(input.secret, 'utf8')
    .digest('hex');
}

export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyWebhookResult {
  const header = getHeader(input.headers, 'x-zevent-signature');
  if (!header) return { ok: false, reason: 'missing_signature' };
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();

  const text = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  let body: unknown;
  try {
    body = parseJsonPreservingIds(text);
  } catch {
    return { ok: false, reason: 'invalid_body' };
  }
  const rawTs = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['timestamp'] : undefined;
  const timestamp = typeof rawTs === 'string' || typeof rawTs === 'number' ? String(rawTs) : null;
  if (timestamp === null || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing_timestamp' };

  const variants = input.variant === undefined ? [DEFAULT_WEBHOOK_VARIANT] : toArray(input.variant);
  let matched: WebhookSignatureVariant | null = null;
  let anySecret = false;
  for (const v of variants) {
    const firstTerm = v.firstTerm === 'app_id' ? input.appId : input.oaId;
    const secret = v.secret === 'oa_secret_key' ? input.oaSecretKey : input.appSecret;
    if (!firstTerm || !secret) continue;
    anySecret = true;
    const expected = computeWebhookSignature({ rawBody: input.rawBody, firstTerm, timestamp, secret });
    // Check every variant (no early exit) so timing does not reveal which one is configured.
    if (constantTimeEqualHex(expected, given) && matched === null) matched = v;
  }
  if (!anySecret) return { ok: false, reason: 'missing_secret' };
  if (!matched) return { ok: false, reason: 'bad_signature' };

  // Zalo timestamps are milliseconds; accept seconds defensively.
  let tsMs = Number(timestamp);
  if (tsMs < 1e12) tsMs *= 1000;
  const now = (input.clock ?? systemClock).now().getTime();
  if (Math.abs(now - tsMs) > (input.toleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  return { ok: true, variant: matched, timestampMs: tsMs };
}

/** Mini App Open API webhook signature (docs/zalo.md §7). Header name X-ZEvent-Signature (UNVERIFIED). */
export function computeMiniAppWebhookSignature(data: Record<string, unknown>, apiKey: string): string {
  const joined = Object.keys(data)
    .sort()
    .map((k) => {
      const v = data[k];
      return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
    })
    .join('');
  return createHash('sha256')
    .update(joined + apiKey, 'utf8')
    .digest('hex');
}

export function verifyMiniAppWebhookSignature(input: {
  data: Record<string, unknown>;
  headers: HeaderBag;
  apiKey: string;
}): boolean {
  const header = getHeader(input.headers, 'x-zevent-signature');
  if (!header) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  return constantTimeEqualHex(computeMiniAppWebhookSignature(input.data, input.apiKey), given);
}

function constantTimeEqualHex(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, 'utf8');
  const b = Buffer.from(givenHex, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to keep the timing uniform.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

function getHeader(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function toArray<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}
