/**
 * Round trips per request, counted at the driver (issue 15): a change that adds a statement to a
 * hot path fails here, long before a benchmark would show it. Counted on PostgreSQL, where every
 * statement is a network round trip; the PGlite pass skips it (one in-process connection).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../helpers/engine.ts';
import { multipartBody, photo, registerHousehold } from '../../faults/lib/flow.ts';
import {
  buildWorld,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
} from '../../helpers/workflow-fixtures.ts';

const onPg = testEngine() === 'pg';

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let household: Client;
let campaignId: string;
let householdId: string;
let assessmentId: string;
const statements: string[] = [];
/** For each recorded statement, the prepared statement's name (undefined: parsed and planned anew). */
const names: (string | undefined)[] = [];
let counting = false;
let pool: pg.Pool;

const WRAPPED = Symbol('counted');

/**
 * Every statement any pooled connection sends from now on is recorded while `counting`. Wrapped on
 * checkout, not on connect: clients the pool opened before (migrations, the world's build) would
 * otherwise run uncounted.
 */
function countStatements(pool: pg.Pool) {
  pool.on('acquire', (client) => {
    const c = client as pg.PoolClient & { [WRAPPED]?: true };
    if (c[WRAPPED]) return;
    c[WRAPPED] = true;
    const query = c.query.bind(c) as (...args: unknown[]) => unknown;
    (c as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
      if (counting) {
        statements.push(String(text).trim().slice(0, 80));
        names.push(typeof first === 'string' ? undefined : (first as { name?: string })?.name);
      }
      return query(...args);
    };
  });
}

async function count<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; n: number; sql: string[]; names: (string | undefined)[] }> {
  statements.length = 0;
  names.length = 0;
  counting = true;
  try {
    const result = await fn();
    return { result, n: statements.length, sql: [...statements], names: [...names] };
  } finally {
    counting = false;
  }
}

beforeAll(async () => {
  if (!onPg) return;
  env = await createWorkflowApp();
  const database = env.t.db.database;
  if (database.kind !== 'pg') throw new Error('expected PostgreSQL');
  pool = database.pool;
  countStatements(pool);
  const w = await buildWorld(env.db);
  const [hh, officer] = (await clientsFor(env.t.app, [w.u.hhA1, w.u.officer])) as Client[];
  household = hh!;
  householdId = w.hh.hhA1;
  campaignId = await openCampaign(officer!, w.commune.id);
});
afterAll(async () => {
  if (onPg) await env.t.close();
});

describe.skipIf(!onPg)('statements per request (PostgreSQL)', () => {
  it('GET /me: 1 statement, authentication included (warm: the daily last-opened write is done)', async () => {
    await household.get('/me'); // the first request of the day may record last_opened_at
    const { result, n, sql, names } = await count(() => household.get('/me'));
    expect(result.status).toBe(200);
    expect(n, sql.join('\n')).toBeLessThanOrEqual(1);
    // A prepared statement: planned once per connection, not on every request.
    expect(names[0]).toBeTruthy();
  });

  it('an authenticated read of one assessment: at most 3 statements', async () => {
    assessmentId = await registerHousehold(household, campaignId, householdId);
    const { result, n, sql } = await count(() => household.get(`/assessments/${assessmentId}`));
    expect(result.status).toBe(200);
    expect(n, sql.join('\n')).toBeLessThanOrEqual(3);
  });

  it('a photo accepted: at most 6 statements, no transaction (the row, the version bump and the audit in one)', async () => {
    const m = multipartBody(photo('different.jpg'));
    const { result, n, sql } = await count(() =>
      env.t.app.inject({
        method: 'POST',
        url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=1.2`,
        headers: { ...household.auth, ...m.headers },
        payload: m.payload,
      }),
    );
    expect(result.statusCode, result.body).toBe(201);
    expect(
      sql.filter((s) => /^(begin|commit)/i.test(s.trim())),
      sql.join('\n'),
    ).toEqual([]);
    expect(n, sql.join('\n')).toBeLessThanOrEqual(6);
  });

  // Issue 15's budget: authentication, BEGIN, one read (the idempotency key claimed by a CTE, with
  // the assessment, consents and answers), one write (state change, counts, audit, the key marked
  // done, and the verifiers' outbox and inbox rows by INSERT … SELECT), COMMIT.
  it('submit: 5 statements, one COMMIT, and the verifier is told in the same commit', async () => {
    const id = assessmentId;
    await fillAll(household, id, GDHT_CODES, 10);
    const m = multipartBody(photo('different.jpg'));
    const up = await env.t.app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${id}/evidence?indicatorCode=1.1`,
      headers: { ...household.auth, ...m.headers },
      payload: m.payload,
    });
    expect(up.statusCode).toBe(201);
    await env.t.app.services.photoProcessing.drain();
    const { result, n, sql, names } = await count(() =>
      household.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() }),
    );
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(sql.filter((s) => /^commit/i.test(s.trim()))).toHaveLength(1);
    expect(n, sql.join('\n')).toBeLessThanOrEqual(5);
    // Authentication, the read and the write are prepared statements (planned once per connection).
    const work = sql.map((s, i) => ({ s, name: names[i] })).filter((x) => !/^(begin|commit)/i.test(x.s));
    expect(work.length).toBe(3);
    expect(work.filter((x) => !x.name).map((x) => x.s)).toEqual([]);
    const inbox = await pool.query<{ n: number }>(
      `select count(*)::int n from inbox_messages where dedupe_key like $1`,
      [`submitted:${id}:%`],
    );
    expect(inbox.rows[0]!.n).toBeGreaterThan(0);
  });
});
