import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOaClient } from '@hoctap/server/zalo/oa-client.ts';
import { createOaTokenManager, type RefreshFailure } from '@hoctap/server/zalo/oa-token-manager.ts';
import { createMemoryTokenStore, type OaTokens, type TokenStore } from '@hoctap/server/zalo/token-store.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { APP, rejectionOf, startTestFake } from './fixtures.ts';

const HOUR = 60 * 60 * 1000;
const TOKEN_URL = '/v4/oa/access_token';
const GROUP_URL = '/v3.0/oa/group/message';

let fake: FakeZalo;
let groupId: string;
beforeAll(async () => {
  fake = await startTestFake();
  groupId = fake.addGroup().groupId;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.record.clear();
  fake.script.reset();
});

/** A store seeded with a fresh pair from the fake, whose expiry the client learns from `expiresIn`. */
function seededStore(): TokenStore & { current(): OaTokens | null } {
  const pair = fake.issueOaTokens();
  return createMemoryTokenStore({
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: new Date(fake.clock.nowMs() + pair.expiresIn * 1000),
  });
}

function setup(store: TokenStore, alerts: RefreshFailure[] = []) {
  const tokens = createOaTokenManager({
    oauthBaseUrl: fake.url,
    appId: APP.appId,
    appSecret: APP.appSecret,
    store,
    clock: fake.clock,
    onRefreshFailed: (f) => {
      alerts.push(f);
    },
  });
  const oa = createOaClient({ baseUrl: fake.url, tokens, timeoutMs: 2000 });
  return { tokens, oa, alerts };
}

describe('OA token manager (docs/zalo.md §3)', () => {
  it('uses the stored token without refreshing while it is fresh', async () => {
    const store = seededStore();
    const { oa } = setup(store);
    await oa.sendGroupMessage({ groupId, text: 'Xin chào' });
    expect(fake.record.for(TOKEN_URL)).toHaveLength(0);
    expect(fake.record.for(GROUP_URL)[0]?.headers['access_token']).toBe(store.current()?.accessToken);
  });

  it('refresh request: form-encoded, secret_key header, app_id, grant_type=refresh_token', async () => {
    const store = seededStore();
    const before = store.current()!;
    const { tokens } = setup(store);
    await tokens.refreshNow();
    const [req] = fake.record.for(TOKEN_URL);
    expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req?.headers['secret_key']).toBe(APP.appSecret);
    expect(req?.body).toEqual({ refresh_token: before.refreshToken, grant_type: 'refresh_token', app_id: APP.appId });
    // expires_in arrives as the STRING "90000" → 25 h
    expect(store.current()!.expiresAt.getTime()).toBe(fake.clock.nowMs() + 90_000_000);
    expect(store.current()!.refreshToken).not.toBe(before.refreshToken);
  });

  it('concurrent sends during expiry → exactly ONE refresh reaches Zalo, all sends succeed', async () => {
    const store = seededStore();
    const { oa } = setup(store);
    fake.clock.advance(26 * HOUR); // past the 25 h lifetime: Zalo would reject the old token
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => oa.sendGroupMessage({ groupId, text: `Nhắc hạn nộp #${i}` })),
    );
    expect(results).toHaveLength(8);
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1);
    const newToken = store.current()!.accessToken;
    const sends = fake.record.for(GROUP_URL);
    expect(sends).toHaveLength(8);
    expect(sends.every((r) => r.headers['access_token'] === newToken)).toBe(true);
  });

  it('Zalo rejects the token (-220) for concurrent sends → ONE refresh, each send retried once', async () => {
    const store = seededStore();
    const { oa } = setup(store);
    await oa.sendGroupMessage({ groupId, text: 'warm-up' }); // token loaded and in use
    fake.record.clear();
    fake.revokeOaAccessTokens(); // Zalo-side: all issued tokens dead, client still thinks it is fresh
    await Promise.all(Array.from({ length: 5 }, () => oa.sendGroupMessage({ groupId, text: 'sau khi thu hồi' })));
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1);
    const sends = fake.record.for(GROUP_URL);
    expect(sends.filter((r) => r.response?.body.includes('-220'))).toHaveLength(5);
    expect(sends.filter((r) => r.headers['access_token'] === store.current()!.accessToken)).toHaveLength(5);
  });

  it('refreshes proactively inside the margin (~20 h of 25 h) before Zalo rejects anything', async () => {
    const store = seededStore();
    const { oa } = setup(store);
    fake.clock.advance(21 * HOUR);
    await oa.sendGroupMessage({ groupId, text: 'proactive' });
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1);
    expect(fake.record.requests.map((r) => r.path)).toEqual([TOKEN_URL, GROUP_URL]);
  });

  it('the new refresh token is persisted BEFORE the new access token is used', async () => {
    const base = seededStore();
    const saved: OaTokens[] = [];
    const store: TokenStore = {
      load: () => base.load(),
      async save(t) {
        // At save time, Zalo must not yet have seen the new access token.
        expect(fake.record.requests.some((r) => r.headers['access_token'] === t.accessToken)).toBe(false);
        saved.push(t);
        await base.save(t);
      },
    };
    const { oa } = setup(store);
    fake.clock.advance(26 * HOUR);
    await oa.sendGroupMessage({ groupId, text: 'write before use' });
    expect(saved).toHaveLength(1);
    expect(fake.record.for(GROUP_URL)[0]?.headers['access_token']).toBe(saved[0]?.accessToken);
    // And the next refresh uses the NEW refresh token (the old one is single use and dead).
    fake.clock.advance(26 * HOUR);
    await oa.sendGroupMessage({ groupId, text: 'again' });
    expect(fake.record.for(TOKEN_URL)[1]?.body).toMatchObject({ refresh_token: saved[0]?.refreshToken });
  });

  it('a reused (rotated-out) refresh token is refused → alert + alert_human error', async () => {
    const pair = fake.issueOaTokens();
    const stale: OaTokens = { ...pair, expiresAt: new Date(fake.clock.nowMs() - 1) };
    // Instance A rotates the pair; instance B still holds the old one (no shared store).
    await setup(createMemoryTokenStore(stale)).tokens.refreshNow();
    const b = setup(createMemoryTokenStore(stale));
    const err = await rejectionOf(b.oa.sendGroupMessage({ groupId, text: 'x' }));
    expect(err).toMatchObject({ channel: 'oauth', code: -14014, action: 'alert_human' });
    expect(b.alerts).toHaveLength(1);
    expect(b.alerts[0]).toMatchObject({ reason: 'refresh_rejected', accessTokenStillValid: false });
    expect(fake.record.for(GROUP_URL)).toHaveLength(0);
  });

  it('a failed proactive refresh alerts but keeps sending with the still-valid token', async () => {
    const store = seededStore();
    const { oa, alerts } = setup(store);
    fake.clock.advance(21 * HOUR);
    fake.script.failNext(TOKEN_URL, { httpStatus: 502 });
    await oa.sendGroupMessage({ groupId, text: 'still valid' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reason: 'refresh_unavailable', accessTokenStillValid: true });
    expect(fake.delivered.at(-1)?.payload).toEqual({ text: 'still valid' });
  });

  it('refresh-and-retry happens only ONCE: a second rejection propagates', async () => {
    const { oa } = setup(seededStore());
    fake.script.failNext(GROUP_URL, { error: -216, times: 2 });
    const err = await rejectionOf(oa.sendGroupMessage({ groupId, text: 'x' }));
    expect(err).toMatchObject({ code: -216, action: 'refresh_token_then_retry' });
    expect(fake.record.for(GROUP_URL)).toHaveLength(2);
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1);
  });

  it('if the store cannot save the rotated pair: alert, do not use it, keep it and save it later', async () => {
    const base = seededStore();
    let failSave = true;
    const store: TokenStore = {
      load: () => base.load(),
      async save(t) {
        if (failSave) throw new Error('db down');
        await base.save(t);
      },
    };
    const { oa, alerts } = setup(store);
    fake.clock.advance(26 * HOUR);
    const err = await rejectionOf(oa.sendGroupMessage({ groupId, text: 'x' }));
    expect(err).toMatchObject({ kind: 'token_store', action: 'retry' });
    expect(alerts.map((a) => a.reason)).toEqual(['persist_failed']);
    expect(fake.record.for(GROUP_URL)).toHaveLength(0);

    failSave = false;
    await oa.sendGroupMessage({ groupId, text: 'after recovery' });
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1); // no second refresh: the kept pair was saved
    expect(fake.record.for(GROUP_URL)[0]?.headers['access_token']).toBe(base.current()?.accessToken);
  });

  it('empty store → no_token alert and an alert_human error', async () => {
    const { oa, alerts } = setup(createMemoryTokenStore(null));
    const err = await rejectionOf(oa.sendGroupMessage({ groupId, text: 'x' }));
    expect(err).toMatchObject({ kind: 'no_token', action: 'alert_human' });
    expect(alerts.map((a) => a.reason)).toEqual(['no_token']);
  });

  it('first grant: exchanges an authorization code and persists the pair', async () => {
    const store = createMemoryTokenStore(null);
    const { tokens, oa } = setup(store);
    const code = fake.issueOaAuthCode();
    await tokens.exchangeAuthorizationCode(code, 'pkce-verifier');
    expect(fake.record.for(TOKEN_URL)[0]?.body).toMatchObject({
      code,
      grant_type: 'authorization_code',
      code_verifier: 'pkce-verifier',
    });
    await oa.sendGroupMessage({ groupId, text: 'ok' });
    expect(await rejectionOf(tokens.exchangeAuthorizationCode(code))).toMatchObject({ channel: 'oauth' }); // single use
  });

  it('a pair rotated by another instance sharing the store is reused, not refreshed again', async () => {
    const shared = seededStore();
    const a = setup(shared);
    const b = setup(shared);
    await a.oa.sendGroupMessage({ groupId, text: 'a loads' });
    await b.oa.sendGroupMessage({ groupId, text: 'b loads' });
    fake.clock.advance(26 * HOUR);
    await a.oa.sendGroupMessage({ groupId, text: 'a refreshes' });
    await b.oa.sendGroupMessage({ groupId, text: 'b reuses' }); // b re-reads the store before refreshing
    expect(fake.record.for(TOKEN_URL)).toHaveLength(1);
    expect(b.alerts).toHaveLength(0);
  });
});
