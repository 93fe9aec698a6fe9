import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.close());

describe('graceful shutdown', () => {
  it('lets in-flight requests finish and turns new ones away', async () => {
    const app: App = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
      database: db.database,
      logger: false,
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    app.get('/probe/slow', async () => {
      entered();
      await gate;
      return { done: true };
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });

    const inFlight = fetch(`${url}/probe/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inside;
    const closing = app.close();
    // While closing, a new request is refused: 503 on a kept-alive socket, or no connection at all.
    const late = await fetch(`${url}/health`).then(
      (r) => r.status,
      () => 'refused' as const,
    );
    expect([503, 'refused']).toContain(late);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { done: true } });
    // …and close() returns promptly once it has: the kept-alive socket is not left holding it open.
    await closing;
  });
});
