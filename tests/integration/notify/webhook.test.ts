import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users, zaloWebhookEvents } from '@hoctap/server/db/schema/index.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import type { FakeClock } from '../../fakes/zalo/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { insertDevUser } from '../../helpers/users.ts';
import { vn, zaloIdFor } from '../../helpers/notify-fixtures.ts';
import { startFake, zaloEnv } from './zalo-env.ts';

let fake: FakeZalo;
let clock: FakeClock;
let t: TestApp;

beforeAll(async () => {
  ({ fake, clock } = await startFake(vn('2026-10-20T09:00')));
  t = await createTestApp(zaloEnv(fake), { clock });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const post = (signed: { rawBody: string; headers: Record<string, string> }) =>
  t.app.inject({ method: 'POST', url: '/zalo/webhook', headers: signed.headers, payload: signed.rawBody });

describe('POST /zalo/webhook', () => {
  it('accepts a signed follow, stores it once, and marks the user as following the OA', async () => {
    const zaloId = zaloIdFor();
    const userId = await insertDevUser(t.db.database.db, { zaloId });
    const signed = fake.webhook.sign({
      event_name: 'follow',
      oa_id: fake.options.oaId,
      follower: { id: '4440001112223334445' },
      user_id_by_app: zaloId,
      source: 'oa_profile',
    });
    const res = await post(signed);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, duplicate: false });
    // Zalo retries: the same delivery again is acknowledged and ignored.
    expect((await post(signed)).json()).toEqual({ ok: true, duplicate: true });
    expect(await t.app.services.notify.webhook.processPending()).toBeGreaterThanOrEqual(0);
    const events = await t.db.database.db
      .select()
      .from(zaloWebhookEvents)
      .where(eq(zaloWebhookEvents.eventName, 'follow'));
    expect(events).toHaveLength(1);
    expect(events[0]!.processedAt).not.toBeNull();
    expect(events[0]!.payload['user_id_by_app']).toBe(zaloId); // big ids stay strings
    const [u] = await t.db.database.db.select().from(users).where(eq(users.id, userId));
    expect(u!.followsOa).toBe(true);

    clock.advance(1000);
    await post(
      fake.webhook.sign({
        event_name: 'unfollow',
        oa_id: fake.options.oaId,
        follower: { id: '4440001112223334445' },
        user_id_by_app: zaloId,
      }),
    );
    await t.app.services.notify.webhook.processPending();
    const [u2] = await t.db.database.db.select().from(users).where(eq(users.id, userId));
    expect(u2!.followsOa).toBe(false);
  });

  it('dedupes user messages on msg_id', async () => {
    const body = {
      event_name: 'user_send_text',
      sender: { id: '4440001112223334446' },
      recipient: { id: fake.options.oaId },
      user_id_by_app: zaloIdFor(),
      message: { text: 'Chào', msg_id: 'abc123def' },
    };
    expect((await post(fake.webhook.sign(body))).json().duplicate).toBe(false);
    clock.advance(30_000); // a retry may carry another timestamp; msg_id is the same
    expect((await post(fake.webhook.sign(body))).json().duplicate).toBe(true);
  });

  it('rejects a bad signature, a missing one and a stale timestamp', async () => {
    const payload = { event_name: 'follow', follower: { id: '1' }, user_id_by_app: '2' };
    expect((await post(fake.webhook.sign(payload, { tamper: true }))).statusCode).toBe(401);
    const unsigned = fake.webhook.sign(payload);
    expect(
      (await post({ rawBody: unsigned.rawBody, headers: { 'content-type': 'application/json' } })).statusCode,
    ).toBe(401);
    expect((await post(fake.webhook.sign(payload, { timestampMs: clock.nowMs() - 24 * 3600_000 }))).statusCode).toBe(
      401,
    );
    // Re-serialised JSON (other bytes) no longer matches.
    const s = fake.webhook.sign(payload);
    expect(
      (await post({ rawBody: JSON.stringify(JSON.parse(s.rawBody), null, 1), headers: s.headers })).statusCode,
    ).toBe(401);
  });

  it('the signature variant is configurable (oa_id + app secret)', async () => {
    const other = await createTestApp(zaloEnv(fake, { ZALO_WEBHOOK_VARIANTS: 'oa_id+app_secret' }), { clock });
    try {
      const send = (o: Parameters<FakeZalo['webhook']['sign']>[1]) => {
        const s = fake.webhook.sign({ event_name: 'follow', follower: { id: '9' }, user_id_by_app: '8' }, o);
        return other.app.inject({ method: 'POST', url: '/zalo/webhook', headers: s.headers, payload: s.rawBody });
      };
      expect((await send({ firstTerm: 'oa_id', secret: 'app_secret' })).statusCode).toBe(200);
      expect((await send({})).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});
