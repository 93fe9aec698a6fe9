import { createHash } from 'node:crypto';
import type { FakeClock } from './clock.ts';
import type { FakeZaloOptions } from './state.ts';

/**
 * OA webhook emitter (docs/zalo.md §7, §10): signs like Zalo —
 * `X-ZEvent-Signature: mac=<sha256(firstTerm + rawBody + timestamp + secret)>` — and POSTs the
 * exact bytes it signed. Which first term / secret Zalo really uses is UNVERIFIED, so the variant
 * is selectable. Implemented independently of the server's verifier on purpose.
 */
export interface WebhookSignOptions {
  firstTerm?: 'app_id' | 'oa_id';
  secret?: 'oa_secret_key' | 'app_secret';
  /** Override the body timestamp (ms). Defaults to the fake clock. */
  timestampMs?: number;
  /** Corrupt the signature (tests of the reject path). */
  tamper?: boolean;
}

export interface SignedWebhook {
  rawBody: string;
  headers: Record<string, string>;
  timestamp: string;
}

export function createWebhookEmitter(opts: FakeZaloOptions, clock: FakeClock) {
  function sign(payload: Record<string, unknown>, o: WebhookSignOptions = {}): SignedWebhook {
    const timestamp = String(o.timestampMs ?? clock.nowMs());
    // Ids and timestamps are strings in Zalo payloads (docs/zalo.md §7).
    const body = { app_id: opts.appId, ...payload, timestamp };
    const rawBody = JSON.stringify(body);
    const first = (o.firstTerm ?? 'app_id') === 'app_id' ? opts.appId : (opts.oaId ?? '');
    const secret = (o.secret ?? 'oa_secret_key') === 'oa_secret_key' ? (opts.oaSecretKey ?? '') : opts.appSecret;
    let mac = createHash('sha256')
      .update(first + rawBody + timestamp + secret)
      .digest('hex');
    if (o.tamper) mac = (mac[0] === '0' ? '1' : '0') + mac.slice(1);
    return { rawBody, timestamp, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
  }

  async function deliver(url: string, payload: Record<string, unknown>, o: WebhookSignOptions = {}) {
    const signed = sign(payload, o);
    const res = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: signed.rawBody,
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, body: await res.text(), signed };
  }

  return { sign, deliver };
}
