import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { blobKeyReferenced } from '@hoctap/server/modules/evidence-uploads/evidence.repo.ts';
import { sweepUnreferenced } from '@hoctap/server/storage/index.ts';
import {
  buildWorld,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
  type World,
} from '../helpers/workflow-fixtures.ts';
import { createFaultEnv, until, type FaultEnv } from './lib/fault-env.ts';
import { milestonesAround, multipartBody, photo, registerHousehold, type Upload } from './lib/flow.ts';
import { httpClientFor, request } from './lib/http-client.ts';

/**
 * kill -9 of the API in the middle of a photo upload and of a submit. Each kill point is made
 * deterministic by holding the assessment's row lock from the test: the request does all its work
 * up to the UPDATE that takes that lock and waits there, and the test kills the process while it
 * waits (original stored, transaction open, nothing committed). Afterwards: no half state (the
 * consistency checker passes), and the client's retry succeeds exactly once.
 *
 * An upload stores the original and commits its row as `processing`; the worker pool writes the
 * image and thumbnail later (modules/evidence-uploads/photo-processing.ts), so the tests also wait
 * (bounded polling) for the retried photo to be processed and check again.
 */

let env: FaultEnv;
let w: World;
let hh: Client;
let campaignId: string;
let assessmentId: string;

const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await env.database.db.execute(query));

const upload: Upload = async (c, id, code, file) => {
  const m = multipartBody(file);
  const r = await request(
    env.api.url,
    'POST',
    `/api/v1/assessments/${id}/evidence?indicatorCode=${code}`,
    {
      ...c.auth,
      ...m.headers,
    },
    m.payload,
  );
  return { status: r.status, body: r.body };
};

/** Holds the assessment row lock on its own connection until release(). */
async function lockAssessment(id: string) {
  const c = new pg.Client({ connectionString: env.url });
  c.on('error', () => {}); // the cluster is torn down under it at the end of the file
  await c.connect();
  await c.query('begin');
  await c.query('select id from assessments where id = $1 for update', [id]);
  return {
    pid: Number((await c.query('select pg_backend_pid() as pid')).rows[0].pid),
    async release() {
      await c.query('rollback');
      await c.end();
    },
  };
}

/** True once another backend waits for a lock held by `holderPid` (the request reached its UPDATE). */
async function someoneWaitsOn(holderPid: number): Promise<boolean> {
  const rows = await q<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity where ${holderPid} = any(pg_blocking_pids(pid))`,
  );
  return Number(rows[0]?.n) > 0;
}

/** Files under a blob prefix: `sha256` (image, thumbnail) or `originals` (uploads not processed yet). */
function blobFiles(prefix: 'sha256' | 'originals' = 'sha256'): string[] {
  const root = join(env.dataDir, 'blobs', prefix);
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** Waits (bounded) until the API's worker pool has processed the photo, then checks consistency. */
async function processedAndConsistent(evidenceId: string) {
  const state = await until(`photo ${evidenceId} processed`, async () => {
    const r = await hh.get(`/evidence/${evidenceId}`);
    return r.status === 200 && r.body.state !== 'processing' ? String(r.body.state) : null;
  });
  expect(state).toBe('ready');
  const report = await env.check();
  expect(report.problems).toEqual([]);
  return report;
}

function tempUploads(): string[] {
  try {
    return readdirSync(join(env.dataDir, 'blobs', '.tmp')).filter((n) => n.startsWith('upload-'));
  } catch {
    return [];
  }
}

async function restartAndCheck() {
  await env.api.restart();
  const report = await env.check();
  expect(report.problems).toEqual([]);
  return report;
}

beforeAll(async () => {
  // NODE_ENV=test turns the photo worker pool off by default; production runs it.
  env = await createFaultEnv({ EVIDENCE_PROCESSING: 'true' }, async (database) => {
    w = await buildWorld(database.db);
  });
  hh = await httpClientFor(env.api.url, w.u.hhA1);
  const officer = await httpClientFor(env.api.url, w.u.officer);
  campaignId = await openCampaign(officer, w.commune.id, milestonesAround(new Date()));
  assessmentId = await registerHousehold(hh, campaignId, w.hh.hhA1);
  await fillAll(hh, assessmentId, GDHT_CODES, 10);
});
afterAll(async () => env?.close());

describe('kill -9 during a photo upload', () => {
  it('while the body is still arriving: nothing is stored, the retry stores the photo once', async () => {
    const m = multipartBody(photo('near-dup-a.jpg'));
    const req = httpRequest(`${env.api.url}/api/v1/assessments/${assessmentId}/evidence?indicatorCode=1.2`, {
      method: 'POST',
      headers: { ...hh.auth, ...m.headers, 'content-length': String(m.payload.length) },
    });
    const failed = new Promise<void>((resolve) => req.once('error', () => resolve()));
    req.write(m.payload.subarray(0, Math.floor(m.payload.length / 2)));
    // The upload is streaming to its temp file once that file exists.
    await until('the upload temp file exists', () => tempUploads().length > 0);
    await env.api.kill9();
    await failed;
    const report = await restartAndCheck();
    expect(report.checked.evidenceRows).toBe(0);
    expect(blobFiles()).toEqual([]);
    expect(blobFiles('originals')).toEqual([]);

    const retry = await upload(hh, assessmentId, '1.2', photo('near-dup-a.jpg'));
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect((await env.check()).problems).toEqual([]);
    await processedAndConsistent(String(retry.body.id));
    expect(
      await q(sql`select id from evidence where assessment_id = ${assessmentId}::uuid and indicator_code = '1.2'`),
    ).toHaveLength(1);
  });

  it('after the original is stored, while its row is written: all or nothing, the retry stores it once', async () => {
    const file = photo('different.jpg');
    const before = blobFiles('originals').length;
    const lock = await lockAssessment(assessmentId);
    const rows = () =>
      q(
        sql`select id from evidence where assessment_id = ${assessmentId}::uuid and indicator_code = '1.1' and deleted_at is null`,
      );
    try {
      const pending = upload(hh, assessmentId, '1.1', file).then(
        () => 'answered',
        () => 'connection lost',
      );
      await until(
        'original stored and the row statement waiting on the lock',
        async () => blobFiles('originals').length === before + 1 && (await someoneWaitsOn(lock.pid)),
      );
      await env.api.kill9();
      expect(await pending).toBe('connection lost');
    } finally {
      await lock.release();
    }
    // The row, the version bump and the audit are ONE statement (no transaction around it): the
    // database finishes it once the lock is free, whether or not its client is still there. So
    // the photo is either wholly there (row + original) or not at all (original only, swept).
    await until('the statement in flight finished', async () => {
      const [r] = await q<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity where state <> 'idle' and query ilike '%insert into "evidence"%' and pid <> pg_backend_pid()`,
      );
      return Number(r?.n) === 0;
    });
    const report = await restartAndCheck();
    expect(report.problems).toEqual([]);
    const landed = (await rows()).length;
    expect(landed).toBeLessThanOrEqual(1);
    expect(report.checked.pendingBlobs).toBe(1 - landed);

    // The client never saw an answer and retries: one photo in the end, whichever way it went.
    const retry = await upload(hh, assessmentId, '1.1', file);
    expect([200, 201], JSON.stringify(retry.body)).toContain(retry.status);
    const again = await upload(hh, assessmentId, '1.1', file);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(retry.body.id);
    expect(await rows()).toHaveLength(1);
    await processedAndConsistent(String(retry.body.id));
    await sweepUnreferenced(env.blobs, (key) => blobKeyReferenced(env.database.db, key), {
      prefix: 'originals/',
      olderThanMs: 0,
    });
    const clean = await env.check();
    expect(clean.problems).toEqual([]);
    expect(clean.checked.pendingBlobs).toBe(0);
    expect(blobFiles('originals')).toEqual([]);
  });
});

describe('kill -9 during a submit', () => {
  it('inside the transaction: nothing is submitted, the retry with the same key submits exactly once', async () => {
    const key = randomUUID();
    const lock = await lockAssessment(assessmentId);
    try {
      const pending = hh.post(`/assessments/${assessmentId}/submit`, {}, { 'idempotency-key': key }).then(
        () => 'answered',
        () => 'connection lost',
      );
      await until('the submit waits on the lock', () => someoneWaitsOn(lock.pid));
      await env.api.kill9();
      expect(await pending).toBe('connection lost');
    } finally {
      await lock.release();
    }

    await restartAndCheck();
    const state = async () =>
      (await q<{ state: string }>(sql`select state from assessments where id = ${assessmentId}::uuid`))[0]!.state;
    const submits = async () =>
      Number(
        (
          await q<{ n: number }>(
            sql`select count(*)::int as n from audit_events where entity_id = ${assessmentId} and action = 'submit'`,
          )
        )[0]!.n,
      );
    expect(await state()).toBe('draft');
    expect(await submits()).toBe(0);

    const retry = await hh.post(`/assessments/${assessmentId}/submit`, {}, { 'idempotency-key': key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.state).toBe('submitted');
    const replay = await hh.post(`/assessments/${assessmentId}/submit`, {}, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(retry.body);
    expect(await state()).toBe('submitted');
    expect(await submits()).toBe(1);
    expect((await env.check()).problems).toEqual([]);
  });
});
