import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import { NOW, seedReportFixture, type ReportFixture } from '../../helpers/report-fixtures.ts';

export interface ReportContext {
  t: TestApp;
  fx: ReportFixture;
  dataDir: string;
  /** The app's clock (starts at the fixture's NOW). */
  clock: ReturnType<typeof manualClock>;
  /** GET as a fixture user (token cached per user). */
  get(user: keyof ReportFixture['users'], url: string): Promise<LightMyRequestResponse>;
  put(user: keyof ReportFixture['users'], url: string, payload: unknown): Promise<LightMyRequestResponse>;
  post(user: keyof ReportFixture['users'], url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** An app on a fresh database with the report fixture; blobs live under DATA_DIR/blobs. */
export async function reportContext(): Promise<ReportContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hoctap-reports-'));
  // The tests parse PDFs/XLSX/ZIPs in the app's own event loop; on a busy shared box that alone
  // can exceed under-pressure's limit and turn the next request into a 503. Not what we test here.
  const clock = manualClock(NOW);
  const t = await createTestApp({ DATA_DIR: dataDir, MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  const fx = await seedReportFixture(t.db.database.db, join(dataDir, 'blobs'));
  const tokens = new Map<string, string>();
  const auth = async (user: keyof ReportFixture['users']) => {
    if (!tokens.has(user)) tokens.set(user, (await devLogin(t.app, fx.users[user])).accessToken);
    return { authorization: `Bearer ${tokens.get(user)}` };
  };
  return {
    t,
    fx,
    dataDir,
    clock,
    get: async (user, url) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: await auth(user) }),
    put: async (user, url, payload) =>
      t.app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: await auth(user), payload: payload as never }),
    post: async (user, url, payload = {}) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: await auth(user), payload: payload as never }),
    close: async () => {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
