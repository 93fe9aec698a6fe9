import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature, type VerifyWebhookResult } from '@hoctap/server/zalo/webhook-signature.ts';
import {
  computeMiniAppWebhookSignature,
  verifyMiniAppWebhookSignature,
} from '@hoctap/server/zalo/webhook-signature.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { APP, startTestFake } from './fixtures.ts';

let fake: FakeZalo;
beforeAll(async () => {
  fake = await startTestFake();
});
afterAll(() => fake.close());

const event = {
  event_name: 'user_send_text',
  sender: { id: '2468013579246801357' },
  recipient: { id: APP.oaId },
  user_id_by_app: '1357924680135792468',
  message: { text: 'Xin chào', msg_id: 'a1b2c3' },
};

const verify = (
  rawBody: string,
  headers: Record<string, string>,
  extra: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {},
) =>
  verifyWebhookSignature({
    rawBody,
    headers,
    appId: APP.appId,
    oaSecretKey: APP.oaSecretKey,
    clock: fake.clock,
    ...extra,
  });

describe('OA webhook signature (docs/zalo.md §7)', () => {
  it('accepts a Zalo-signed body (default: app_id + OA secret key, mac= prefix)', () => {
    const s = fake.webhook.sign(event);
    expect(s.headers['x-zevent-signature']).toMatch(/^mac=[0-9a-f]{64}$/);
    expect(verify(s.rawBody, s.headers)).toEqual({
      ok: true,
      variant: { firstTerm: 'app_id', secret: 'oa_secret_key' },
      timestampMs: Number(s.timestamp),
    });
  });

  it('rejects a wrong signature, a tampered body and a missing header', () => {
    const s = fake.webhook.sign(event, { tamper: true });
    expect(verify(s.rawBody, s.headers)).toEqual({ ok: false, reason: 'bad_signature' });
    const good = fake.webhook.sign(event);
    expect(verify(good.rawBody.replace('Xin chào', 'Xin chao'), good.headers)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verify(good.rawBody, { 'content-type': 'application/json' })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verify(good.rawBody, good.headers, { oaSecretKey: 'other' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a stale (or far-future) timestamp even when correctly signed', () => {
    const old = fake.webhook.sign(event, { timestampMs: fake.clock.nowMs() - 4 * 60 * 60 * 1000 });
    expect(verify(old.rawBody, old.headers)).toEqual({ ok: false, reason: 'stale_timestamp' });
    const recent = fake.webhook.sign(event, { timestampMs: fake.clock.nowMs() - 10 * 60 * 1000 });
    expect(verify(recent.rawBody, recent.headers).ok).toBe(true);
    expect(verify(recent.rawBody, recent.headers, { toleranceMs: 5 * 60 * 1000 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const future = fake.webhook.sign(event, { timestampMs: fake.clock.nowMs() + 4 * 60 * 60 * 1000 });
    expect(verify(future.rawBody, future.headers)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('tries several configured variants and reports which one matched (UNVERIFIED scheme)', () => {
    const s = fake.webhook.sign(event, { firstTerm: 'oa_id', secret: 'app_secret' });
    expect(verify(s.rawBody, s.headers)).toEqual({ ok: false, reason: 'bad_signature' }); // default variant only
    const r = verify(s.rawBody, s.headers, {
      oaId: APP.oaId,
      appSecret: APP.appSecret,
      variant: [
        { firstTerm: 'app_id', secret: 'oa_secret_key' },
        { firstTerm: 'oa_id', secret: 'app_secret' },
      ],
    });
    expect(r).toMatchObject({ ok: true, variant: { firstTerm: 'oa_id', secret: 'app_secret' } });
  });

  it('rejects a body without timestamp or not JSON', () => {
    expect(verify('{"event_name":"follow"}', { 'x-zevent-signature': 'mac=00' })).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
    expect(verify('not json', { 'x-zevent-signature': 'mac=00' })).toEqual({ ok: false, reason: 'invalid_body' });
  });

  it('end to end: the fake delivers to a raw-body Fastify route that verifies', async () => {
    const results: VerifyWebhookResult[] = [];
    const app = Fastify();
    // Keep the exact bytes: the signature covers the raw body, not re-serialised JSON.
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/webhooks/zalo', async (req, reply) => {
      const r = verify(req.body as string, req.headers as Record<string, string>);
      results.push(r);
      return reply.code(r.ok ? 200 : 401).send({ ok: r.ok });
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await fake.webhook.deliver(`${url}/webhooks/zalo`, event)).status).toBe(200);
      expect((await fake.webhook.deliver(`${url}/webhooks/zalo`, event, { tamper: true })).status).toBe(401);
      expect(results.map((r) => r.ok)).toEqual([true, false]);
    } finally {
      await app.close();
    }
  });
});

describe('Mini App Open API webhook signature (docs/zalo.md §7)', () => {
  it('sha256 of values sorted by key (objects JSON-stringified) + API key', () => {
    const data = {
      event: 'app_review',
      appId: APP.miniAppId,
      detail: { status: 'approved' },
      timestamp: '1700000000000',
    };
    const sig = computeMiniAppWebhookSignature(data, APP.miniAppApiKey);
    expect(
      verifyMiniAppWebhookSignature({ data, headers: { 'X-ZEvent-Signature': sig }, apiKey: APP.miniAppApiKey }),
    ).toBe(true);
    expect(
      verifyMiniAppWebhookSignature({
        data: { ...data, event: 'x' },
        headers: { 'x-zevent-signature': sig },
        apiKey: APP.miniAppApiKey,
      }),
    ).toBe(false);
  });
});
