import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, assessmentCounts } from '@hoctap/server/db/schema/index.ts';
import { countSlotOf, COUNT_SLOTS } from '@hoctap/server/modules/assessments/assessments.repo.ts';
import { checkConsistency } from '@hoctap/server/ops/consistency.ts';
import { testEngine } from '../../helpers/engine.ts';
import {
  buildWorld,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/**
 * Races. On PostgreSQL the requests really overlap (pool of 8); on PGlite they serialise on its
 * single connection, and the same assertions must still hold.
 */
let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let hhA1: Client, hhA2: Client, leaderA: Client, leaderA2: Client, officer: Client;

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [hhA1, hhA2, leaderA, leaderA2, officer] = await clientsFor(env.t.app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.leaderA,
    w.u.leaderA2,
    w.u.officer,
  ]);
  campaignId = await openCampaign(officer, w.commune.id);
});
afterAll(async () => env.t.close());

describe(`concurrent requests (${testEngine()})`, () => {
  it('the same Idempotency-Key sent twice at once submits once', async () => {
    const id = randomUUID();
    expect(
      (await hhA1.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA1 })).status,
    ).toBe(201);
    await fillAll(hhA1, id, GDHT_CODES, 10);
    const key = randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key })),
    );
    // The key is taken inside the submit's transaction: the others wait for it and replay its answer.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    const submits = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'submit')));
    expect(submits).toHaveLength(1);
    // After the first completes, a retry replays.
    expect((await hhA1.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': key })).status).toBe(200);
  });

  it('two leaders verifying at once: one 200, one 409, one verifier layer, counts consistent', async () => {
    const id = randomUUID();
    expect(
      (await hhA2.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhA2 })).status,
    ).toBe(201);
    await fillAll(hhA2, id, GDHT_CODES, 10);
    expect((await hhA2.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() })).status).toBe(200);
    const [a, b] = await Promise.all([
      leaderA.post(`/assessments/${id}/verify`, {
        answers: [{ indicatorCode: '1.1', points: 9, reason: 'Tổ trưởng' }],
      }),
      leaderA2.post(`/assessments/${id}/verify`, { answers: [{ indicatorCode: '1.1', points: 8, reason: 'Tổ phó' }] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? a : b;
    const d = await hhA2.get(`/assessments/${id}`);
    expect(d.body.state).toBe('verified');
    expect(d.body.verifiedTotal).toBe(winner.body.verifiedTotal);
    const verifies = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'verify')));
    expect(verifies).toHaveLength(1);
    const rows = await env.db
      .select()
      .from(assessmentCounts)
      .where(and(eq(assessmentCounts.campaignId, campaignId), eq(assessmentCounts.unitId, w.commune.id)));
    expect(rows.every((r) => r.n >= 0)).toBe(true);
    expect(rows.find((r) => r.state === 'verified')?.n).toBe(1);
  });

  it('submits of one commune at once update different count slots, and the sums stay exact', async () => {
    // Ids chosen so the two subjects land on two different slots of each maintained count.
    const ids = ['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-00000000000c'];
    expect(ids.map(countSlotOf)).toEqual([3, 12]);
    expect(COUNT_SLOTS).toBeGreaterThan(12);
    const owners = [await clientFor(env.t.app, w.u.leaderA), await clientFor(env.t.app, w.u.hhC1)];
    const subjects = [w.hh.hhLeaderA, w.hh.hhC1];
    for (const [k, id] of ids.entries()) {
      const c = await owners[k]!.post('/assessments', {
        id,
        campaignId,
        subjectType: 'household',
        subjectId: subjects[k],
      });
      expect(c.status).toBe(201);
      await fillAll(owners[k]!, id, GDHT_CODES, 10);
    }
    const submitted = await Promise.all(
      ids.map((id, k) => owners[k]!.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() })),
    );
    expect(submitted.map((r) => r.status)).toEqual([200, 200]);
    const commune = await env.db
      .select()
      .from(assessmentCounts)
      .where(and(eq(assessmentCounts.campaignId, campaignId), eq(assessmentCounts.unitId, w.commune.id)));
    const slotsOf = (state: string) =>
      commune
        .filter((r) => r.state === state && r.n !== 0)
        .map((r) => r.slot)
        .sort((a, b) => a - b);
    expect(slotsOf('submitted')).toEqual(expect.arrayContaining([3, 12]));
    // Summed over slots, every count equals a recount of the assessments.
    const report = await checkConsistency({
      db: env.db,
      blobs: { list: async function* () {}, stat: async () => null },
    });
    expect(report.problems.filter((p) => p.kind === 'counts_mismatch')).toEqual([]);
    const summary = await officer.get(`/reports/summary?campaignId=${campaignId}&unitId=${w.commune.id}`);
    expect(summary.status).toBe(200);
  });

  it('a stale version is refused with 409 and changes nothing', async () => {
    const id = randomUUID();
    const h = await clientFor(env.t.app, w.u.hhB1);
    expect(
      (await h.post('/assessments', { id, campaignId, subjectType: 'household', subjectId: w.hh.hhB1 })).status,
    ).toBe(201);
    await fillAll(h, id, GDHT_CODES, 10);
    const s = await h.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
    const leaderB = await clientFor(env.t.app, w.u.leaderB);
    const r = await leaderB.post(`/assessments/${id}/return`, {
      items: [{ indicatorCode: '1.1', comment: 'x' }],
      version: s.body.version - 1,
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('VERSION_CONFLICT');
    expect((await h.get(`/assessments/${id}`)).body.state).toBe('submitted');
  });
});
