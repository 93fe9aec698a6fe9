import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, idempotencyKeys } from '@hoctap/server/db/schema/index.ts';
import { testEngine } from '../../helpers/engine.ts';
import {
  buildWorld,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/**
 * Issue 13, items 10 and 11: the submit's Idempotency-Key is scoped to the assessment version and
 * lives in the submit's own transaction. (The crash half of item 11 — kill -9 while the submit's
 * transaction is open, then the retry — is in tests/faults/crash.test.ts.)
 */
let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let hh: Client, leader: Client, officer: Client;

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [hh, leader, officer] = await clientsFor(env.t.app, [w.u.hhA1, w.u.leaderA, w.u.officer]);
  campaignId = await openCampaign(officer, w.commune.id);
});
afterAll(async () => env.t.close());

const submits = async (id: string) =>
  (
    await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'submit')))
  ).length;

describe(`submit idempotency (${testEngine()})`, () => {
  it('a household returned twice resubmits each time with the same key (a phone keying on id + state)', async () => {
    const id = randomUUID();
    expect(
      (await hh.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA1 })).status,
    ).toBe(201);
    await fillAll(hh, id, GDHT_CODES, 10);
    const first = await hh.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
    expect(first.body.state).toBe('submitted');

    // The old mini app derived the key from `submit:<id>:returned`: the same key on every return.
    const sameKeyEveryReturn = randomUUID();
    for (let round = 1; round <= 3; round++) {
      const back = await leader.post(`/assessments/${id}/return`, {
        items: [{ indicatorCode: '1.1', comment: `Lần ${round}: bổ sung ảnh` }],
      });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      expect(back.body.state).toBe('returned');
      const again = await hh.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': sameKeyEveryReturn });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.state).toBe('resubmitted');
      expect(again.body.version).toBe(back.body.version + 1);
      expect((await hh.get(`/assessments/${id}`)).body.state).toBe('resubmitted');
      // A retry of this resubmit (the answer was lost on the way) replays it: nothing runs twice.
      const retry = await hh.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': sameKeyEveryReturn });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(again.body);
      expect(await submits(id)).toBe(1 + round);
    }
  });

  it('the same key sent three times at once submits once and every caller gets the same answer', async () => {
    const id = randomUUID();
    const [hh2] = await clientsFor(env.t.app, [w.u.hhA2]);
    expect(
      (await hh2!.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA2 })).status,
    ).toBe(201);
    await fillAll(hh2!, id, GDHT_CODES, 10);
    const key = randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => hh2!.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key })),
    );
    // No "in progress" answer any more: a concurrent request waits for the first one's commit.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(await submits(id)).toBe(1);
  });

  it('a refused submit leaves no key behind: after fixing, the same key submits', async () => {
    const id = randomUUID();
    const [hh3] = await clientsFor(env.t.app, [w.u.hhB1]);
    expect(
      (await hh3!.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhB1 })).status,
    ).toBe(201);
    const key = randomUUID();
    const early = await hh3!.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key });
    expect(early.status).toBe(422);
    expect(await env.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toEqual([]);
    await fillAll(hh3!, id, GDHT_CODES, 10);
    const ok = await hh3!.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const [row] = await env.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(row).toMatchObject({ status: 'done', scope: `submit:${id}@v${ok.body.version - 1}` });
  });
});
