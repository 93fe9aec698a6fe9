import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '@hoctap/server/db/schema/index.ts';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';

/**
 * The console's Zalo sign-in on the web: OAuth v4 with PKCE (docs/zalo.md §13) against the fake
 * Zalo server. The browser's part (verifier, challenge, state, following the redirect) is played
 * here with node:crypto and fetch.
 */

const APP_ID = '1234567890123456789';
const APP_SECRET = 'web-login-test-app-secret';
const REDIRECT = 'http://localhost:3000/console';
let fake: FakeZalo;
let t: TestApp;
let bare: TestApp;

beforeAll(async () => {
  fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET });
  t = await createTestApp({
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_GRAPH_BASE_URL: fake.url,
    ZALO_OAUTH_BASE_URL: fake.url,
  });
  bare = await createTestApp();
});
afterAll(async () => {
  await bare?.close();
  await t?.close();
  await fake?.close();
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What the browser does: ask our API where to go, follow Zalo's permission page, read the code. */
async function authorize(app: TestApp['app'], challenge: string, state: string, zaloUserId?: string) {
  const q = new URLSearchParams({ redirectUri: REDIRECT, codeChallenge: challenge, state });
  const res = await app.inject({ method: 'GET', url: `/api/v1/auth/zalo/web?${q.toString()}` });
  expect(res.statusCode).toBe(200);
  const url = new URL(res.json().authorizeUrl);
  expect(url.pathname).toBe('/v4/permission');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    app_id: APP_ID,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    state,
  });
  if (zaloUserId) url.searchParams.set('fake_user_id', zaloUserId);
  const back = await fetch(url, { redirect: 'manual' });
  expect(back.status).toBe(302);
  const to = new URL(back.headers.get('location')!);
  expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
  expect(to.searchParams.get('state')).toBe(state);
  return to.searchParams.get('code')!;
}

const exchange = (app: TestApp['app'], code: string, codeVerifier: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/zalo/web', payload: { code, codeVerifier } });

describe('Zalo web sign-in (OAuth v4 + PKCE)', () => {
  it('code + verifier → Zalo user token → the same account as the mini app, and our session', async () => {
    const zaloId = '9007199254740993456';
    fake.addUser({ id: zaloId, name: 'Trần Thị Thu' });
    // The same person signed in on the phone before: the web sign-in finds that account.
    const phone = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/zalo',
      payload: { accessToken: fake.issueUserToken(zaloId).accessToken },
    });
    expect(phone.statusCode).toBe(200);

    const { verifier, challenge } = pkce();
    const code = await authorize(t.app, challenge, 'st4te-0123456789abcdef', zaloId);
    const res = await exchange(t.app, code, verifier);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: phone.json().user.id, displayName: 'Trần Thị Thu' });
    const rows = await t.db.database.db.select().from(users).where(eq(users.zaloId, zaloId));
    expect(rows).toHaveLength(1);
    // The exchange carried the app secret and the verifier; the token was checked with the proof.
    const call = fake.record.requests.find((r) => r.path === '/v4/access_token');
    expect(call?.headers['secret_key']).toBe(APP_SECRET);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${body.accessToken}` },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('a wrong verifier, a reused code or a made-up code is 401 in Vietnamese; no account is made', async () => {
    const before = (await t.db.database.db.select().from(users)).length;
    const { verifier, challenge } = pkce();
    const code = await authorize(t.app, challenge, 'another-state-0123456789');
    const wrong = await exchange(t.app, code, pkce().verifier);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'ZALO_TOKEN_INVALID' });
    expect(wrong.json().message).toMatch(/Mã đăng nhập Zalo không hợp lệ/);
    // The code was burned by the failed try: the right verifier does not revive it.
    expect((await exchange(t.app, code, verifier)).statusCode).toBe(401);
    expect((await exchange(t.app, 'web_code_made_up_0123456789', verifier)).statusCode).toBe(401);
    expect((await t.db.database.db.select().from(users)).length).toBe(before);
  });

  it('rejects malformed PKCE values before calling Zalo; without Zalo configured both routes answer 503', async () => {
    const bad = new URLSearchParams({ redirectUri: REDIRECT, codeChallenge: 'short', state: 'st4te-0123456789abcdef' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/auth/zalo/web?${bad.toString()}` })).statusCode).toBe(
      400,
    );
    expect((await exchange(t.app, 'code', 'too-short')).statusCode).toBe(400);
    const { verifier, challenge } = pkce();
    const q = new URLSearchParams({ redirectUri: REDIRECT, codeChallenge: challenge, state: 'st4te-0123456789abcdef' });
    const off = await bare.app.inject({ method: 'GET', url: `/api/v1/auth/zalo/web?${q.toString()}` });
    expect(off.statusCode).toBe(503);
    expect(off.json()).toMatchObject({ code: 'ZALO_NOT_CONFIGURED' });
    expect((await exchange(bare.app, 'some-code-0123456789', verifier)).statusCode).toBe(503);
  });
});
