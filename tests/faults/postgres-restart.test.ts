import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { buildWorld, GDHT_CODES, openCampaign, type Client, type World } from '../helpers/workflow-fixtures.ts';
import { createFaultEnv, until, type FaultEnv } from './lib/fault-env.ts';
import { milestonesAround, registerHousehold } from './lib/flow.ts';
import { httpClientFor, request } from './lib/http-client.ts';

/**
 * PostgreSQL crashes (`pg_ctl stop -m immediate`) under a steady load of reads and writes and
 * comes back: while it is down every request answers 503 with Retry-After (never 500), the API
 * process recovers on its own (same pid, no restart), and no write it acknowledged is lost.
 */

type Phase = 'before' | 'down' | 'after';
interface Outcome {
  /** Phase when the request was sent, and when its answer came back. */
  phase: Phase;
  ended: Phase;
  worker: number;
  write: number | null;
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

let env: FaultEnv;
let w: World;
let hh: Client;
let assessmentId: string;

beforeAll(async () => {
  env = await createFaultEnv({}, async (database) => {
    w = await buildWorld(database.db);
  });
  hh = await httpClientFor(env.api.url, w.u.hhA1);
  const officer = await httpClientFor(env.api.url, w.u.officer);
  const campaignId = await openCampaign(officer, w.commune.id, milestonesAround(new Date()));
  assessmentId = await registerHousehold(hh, campaignId, w.hh.hhA1);
});
afterAll(async () => env?.close());

describe('PostgreSQL restarted under load', () => {
  it('answers 503 + Retry-After while it is down, recovers without restarting the API, loses no acknowledged write', async () => {
    const pid = env.api.pid;
    const outcomes: Outcome[] = [];
    let phase: Phase = 'before';
    let stop = false;
    const WORKERS = 3;
    const MAX_REQUESTS = 4000; // per worker: a bound, not a timing

    // Worker i alternates a read (GET /me) and a write of its own indicator's note "n=<counter>".
    const worker = async (i: number) => {
      const code = GDHT_CODES[i]!;
      for (let n = 1; n <= MAX_REQUESTS && !stop; n++) {
        const started = phase;
        const write = n % 2 === 0 ? n : null;
        const r =
          write === null
            ? await hh.get('/me')
            : await hh.put(`/assessments/${assessmentId}/answers/${code}`, { points: 10, note: `n=${write}` });
        outcomes.push({
          phase: started,
          ended: phase,
          worker: i,
          write,
          status: r.status,
          retryAfter: r.headers['retry-after'] as string | undefined,
          code: typeof r.body === 'object' && r.body ? r.body.code : undefined,
        });
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    const count = (p: Phase, ok?: boolean) =>
      outcomes.filter((o) => o.phase === p && (ok === undefined || (o.status === 200) === ok)).length;

    try {
      await until('load is flowing', () => count('before', true) >= 12);
      env.cluster.crash();
      phase = 'down';
      await until(
        'requests answered while PostgreSQL is down',
        () => outcomes.filter((o) => o.phase === 'down' && o.ended === 'down').length >= 15,
      );
      const ready = await request(env.api.url, 'GET', '/ready', {});
      expect(ready.status).toBe(503);
      env.cluster.start();
      phase = 'after';
      await until('a request succeeds after PostgreSQL is back', () => count('after', true) >= 12, 600);
    } finally {
      stop = true;
      await load;
    }

    // Sent and answered while PostgreSQL was down. (cluster.start() blocks this process, so no answer
    // is seen between PostgreSQL coming back and the phase turning 'after'.) A request sent during
    // the outage but handled after the restart, as a loaded API may do, can get any normal answer.
    const down = outcomes.filter((o) => o.phase === 'down' && o.ended === 'down');
    expect(down.length).toBeGreaterThan(0);
    const summary = (list: Outcome[]) => {
      const by = new Map<string, number>();
      for (const o of list) by.set(`${o.status} ${o.code ?? ''}`, (by.get(`${o.status} ${o.code ?? ''}`) ?? 0) + 1);
      return JSON.stringify([...by]);
    };
    // Summaries ("status code": how many) keep a failure readable.
    expect(summary(outcomes.filter((o) => o.status >= 500 && o.status !== 503)), 'no 5xx other than 503').toBe('[]');
    expect(summary(down.filter((o) => o.status !== 503 || !(Number(o.retryAfter) >= 1))), '503 + Retry-After').toBe(
      '[]',
    );
    expect(env.api.alive()).toBe(true);
    expect(env.api.pid).toBe(pid);

    // Every write the API acknowledged is there (a later unacknowledged one may have landed too).
    const notes = rowsOf<{ indicator_code: string; note: string }>(
      await env.database.db.execute(
        sql`select indicator_code, note from answers where assessment_id = ${assessmentId}::uuid and layer = 'self'`,
      ),
    );
    let checked = 0;
    for (let i = 0; i < WORKERS; i++) {
      const acked = outcomes.filter((o) => o.worker === i && o.write !== null && o.status === 200);
      // A worker whose writes all fell in the outage (or were all reads) has nothing to check.
      if (acked.length === 0) continue;
      checked++;
      const last = Math.max(...acked.map((o) => o.write!));
      const stored = notes.find((n) => n.indicator_code === GDHT_CODES[i]);
      expect(Number(stored?.note.slice(2))).toBeGreaterThanOrEqual(last);
    }
    expect(checked, 'workers with an acknowledged write').toBeGreaterThan(0);
    expect((await env.check()).problems).toEqual([]);
  });
});
