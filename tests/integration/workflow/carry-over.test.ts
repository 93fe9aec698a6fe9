import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { evidence } from '@hoctap/server/db/schema/index.ts';
import {
  buildWorld,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  MILESTONES,
  openCampaign,
  T0,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

/**
 * Carry-over (docs/transparency.md §6): a 2026 draft starts from the household's 2025 answers,
 * only for the indicators it confirms, and links last year's processed photos where the criteria
 * set allows it (gdht 1.2 — this year's school report — does not).
 */

const PHOTOS = join(import.meta.dirname, '../../fixtures/photos');
const photo = (name: string) => readFileSync(join(PHOTOS, name));

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let hhA1: Client, hhA2: Client, hhB1: Client, leaderA: Client, leaderB: Client, officer: Client, otherOfficer: Client;
let prevA1: string, curA1: string, curA2: string;
let photo32: string, photo12: string;

function multipart(file: Buffer) {
  const boundary = `----hoctap${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="anh.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(c: Client, assessmentId: string, code: string, file: Buffer): Promise<string> {
  const m = multipart(file);
  const res = await env.t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=${code}`,
    headers: { ...c.auth, ...m.headers },
    payload: m.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function register(c: Client, campaignId: string, subjectId: string) {
  const id = randomUUID();
  const r = await c.post('/assessments', { id, campaignId, subjectType: 'household', subjectId });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return id;
}

const submit = (c: Client, id: string) => c.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
const image = (c: Client, id: string) =>
  env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/image`, headers: c.auth });
const lastYear = (iso: string) => iso.replace('2026', '2025');

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [hhA1, hhA2, hhB1, leaderA, leaderB, officer, otherOfficer] = await clientsFor(env.t.app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.leaderA,
    w.u.leaderB,
    w.u.officer,
    w.u.otherOfficer,
  ]);
  // 2025: household A1 answers everything, with photos, and submits; A2 leaves a draft.
  env.clock.set(lastYear(T0));
  const c2025 = await openCampaign(officer, w.commune.id, {
    year: 2025,
    title: 'Đánh giá năm 2025',
    ...Object.fromEntries(Object.entries(MILESTONES).map(([k, v]) => [k, lastYear(v)])),
  });
  prevA1 = await register(hhA1, c2025, w.hh.hhA1);
  await fillAll(hhA1, prevA1, GDHT_CODES, 10);
  photo32 = await upload(hhA1, prevA1, '3.2', photo('plain.png'));
  photo12 = await upload(hhA1, prevA1, '1.2', photo('different.jpg'));
  await env.t.app.services.photoProcessing.drain();
  expect((await submit(hhA1, prevA1)).status).toBe(200);
  const prevA2 = await register(hhA2, c2025, w.hh.hhA2);
  await fillAll(hhA2, prevA2, ['1.1'], 10);

  env.clock.set(T0);
  const c2026 = await openCampaign(await clientFor(env.t.app, w.u.officer), w.commune.id);
  curA1 = await register(hhA1, c2026, w.hh.hhA1);
  curA2 = await register(hhA2, c2026, w.hh.hhA2);
}, 120_000);
afterAll(async () => env.t.close());

describe('carry-over from last year', () => {
  it('lists last year’s answers and photos, with the photo rule per indicator', async () => {
    const r = await hhA1.get(`/assessments/${curA1}/carry-over`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ available: true, fromAssessmentId: prevA1, fromYear: 2025, draftEmpty: true });
    expect(r.body.indicators.map((i: { indicatorCode: string }) => i.indicatorCode)).toEqual(GDHT_CODES);
    const byCode = Object.fromEntries(r.body.indicators.map((i: { indicatorCode: string }) => [i.indicatorCode, i]));
    expect(byCode['3.2']).toMatchObject({ points: 10, photoReusable: true, carried: false });
    expect(byCode['3.2'].photos.map((p: { id: string }) => p.id)).toEqual([photo32]);
    expect(byCode['1.2']).toMatchObject({ photoReusable: false, carried: false });
    expect(byCode['1.2'].photos.map((p: { id: string }) => p.id)).toEqual([photo12]);
    expect(byCode['1.1'].text).toContain('Trẻ em');
  });

  it('offers nothing when last year was only a draft', async () => {
    const r = await hhA2.get(`/assessments/${curA2}/carry-over`);
    expect(r.body).toMatchObject({ available: false, fromYear: null, indicators: [] });
    const p = await hhA2.post(`/assessments/${curA2}/carry-over`, { indicators: ['1.1'] });
    expect(p.status).toBe(400);
    expect(p.body.code).toBe('CARRY_OVER_UNKNOWN');
  });

  it('out of scope: 404 like a missing assessment; in scope but not the owner: 403 to copy', async () => {
    const missing = randomUUID();
    for (const c of [hhB1, leaderB, otherOfficer]) {
      const g = await c.get(`/assessments/${curA1}/carry-over`);
      expect(g.status).toBe(404);
      expect((await c.get(`/assessments/${missing}/carry-over`)).body.message).toBe(g.body.message);
      expect((await c.post(`/assessments/${curA1}/carry-over`, { indicators: ['3.2'] })).status).toBe(404);
    }
    expect((await leaderA.get(`/assessments/${curA1}/carry-over`)).status).toBe(200);
    const p = await leaderA.post(`/assessments/${curA1}/carry-over`, { indicators: ['3.2'] });
    expect(p.status).toBe(403);
    expect(p.body.code).toBe('NOT_OWNER');
    expect((await hhA1.post(`/assessments/${curA1}/carry-over`, { indicators: ['9.9'] })).body.code).toBe(
      'CARRY_OVER_UNKNOWN',
    );
    expect((await hhA1.post(`/assessments/${curA1}/carry-over`, { indicators: [] })).status).toBe(400);
  });

  it('copies only the confirmed indicators and links the photos the rule allows', async () => {
    const r = await hhA1.post(`/assessments/${curA1}/carry-over`, { indicators: ['3.2', '1.2', '1.1'] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ carried: ['1.1', '1.2', '3.2'], answersCopied: 3, photosLinked: 1, selfTotal: 30 });

    const detail = (await leaderA.get(`/assessments/${curA1}`)).body;
    expect(
      detail.layers.self.map((a: { indicatorCode: string; points: number }) => [a.indicatorCode, a.points]),
    ).toEqual([
      ['1.1', 10],
      ['1.2', 10],
      ['3.2', 10],
    ]);
    // The verifier sees the reused photo marked with its year; 1.2's photo was not carried.
    expect(detail.evidence).toHaveLength(1);
    expect(detail.evidence[0]).toMatchObject({ indicatorCode: '3.2', state: 'ready', reusedFromYear: 2025 });
    const linked = detail.evidence[0].id as string;
    expect((await leaderA.get(`/evidence/${linked}`)).body.reusedFromYear).toBe(2025);

    // Same processed blobs, no original bytes.
    const [src] = await env.db.select().from(evidence).where(eq(evidence.id, photo32));
    const [row] = await env.db.select().from(evidence).where(eq(evidence.id, linked));
    expect(row).toMatchObject({
      imageKey: src!.imageKey,
      thumbKey: src!.thumbKey,
      originalKey: null,
      reusedFromEvidenceId: photo32,
      reusedFromYear: 2025,
      assessmentId: curA1,
    });
    const [a, b] = [await image(leaderA, linked), await image(hhA1, photo32)];
    expect(a.statusCode).toBe(200);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);

    const timeline = (await hhA1.get(`/assessments/${curA1}/timeline`)).body;
    expect(JSON.stringify(timeline)).toContain('Dùng lại câu trả lời năm 2025: 3 chỉ số, 1 ảnh');
  });

  it('is idempotent: posting again copies and links nothing more', async () => {
    const before = (await hhA1.get(`/assessments/${curA1}`)).body.version;
    const r = await hhA1.post(`/assessments/${curA1}/carry-over`, { indicators: ['3.2', '1.2', '1.1'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ answersCopied: 0, photosLinked: 0, version: before });
    const rows = await env.db
      .select()
      .from(evidence)
      .where(and(eq(evidence.assessmentId, curA1), isNull(evidence.deletedAt)));
    expect(rows).toHaveLength(1);
    const g = (await hhA1.get(`/assessments/${curA1}/carry-over`)).body;
    const carried = g.indicators
      .filter((i: { carried: boolean }) => i.carried)
      .map((i: { indicatorCode: string }) => i.indicatorCode);
    expect(carried).toEqual(['1.1', '1.2', '3.2']);
    expect(g.draftEmpty).toBe(false);
  });

  it('keeps a shared blob while any live row uses it (last year’s row purged, sweeper runs)', async () => {
    await env.db.update(evidence).set({ deletedAt: new Date() }).where(eq(evidence.assessmentId, prevA1));
    await env.t.app.services.evidence.sweepOrphans({ olderThanMs: -1 });
    const [row] = await env.db.select().from(evidence).where(eq(evidence.reusedFromEvidenceId, photo32));
    expect((await image(leaderA, row!.id)).statusCode).toBe(200);
    expect(
      (await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${row!.id}/thumbnail`, headers: leaderA.auth }))
        .statusCode,
    ).toBe(200);
  });

  it('is refused once the assessment is submitted', async () => {
    await fillAll(hhA1, curA1, GDHT_CODES, 10);
    expect((await submit(hhA1, curA1)).status).toBe(200);
    const r = await hhA1.post(`/assessments/${curA1}/carry-over`, { indicators: ['4.1'] });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('NOT_EDITABLE');
  });
});
