import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';

/**
 * Login and refresh are limited per client (20 a minute). The client is the socket address unless
 * it comes from a configured proxy (TRUST_PROXY), so X-Forwarded-For cannot mint fresh buckets.
 */

const LIMIT = 20;
const zalo = { url: '/api/v1/auth/zalo', payload: { accessToken: 'not-a-real-zalo-token' } };
const refresh = { url: '/api/v1/auth/refresh', payload: { refreshToken: 'r'.repeat(40) } };

async function statuses(
  t: TestApp,
  route: { url: string; payload: object },
  n: number,
  from: (i: number) => { remoteAddress?: string; xff?: string },
): Promise<number[]> {
  const out: number[] = [];
  // The limiter's window is wall-clock time; holding Date still keeps every try inside one window
  // however slow the machine is.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  try {
    for (let i = 0; i < n; i++) {
      const { remoteAddress, xff } = from(i);
      const res = await t.app.inject({
        method: 'POST',
        url: route.url,
        payload: route.payload,
        ...(remoteAddress ? { remoteAddress } : {}),
        headers: xff ? { 'x-forwarded-for': xff } : {},
      });
      out.push(res.statusCode);
    }
  } finally {
    vi.useRealTimers();
  }
  return out;
}

describe('without TRUST_PROXY (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it.each([
    ['POST /auth/zalo', zalo],
    ['POST /auth/refresh', refresh],
  ])('%s: a new X-Forwarded-For per request does not escape the limit', async (_name, route) => {
    const got = await statuses(t, route, LIMIT + 5, (i) => ({ remoteAddress: '198.51.100.7', xff: `203.0.113.${i}` }));
    expect(got.slice(0, LIMIT)).not.toContain(429);
    expect(got.slice(LIMIT)).toEqual(Array(5).fill(429));
  });
});

describe('with TRUST_PROXY=10.0.0.1', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '10.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('the proxy’s X-Forwarded-For names the client: each client has its own bucket', async () => {
    const a = await statuses(t, zalo, LIMIT + 1, () => ({ remoteAddress: '10.0.0.1', xff: '203.0.113.10' }));
    expect(a.at(-1)).toBe(429);
    const b = await statuses(t, zalo, 1, () => ({ remoteAddress: '10.0.0.1', xff: '203.0.113.11' }));
    expect(b).not.toContain(429);
  });

  it('a client that is not the proxy cannot pick its address with the header', async () => {
    const got = await statuses(t, zalo, LIMIT + 2, (i) => ({ remoteAddress: '198.51.100.9', xff: `10.9.9.${i}` }));
    expect(got.slice(LIMIT)).toEqual([429, 429]);
  });
});
