import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createMatrixEnv, ROLES, type MatrixEnv, type RoleName } from './env.ts';
import { EXPECTED } from './expected.ts';
import { isDocsRoute, NOT_IN_MATRIX, REQUESTS } from './requests.ts';

/**
 * The authorization matrix: every route Fastify registered × ten callers (ROLES in env.ts), with the status each
 * must get. A route added without a matrix entry fails here. Out-of-scope objects must answer 404
 * with the same body as an object that does not exist.
 *
 * DISCOVER=1 prints the observed table in the shape of expected.ts (review it before pasting).
 */

let env: MatrixEnv;
const observed = new Map<string, string>();
const bodies = new Map<string, Map<RoleName, { status: number; body: unknown }>>();

beforeAll(async () => {
  env = await createMatrixEnv();
}, 600_000);
afterAll(async () => env?.close());

const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const withoutReqId = (body: string) => {
  try {
    const { reqId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  } catch {
    return body;
  }
};

describe('authorization matrix', () => {
  it('has an entry for every registered route, and no stale ones', () => {
    const registered = env.routes.map(keyOf).filter((k) => !isDocsRoute(k) && !(k in NOT_IN_MATRIX));
    expect(
      registered.filter((k) => !REQUESTS[k]),
      'routes without a request in requests.ts',
    ).toEqual([]);
    expect(
      registered.filter((k) => !EXPECTED[k]),
      'routes without expected statuses in expected.ts',
    ).toEqual([]);
    expect(
      Object.keys(REQUESTS).filter((k) => !registered.includes(k)),
      'stale requests',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((k) => !registered.includes(k)),
      'stale expectations',
    ).toEqual([]);
  });

  it('every route × role answers the expected status, never a 5xx', async () => {
    for (const route of env.routes) {
      const key = keyOf(route);
      const build = REQUESTS[key];
      if (!build) continue;
      const statuses: number[] = [];
      const byRole = new Map<RoleName, { status: number; body: unknown }>();
      for (const role of ROLES) {
        const req = build(env);
        const res = await call(env, role, { method: route.method, ...req });
        statuses.push(res.statusCode);
        byRole.set(role, { status: res.statusCode, body: withoutReqId(res.body) });
      }
      observed.set(key, statuses.join(' '));
      bodies.set(key, byRole);
    }
    if (process.env.DISCOVER) {
      const lines = [...observed].map(([k, v]) => `  '${k}': '${v}',`);
      console.log(`export const EXPECTED: Record<string, string> = {\n${lines.join('\n')}\n};`);
    }
    const fivexx = [...observed].filter(([k, v]) => /\b5\d\d\b/.test(v) && !ZALO_UNCONFIGURED.has(k));
    const mismatches = [...observed]
      .filter(([k, v]) => EXPECTED[k] !== undefined && EXPECTED[k] !== v)
      .map(([k, v]) => `${k}\n    expected ${EXPECTED[k]}\n    got      ${v}`);
    expect(mismatches, `roles: ${ROLES.join(' ')}`).toEqual([]);
    expect(fivexx).toEqual([]);
  }, 600_000);

  it('anonymous callers get 401 exactly on the routes the OpenAPI document marks as needing a token', () => {
    const doc = env.t.app.swagger() as unknown as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const [key, byRole] of bodies) {
      const [method, url] = key.split(' ') as [string, string];
      const op = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!op) continue; // hidden (webhook)
      const needsToken = (op.security ?? []).length > 0;
      const anon = byRole.get('anonymous')!;
      if (needsToken) expect(anon.status, key).toBe(401);
      else expect((anon.body as { code?: string }).code, key).not.toBe('TOKEN_INVALID');
    }
  });

  it('out of scope answers like a missing object: same status, same body', async () => {
    const MISSING = '00000000-0000-4000-8000-000000000000';
    let compared = 0;
    for (const [key, byRole] of bodies) {
      const [method] = key.split(' ') as [string, string];
      if (method !== 'GET') continue;
      for (const [role, got] of byRole) {
        if (role === 'anonymous' || (got.status !== 404 && got.status !== 403)) continue;
        const req = REQUESTS[key]!(env);
        // The same request with the object's id (in the path or the query) swapped for one that does not exist.
        const realId = /[/=]([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=[/?&]|$)/.exec(
          req.url,
        )?.[1];
        if (!realId || realId === MISSING) continue;
        const missing = await call(env, role, { method, ...req, url: req.url.replace(realId, MISSING) });
        expect(missing.statusCode, `${key} as ${role}`).toBe(got.status);
        expect(withoutReqId(missing.body), `${key} as ${role}`).toEqual(got.body);
        if (got.status === 404) compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});

// Without Zalo credentials these answer 503 (Zalo login / webhook not configured) by design.
const ZALO_UNCONFIGURED = new Set([
  'POST /api/v1/auth/zalo',
  'GET /api/v1/auth/zalo/web',
  'POST /api/v1/auth/zalo/web',
  'POST /api/v1/me/phone',
  'POST /zalo/webhook',
]);
