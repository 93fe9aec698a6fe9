import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, createEndpoints, parseRetryAfter } from '../src/services/api.ts';
import type { TokenPair } from '../src/services/types.ts';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function setup(responder: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const tokens = { access: 'old-access', refresh: 'refresh-1' };
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return responder(String(input), init ?? {});
  });
  const sleeps: number[] = [];
  const onAuthLost = vi.fn();
  const client = createApiClient({
    baseUrl: 'https://api.test',
    fetch: fetchMock as unknown as typeof fetch,
    getAccessToken: () => tokens.access,
    getRefreshToken: () => tokens.refresh,
    onTokens: (t: TokenPair) => {
      tokens.access = t.accessToken;
      tokens.refresh = t.refreshToken;
    },
    onAuthLost,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { client, api: createEndpoints(client), calls, sleeps, tokens, onAuthLost, fetchMock };
}

const auth = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

describe('api client', () => {
  it('refreshes the token once on 401 and repeats the request with the new token', async () => {
    const t = setup((url, init) => {
      if (url.endsWith('/api/v1/auth/refresh'))
        return json(200, { accessToken: 'new-access', refreshToken: 'refresh-2', expiresIn: 900 });
      return auth(init) === 'Bearer new-access'
        ? json(200, { id: 'u1' })
        : json(401, { statusCode: 401, error: 'Unauthorized', message: 'jwt expired', reqId: 'r1' });
    });
    const me = await t.api.me();
    expect(me).toEqual({ id: 'u1' });
    expect(t.calls.map((c) => c.url)).toEqual([
      'https://api.test/api/v1/me',
      'https://api.test/api/v1/auth/refresh',
      'https://api.test/api/v1/me',
    ]);
    expect(JSON.parse(String(t.calls[1]!.init.body))).toEqual({ refreshToken: 'refresh-1' });
    expect(t.tokens).toEqual({ access: 'new-access', refresh: 'refresh-2' });
    expect(t.onAuthLost).not.toHaveBeenCalled();
  });

  it('shares one refresh between concurrent 401s', async () => {
    const t = setup((url, init) => {
      if (url.endsWith('/auth/refresh'))
        return json(200, { accessToken: 'new-access', refreshToken: 'refresh-2', expiresIn: 900 });
      return auth(init) === 'Bearer new-access' ? json(200, []) : json(401, undefined);
    });
    await Promise.all([t.api.me(), t.api.campaigns('c1'), t.api.devUsers().catch(() => undefined)]);
    expect(t.calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('signs out when the refresh token is rejected', async () => {
    const t = setup((url) =>
      url.endsWith('/auth/refresh')
        ? json(401, { statusCode: 401, error: 'Unauthorized', message: 'revoked', reqId: 'r2' })
        : json(401, { statusCode: 401, error: 'Unauthorized', message: 'jwt expired', reqId: 'r3' }),
    );
    const err = await t.api.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toBe('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
    expect(t.onAuthLost).toHaveBeenCalledTimes(1);
  });

  it('retries 503 honouring Retry-After, then succeeds', async () => {
    let n = 0;
    const t = setup(() =>
      ++n <= 2
        ? json(
            503,
            { statusCode: 503, error: 'Service Unavailable', message: 'busy', reqId: 'r' },
            { 'Retry-After': '2' },
          )
        : json(200, { ok: true }),
    );
    await expect(t.client.request('/api/v1/campaigns')).resolves.toEqual({ ok: true });
    expect(n).toBe(3);
    expect(t.sleeps).toEqual([2000, 2000]);
  });

  it('backs off exponentially on 503 without Retry-After and gives up with a Vietnamese message', async () => {
    const t = setup(() =>
      json(503, { statusCode: 503, error: 'Service Unavailable', message: 'Server under pressure', reqId: 'req-9' }),
    );
    const err = (await t.client.request('/api/v1/me').catch((e: unknown) => e)) as ApiError;
    expect(t.fetchMock).toHaveBeenCalledTimes(4); // 1 + 3 retries
    // random() = 0.5 → 75 % of 500·2^n
    expect(t.sleeps).toEqual([375, 750, 1500]);
    expect(err.message).toBe('Máy chủ đang bận. Vui lòng thử lại sau ít phút.');
    expect(err.reqId).toBe('req-9');
    expect(err.transient).toBe(true);
  });

  it('retries network errors for idempotent requests', async () => {
    let n = 0;
    const t = setup(() => {
      if (++n < 3) throw new TypeError('Failed to fetch');
      return json(200, { saved: true });
    });
    await expect(t.api.saveAnswer('a1', '1.1', { points: 10 })).resolves.toEqual({ saved: true });
    expect(t.sleeps).toEqual([375, 750]);
    expect(t.calls[0]!.init.method).toBe('PUT');
    expect(t.calls[0]!.url).toBe('https://api.test/api/v1/assessments/a1/answers/1.1');
  });

  it('does not repeat a non-idempotent POST after a 500', async () => {
    const t = setup(() =>
      json(500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error', reqId: 'r5' }),
    );
    const err = (await t.api.logout('x').catch((e: unknown) => e)) as ApiError;
    expect(t.fetchMock).toHaveBeenCalledTimes(1);
    expect(err.message).toBe('Máy chủ gặp sự cố. Vui lòng thử lại sau.');
  });

  it('sends submit with an Idempotency-Key and may retry it', async () => {
    let n = 0;
    const t = setup(() => (++n === 1 ? json(502, undefined) : json(200, { id: 'a1', state: 'submitted' })));
    await t.api.submit('a1', 'key-1');
    expect(n).toBe(2);
    expect((t.calls[0]!.init.headers as Record<string, string>)['Idempotency-Key']).toBe('key-1');
  });

  it('surfaces 4xx error bodies: Vietnamese title, server detail, request id', async () => {
    const t = setup(() =>
      json(409, { statusCode: 409, error: 'Conflict', message: 'Mã mời đã được dùng', reqId: 'req-77' }),
    );
    const err = (await t.api.claimInvite('AB12').catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('Dữ liệu đã thay đổi hoặc đã được xử lý trước đó.');
    expect(err.detail).toBe('Mã mời đã được dùng');
    expect(err.reqId).toBe('req-77');
    expect(t.fetchMock).toHaveBeenCalledTimes(1);
  });

  it('builds multipart evidence uploads with the indicator in the query', async () => {
    const t = setup(() => json(201, { id: 'e1', indicatorCode: '1.1' }));
    await t.api.uploadEvidence('a1', '1.1', new Blob(['jpeg'], { type: 'image/jpeg' }), 'up-1');
    const c = t.calls[0]!;
    expect(c.url).toBe('https://api.test/api/v1/assessments/a1/evidence?indicatorCode=1.1');
    expect(c.init.body).toBeInstanceOf(FormData);
    expect((c.init.body as FormData).get('file')).toBeInstanceOf(Blob);
    expect(auth(c.init)).toBe('Bearer old-access');
  });

  it('parses Retry-After as seconds or an HTTP date, capped', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('3600')).toBe(30_000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('nonsense')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('a photo upload outlasts a dropped link: the whole upload again, same key, longer backoff', async () => {
    let n = 0;
    const t = setup(() => {
      if (++n <= 6) throw new TypeError('Failed to fetch');
      return json(201, { id: 'e1' });
    });
    const ev = await t.api.uploadEvidence('a1', '1.1', new Blob(['jpeg']), 'key-1');
    expect(ev).toEqual({ id: 'e1' });
    expect(t.calls).toHaveLength(7);
    expect(new Set(t.calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']))).toEqual(
      new Set(['key-1']),
    );
    expect(t.calls.every((c) => c.init.body instanceof FormData)).toBe(true);
    expect(t.sleeps).toEqual([375, 750, 1500, 3000, 6000, 6000]);
    // Other requests keep the client's default of 3 retries.
    n = 0;
    await expect(t.api.me()).rejects.toBeInstanceOf(ApiError);
    expect(t.calls).toHaveLength(11);
  });
});
