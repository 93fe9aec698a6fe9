import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { testEngine } from '../../helpers/engine.ts';
import { buildWorld, clientsFor, openCampaign, T0, type Client } from '../../helpers/workflow-fixtures.ts';
import { multipartBody, photo, registerHousehold } from '../../faults/lib/flow.ts';

/*
 * On PostgreSQL the photos are processed by a child process of the API at a lower CPU priority
 * (EVIDENCE_PROCESSOR=process, the default there). The API accepts; the child processes from the
 * durable queue; a child that dies is started again and the queue loses nothing.
 */
const niceOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

/** Waits for a condition that another process brings about; the bound only catches a hang. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe.skipIf(testEngine() !== 'pg')('photo processing in a child process', () => {
  let tdb: TestDatabase;
  let app: App;
  let household: Client;
  let assessmentId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const w = await buildWorld(tdb.database.db);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEV_LOGIN: 'true',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'hoctap-processor-')),
      DATABASE_URL: tdb.url!,
      EVIDENCE_PROCESSING: 'true',
      EVIDENCE_PROCESSOR: 'process',
      EVIDENCE_POLL_MS: '200',
    });
    app = await buildApp(config, { database: tdb.database, clock: manualClock(T0), logger: false });
    await app.ready();
    const [hh, officer] = await clientsFor(app, [w.u.hhA1, w.u.officer]);
    household = hh;
    const campaignId = await openCampaign(officer, w.commune.id);
    assessmentId = await registerHousehold(household, campaignId, w.hh.hhA1);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.close();
  });

  const upload = async (name: string, code: string) => {
    const m = multipartBody(photo(name));
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=${code}`,
      headers: { ...household.auth, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; state: string }>();
  };
  const readyState = (id: string) =>
    eventually(`photo ${id} processed`, async () => {
      const s = (await household.get(`/evidence/${id}`)).body.state as string;
      return s === 'processing' ? undefined : s;
    });

  it('the API accepts, a child process at a lower priority processes', async () => {
    const processor = app.services.photoProcessor!;
    const pid = await eventually('the processor started', async () => processor.pid());
    expect(pid).not.toBe(process.pid);
    expect(niceOf(pid)).toBe(10);
    const e = await upload('different.jpg', '1.1');
    expect(e.state).toBe('processing');
    expect(await readyState(e.id)).toBe('ready');
    // Processed by the child, not by this process's threads.
    expect(app.services.photoProcessing.stats().processed).toBe(0);
    const img = await household.get(`/evidence/${e.id}/image`);
    expect(img.status).toBe(200);
  });

  it('a processor killed with SIGKILL is started again and finishes what was queued', async () => {
    const processor = app.services.photoProcessor!;
    const before = processor.pid()!;
    process.kill(before, 'SIGKILL');
    const e = await upload('exif-gps-orient6.jpg', '1.2');
    const after = await eventually('a new processor', async () => {
      const p = processor.pid();
      return p !== undefined && p !== before ? p : undefined;
    });
    expect(after).not.toBe(before);
    expect(await readyState(e.id)).toBe('ready');
  });
});
