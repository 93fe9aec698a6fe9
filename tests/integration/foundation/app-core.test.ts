import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { AppError } from '@hoctap/server/lib/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let db: TestDatabase;
let app: App;

// Routes that exist only in this test, to drive the error handler through every branch.
const probeRoutes: FastifyPluginAsyncZod = async (r) => {
  r.post(
    '/probe/echo',
    {
      schema: {
        body: z.object({ points: z.number().int().min(0).max(10) }),
        response: { 200: z.object({ points: z.number() }) },
      },
    },
    async (req) => ({ points: req.body.points }),
  );
  r.get('/probe/boom', async () => {
    throw new Error('secret database password is hunter2');
  });
  r.get('/probe/conflict', async () => {
    throw new AppError(409, 'INVALID_TRANSITION', 'Không thể nộp lại hồ sơ đã được xác minh.');
  });
  r.get(
    '/probe/bad-response',
    { schema: { response: { 200: z.object({ ok: z.boolean() }) } } },
    async () => ({ ok: 'yes' }) as never,
  );
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { database: db.database, logger: false });
  await app.register(probeRoutes);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('health and readiness', () => {
  it('/health answers while the process is alive', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/ready checks the database and that migrations are current', async () => {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ready');
    expect(body.migrations.applied).toBe(body.migrations.expected);
    expect(body.migrations.expected).toBeGreaterThan(0);
  });
});

describe('one error shape', () => {
  it('400 for a body that fails its schema, with a readable message', async () => {
    const res = await app.inject({ method: 'POST', url: '/probe/echo', payload: { points: 99 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'message', 'reqId', 'statusCode']);
    expect(body.error).toBe('Bad Request');
    expect(body.message).toMatch(/points/);
    expect(body.reqId).toBe(res.headers['x-request-id']);
  });

  it('400 for malformed JSON, never 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"points": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().statusCode).toBe(400);
  });

  it('415 for an unsupported content type', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'text/xml' },
      payload: '<x/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().reqId).toBeTruthy();
  });

  it('413 for a body over the limit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ points: 1, pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('a JSON 404 for unknown routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('typed service errors keep their status and Vietnamese message', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'Không thể nộp lại hồ sơ đã được xác minh.',
    });
  });

  it('500 hides the internal message', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/hunter2|database password/);
    expect(res.json()).toMatchObject({ statusCode: 500, error: 'Internal Server Error' });
  });

  it('a response that breaks its own schema is a 500, never leaked', async () => {
    const res = await app.inject({ method: 'GET', url: '/probe/bad-response' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/yes/);
  });

  it('keeps a sane caller request id and replaces a bad one', async () => {
    const ok = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'client-abc-12345' } });
    expect(ok.headers['x-request-id']).toBe('client-abc-12345');
    const bad = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': '<script>' } });
    expect(bad.headers['x-request-id']).not.toBe('<script>');
  });
});

describe('HTTP hardening', () => {
  it('sends helmet headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('allows the Zalo mini app origin and localhost, refuses others', async () => {
    const zalo = await app.inject({
      method: 'OPTIONS',
      url: '/health',
      headers: { origin: 'https://h5.zdn.vn', 'access-control-request-method': 'GET' },
    });
    expect(zalo.headers['access-control-allow-origin']).toBe('https://h5.zdn.vn');
    const local = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const evil = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('OpenAPI', () => {
  it('documents the routes with their schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
    expect(doc.paths['/ready'].get.responses['200']).toBeDefined();
  });

  it('serves a docs page', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(res.statusCode);
  });

  it('lets the docs page set its own styles (Swagger UI does) while scripts stay same-origin', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    expect(csp).toMatch(/script-src 'self'\s*;/);
  });
});
