import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '@hoctap/server/db/schema/index.ts';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';

const APP_ID = '1234567890123456789';
const APP_SECRET = 'identity-test-app-secret';
let fake: FakeZalo;
let t: TestApp;
/** The same server with a wrong app secret. */
let wrong: TestApp;

beforeAll(async () => {
  fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET });
  t = await createTestApp({ ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: APP_SECRET, ZALO_GRAPH_BASE_URL: fake.url });
  // Built here, not inside its test: building an app (a database, migrations) takes as long as the
  // machine needs, which a test's own time limit must not depend on.
  wrong = await createTestApp({
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: 'not-the-real-secret',
    ZALO_GRAPH_BASE_URL: fake.url,
  });
});
afterAll(async () => {
  await wrong?.close();
  await t.close();
  await fake.close();
});

const login = (app: TestApp['app'], accessToken: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/zalo', payload: { accessToken } });

describe('Zalo login against the fake Zalo server', () => {
  it('verifies the token with Zalo, upserts the identity with its exact string id and issues our session', async () => {
    const hugeId = '9007199254740993123'; // > 2^53: must survive as a string
    const { accessToken } = fake.issueUserToken({ id: hugeId, name: 'Lê Văn Cường' });
    const res = await login(t.app, accessToken);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.displayName).toBe('Lê Văn Cường');
    const [row] = await t.db.database.db.select().from(users).where(eq(users.zaloId, hugeId));
    expect(row?.id).toBe(body.user.id);
    // The request carried the proof Zalo demands.
    const call = fake.record.requests.find((r) => r.path === '/v2.0/me');
    expect(call?.headers['appsecret_proof']).toMatch(/^[0-9a-f]{64}$/);
    // Our own token works on our API; Zalo's token is not ours.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${body.accessToken}` },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${accessToken}` } }))
        .statusCode,
    ).toBe(401);
  });

  it('logging in twice keeps one user', async () => {
    const { accessToken, user } = fake.issueUserToken({ name: 'Phạm Thị Dung' });
    const a = (await login(t.app, accessToken)).json();
    const b = (await login(t.app, fake.issueUserToken(user.id).accessToken)).json();
    expect(a.user.id).toBe(b.user.id);
  });

  it('an expired Zalo token (-216) → 401 asking to reopen the app', async () => {
    fake.script.failNext('/v2.0/me', -216);
    const { accessToken } = fake.issueUserToken({});
    const res = await login(t.app, accessToken);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ZALO_TOKEN_EXPIRED', message: expect.stringMatching(/mở lại/) });
  });

  it('a revoked or unknown token is refused', async () => {
    const { accessToken } = fake.issueUserToken({});
    fake.revokeUserToken(accessToken);
    const res = await login(t.app, accessToken);
    expect(res.statusCode).toBe(401);
  });

  it('HTTP 200 with error != 0 is an error, not a login', async () => {
    fake.script.failNext('/v2.0/me', { error: -201, message: 'invalid parameter' });
    const res = await login(t.app, fake.issueUserToken({}).accessToken);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ZALO_TOKEN_INVALID');
  });

  it('a wrong app secret (bad appsecret_proof, -242) is an operator problem: 502, no session', async () => {
    const res = await login(wrong.app, fake.issueUserToken({}).accessToken);
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe('ZALO_MISCONFIGURED');
    expect(res.json()).not.toHaveProperty('accessToken');
  });

  it('Zalo down (5xx) → 503, never 500', async () => {
    fake.script.failNext('/v2.0/me', { httpStatus: 502 });
    const res = await login(t.app, fake.issueUserToken({}).accessToken);
    expect(res.statusCode).toBe(503);
  });

  it('without Zalo configured the endpoint answers 503 with a clear message', async () => {
    const bare = await createTestApp({});
    try {
      const res = await login(bare.app, 'some-token-value');
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('ZALO_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });

  it('exchanges a phone token once and stores the number with the consent time', async () => {
    const { accessToken, user } = fake.issueUserToken({ name: 'Võ Văn Em' });
    const loginRes = await login(t.app, accessToken);
    expect(loginRes.statusCode, loginRes.body).toBe(200);
    const session = loginRes.json();
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const phoneToken = fake.issuePhoneToken({ userId: user.id, phone: '84912345678' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      headers: auth,
      payload: { accessToken, phoneToken },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().phone).toBe('84912345678');
    const [row] = await t.db.database.db.select().from(users).where(eq(users.id, session.user.id));
    expect(row?.phoneConsentAt).toBeInstanceOf(Date);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      headers: auth,
      payload: { accessToken, phoneToken },
    });
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    expect(again.statusCode).toBeLessThan(600);
    expect(again.statusCode).not.toBe(500);
  });
});
