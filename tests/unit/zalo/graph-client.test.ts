import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '@hoctap/server/zalo/graph-client.ts';
import { ZaloError } from '@hoctap/server/zalo/errors.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { APP, rejectionOf, startTestFake } from './fixtures.ts';

let fake: FakeZalo;
beforeAll(async () => {
  fake = await startTestFake();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.record.clear();
  fake.script.reset();
});

const client = () => createGraphClient({ baseUrl: fake.url, appSecret: APP.appSecret, timeoutMs: 2000 });

describe('getMe (docs/zalo.md §2)', () => {
  it('returns the profile and sends access_token + appsecret_proof headers', async () => {
    const { accessToken, user } = fake.issueUserToken({ name: 'Trần Thị Bình' });
    const me = await client().getMe(accessToken);
    expect(me).toEqual({ id: user.id, name: 'Trần Thị Bình', pictureUrl: user.pictureUrl });

    const [req] = fake.record.for('/v2.0/me');
    expect(req?.query['fields']).toBe('id,name,picture');
    expect(req?.headers['access_token']).toBe(accessToken);
    expect(req?.headers['appsecret_proof']).toBe(createHmac('sha256', APP.appSecret).update(accessToken).digest('hex'));
  });

  it('preserves a huge id exactly, as a string and even when Zalo emits a bare JSON number', async () => {
    const id = '9007199254740993123'; // > 2^53: Number(id) would round it
    expect(String(Number(id))).not.toBe(id);
    const asString = fake.issueUserToken({ id });
    expect((await client().getMe(asString.accessToken)).id).toBe(id);

    const id2 = '8834212233445566778';
    const asNumber = fake.issueUserToken({ id: id2, idAsNumber: true });
    const me = await client().getMe(asNumber.accessToken);
    expect(fake.record.for('/v2.0/me').at(-1)?.response?.body).toContain(`"id":${id2},`); // bare number on the wire
    expect(me.id).toBe(id2);
  });

  it('returns the id only when the user refused name/avatar', async () => {
    const { accessToken, user } = fake.issueUserToken({ denyName: true });
    expect(await client().getMe(accessToken)).toEqual({ id: user.id, name: null, pictureUrl: null });
  });

  it('bad appsecret_proof → ZaloError -242 (config bug, alert a human)', async () => {
    const { accessToken } = fake.issueUserToken();
    const wrong = createGraphClient({ baseUrl: fake.url, appSecret: 'not-the-secret' });
    const err = await rejectionOf(wrong.getMe(accessToken));
    expect(err).toBeInstanceOf(ZaloError);
    expect(err).toMatchObject({ code: -242, httpStatus: 200, kind: 'api', action: 'alert_human', retryable: false });
  });

  it('expired token → -216, surfaced although HTTP is 200; the client must re-authenticate', async () => {
    const { accessToken } = fake.issueUserToken({}, { ttlMs: 60_000 });
    fake.clock.advance(61_000);
    const err = await rejectionOf(client().getMe(accessToken));
    expect(err).toMatchObject({ code: -216, httpStatus: 200, channel: 'graph', action: 'dead', retryable: false });
    expect(fake.record.for('/v2.0/me')[0]?.response?.statusCode).toBe(200);
  });

  it('unknown token → -216, revoked token → -220', async () => {
    expect(await rejectionOf(client().getMe('never-issued'))).toMatchObject({ code: -216 });
    const { accessToken } = fake.issueUserToken();
    fake.revokeUserToken(accessToken);
    expect(await rejectionOf(client().getMe(accessToken))).toMatchObject({ code: -220 });
  });

  it('any HTTP 200 with error != 0 is a ZaloError carrying the code and message', async () => {
    const { accessToken } = fake.issueUserToken();
    fake.script.failNext('/v2.0/me', { error: -209, message: 'App is not activated' });
    const err = await rejectionOf(client().getMe(accessToken));
    expect(err).toMatchObject({ code: -209, httpStatus: 200, message: 'App is not activated', action: 'alert_human' });
  });

  it('HTTP 5xx without a Zalo body → retryable', async () => {
    const { accessToken } = fake.issueUserToken();
    fake.script.failNext('/v2.0/me', { httpStatus: 503 });
    const err = await rejectionOf(client().getMe(accessToken));
    expect(err).toMatchObject({ kind: 'http', code: null, httpStatus: 503, action: 'retry', retryable: true });
  });

  it('timeout → retryable, httpStatus null', async () => {
    const { accessToken } = fake.issueUserToken();
    fake.script.failNext('/v2.0/me', { delayMs: 1500 });
    const fast = createGraphClient({ baseUrl: fake.url, appSecret: APP.appSecret, timeoutMs: 150 });
    // Had the client waited for Zalo's (late, successful) answer this would not reject at all, so
    // the kind proves the timeout without a wall-clock bound that a loaded machine could break.
    const err = await rejectionOf(fast.getMe(accessToken));
    expect(err).toMatchObject({ kind: 'timeout', code: null, httpStatus: null, action: 'retry', retryable: true });
  });

  it('dropped connection → network error, retryable', async () => {
    const { accessToken } = fake.issueUserToken();
    fake.script.failNext('/v2.0/me', { dropConnection: true });
    const err = await rejectionOf(client().getMe(accessToken));
    expect(err).toMatchObject({ kind: 'network', action: 'retry', retryable: true });
  });

  it('scripted failures are consumed: the next call succeeds', async () => {
    const { accessToken, user } = fake.issueUserToken();
    fake.script.failNext('/v2.0/me', { httpStatus: 500, times: 2 });
    await rejectionOf(client().getMe(accessToken));
    await rejectionOf(client().getMe(accessToken));
    expect((await client().getMe(accessToken)).id).toBe(user.id);
    expect(fake.record.for('/v2.0/me').map((r) => r.scripted ?? 'ok')).toEqual(['http 500', 'http 500', 'ok']);
  });
});

describe('getPhoneNumber (docs/zalo.md §2)', () => {
  it('exchanges a phone token once; headers access_token, code, secret_key', async () => {
    const { accessToken, user } = fake.issueUserToken();
    const code = fake.issuePhoneToken({ userId: user.id, phone: '84987654321' });
    expect(await client().getPhoneNumber(accessToken, code)).toEqual({ raw: '84987654321', phone: '84987654321' });

    const [req] = fake.record.for('/v2.0/me/info');
    expect(req?.headers['access_token']).toBe(accessToken);
    expect(req?.headers['code']).toBe(code);
    expect(req?.headers['secret_key']).toBe(APP.appSecret);
  });

  it('second use of the same code fails (single use)', async () => {
    const { accessToken, user } = fake.issueUserToken();
    const code = fake.issuePhoneToken({ userId: user.id });
    await client().getPhoneNumber(accessToken, code);
    const err = await rejectionOf(client().getPhoneNumber(accessToken, code));
    expect(err).toBeInstanceOf(ZaloError);
    expect(err).toMatchObject({ code: -201, httpStatus: 200, action: 'dead' });
  });

  it('expired code (2 min) and a code of another user fail', async () => {
    const a = fake.issueUserToken();
    const b = fake.issueUserToken();
    const old = fake.issuePhoneToken({ userId: a.user.id });
    fake.clock.advance(121_000);
    expect(await rejectionOf(client().getPhoneNumber(a.accessToken, old))).toMatchObject({ code: -201 });
    const other = fake.issuePhoneToken({ userId: b.user.id });
    expect(await rejectionOf(client().getPhoneNumber(a.accessToken, other))).toMatchObject({ code: -201 });
  });

  it('normalises a 0-prefixed number to 84…', async () => {
    const { accessToken, user } = fake.issueUserToken();
    const code = fake.issuePhoneToken({ userId: user.id, phone: '0912345678' });
    expect((await client().getPhoneNumber(accessToken, code)).phone).toBe('84912345678');
  });
});
