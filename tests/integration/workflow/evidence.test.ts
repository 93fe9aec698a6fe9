import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { evidence } from '@hoctap/server/db/schema/index.ts';
import { createFsBlobStore } from '@hoctap/server/storage/index.ts';
import {
  buildWorld,
  clientFor,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  household,
  openCampaign,
  user,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

const PHOTOS = join(import.meta.dirname, '../../fixtures/photos');
const photo = (name: string) => readFileSync(join(PHOTOS, name));

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let hhA1: Client, hhA2: Client, hhB1: Client, leaderA: Client, leaderB: Client, otherOfficer: Client;
let a1: string, a2: string;

function multipart(file: Buffer, filename = 'anh.jpg', contentType = 'image/jpeg') {
  const boundary = `----hoctap${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, file, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(c: Client, assessmentId: string, code: string, file: Buffer, filename?: string) {
  const m = multipart(file, filename);
  const res = await env.t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=${code}`,
    headers: { ...c.auth, ...m.headers },
    payload: m.payload,
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

async function register(c: Client, subjectId: string) {
  const id = randomUUID();
  const r = await c.post('/assessments', { id, campaignId, subjectType: 'household', subjectId });
  expect(r.status).toBe(201);
  return id;
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  [hhA1, hhA2, hhB1, leaderA, leaderB, otherOfficer] = await clientsFor(env.t.app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.leaderA,
    w.u.leaderB,
    w.u.otherOfficer,
  ]);
  campaignId = await openCampaign(await clientFor(env.t.app, w.u.officer), w.commune.id);
  a1 = await register(hhA1, w.hh.hhA1);
  a2 = await register(hhA2, w.hh.hhA2);
});
afterAll(async () => env.t.close());

const get = (c: Client, url: string) => env.t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: c.auth });
const drain = () => env.t.app.services.photoProcessing.drain();

describe('photo evidence', () => {
  let gpsEvidence: string;

  it('answers 201 "processing" at once and never serves a byte before the photo is processed', async () => {
    const r = await upload(hhA1, a1, '1.1', photo('exif-gps-orient6.jpg'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ indicatorCode: '1.1', state: 'processing', width: null, failureReason: null });
    gpsEvidence = r.body.id;
    for (const variant of ['image', 'thumbnail']) {
      const early = await get(hhA1, `/evidence/${gpsEvidence}/${variant}`);
      expect(early.statusCode).toBe(409);
      expect(early.headers['content-type']).toContain('application/json');
      expect(early.json()).toMatchObject({
        code: 'EVIDENCE_PROCESSING',
        message: expect.stringContaining('đang được xử lý'),
      });
      expect(early.headers['retry-after']).toBe('2');
      expect(early.rawPayload.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    }
    expect((await get(hhA1, `/evidence/${gpsEvidence}`)).json()).toMatchObject({ state: 'processing' });

    await drain();
    const done = (await get(hhA1, `/evidence/${gpsEvidence}`)).json();
    expect(done).toMatchObject({ state: 'ready', width: 360, height: 480, hasLocation: true, nearDuplicates: [] });
    const img = await get(hhA1, `/evidence/${gpsEvidence}/image`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(String(img.headers['cache-control'])).toContain('private');
    const meta = await sharp(img.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    const thumb = await get(hhA1, `/evidence/${gpsEvidence}/thumbnail`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.rawPayload.length).toBeLessThan(img.rawPayload.length);
    // The original (with its EXIF and GPS) is gone once processed.
    const [row] = await env.db.select().from(evidence).where(eq(evidence.id, gpsEvidence));
    expect(row?.originalKey).toBeNull();
    expect(await createFsBlobStore(join(env.dataDir, 'blobs')).exists(`originals/${gpsEvidence}`)).toBe(false);
  });

  it('accepts PNG and WebP (served as JPEG)', async () => {
    const png = await upload(hhA1, a1, '1.2', photo('plain.png'), 'a.png');
    const webp = await upload(hhA1, a1, '2.2', photo('plain.webp'), 'a.webp');
    expect([png.status, webp.status]).toEqual([201, 201]);
    await drain();
    for (const id of [png.body.id, webp.body.id]) {
      const r = await get(hhA1, `/evidence/${id}/image`);
      expect(r.statusCode).toBe(200);
      expect((await sharp(r.rawPayload).metadata()).format).toBe('jpeg');
    }
  });

  it('refuses HEIC with 415 and a Vietnamese hint; text named .jpg with 415; a pixel flood with 422', async () => {
    const heic = await upload(hhA1, a1, '3.2', photo('iphone.heic'), 'IMG_0001.HEIC');
    expect(heic.status).toBe(415);
    expect(heic.body.message).toContain('HEIC');
    expect(heic.body.message).toContain('JPEG');
    expect((await upload(hhA1, a1, '3.2', photo('not-an-image.jpg'))).status).toBe(415);
    const bomb = await upload(hhA1, a1, '3.2', photo('pixel-bomb.png'), 'bomb.png');
    expect(bomb.status).toBe(422);
    expect(bomb.body.code).toBe('PIXEL_LIMIT');
  });

  it('a JPEG+HTML polyglot is stored with nothing after the image', async () => {
    const r = await upload(hhA1, a1, '3.2', photo('polyglot.jpg'));
    expect(r.status).toBe(201);
    await drain();
    const bytes = (await get(hhA1, `/evidence/${r.body.id}/image`)).rawPayload;
    expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
    expect(bytes.toString('latin1')).not.toContain('<script');
  });

  it('a truncated JPEG is accepted, then failed with a Vietnamese reason; an oversized upload → 413', async () => {
    const t = await upload(hhA1, a1, '4.2', photo('truncated.jpg'));
    expect(t.status).toBe(201);
    await drain();
    const failed = (await get(hhA1, `/evidence/${t.body.id}`)).json();
    expect(failed).toMatchObject({ state: 'failed', failureReason: expect.stringContaining('Ảnh bị lỗi') });
    const img = await get(hhA1, `/evidence/${t.body.id}/image`);
    expect(img.statusCode).toBe(409);
    expect(img.json()).toMatchObject({ code: 'EVIDENCE_FAILED', message: expect.stringContaining('Ảnh bị lỗi') });
    // A failed photo does not count for the indicator and may be replaced.
    expect((await hhA1.del(`/evidence/${t.body.id}`)).status).toBe(204);
    const big = Buffer.alloc(env.t.config.uploadLimitBytes + 1, 0xff);
    photo('plain.png').copy(big);
    const o = await upload(hhA1, a1, '4.2', big);
    expect(o.status).toBe(413);
  });

  it('the exact same photo twice on one indicator is deduplicated (200, same id)', async () => {
    const again = await upload(hhA1, a1, '1.1', photo('exif-gps-orient6.jpg'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: gpsEvidence, deduplicated: true, state: 'ready' });
    const rows = await env.db
      .select()
      .from(evidence)
      .where(and(eq(evidence.assessmentId, a1), eq(evidence.indicatorCode, '1.1'), isNull(evidence.deletedAt)));
    expect(rows).toHaveLength(1);
  });

  it('a near-duplicate from another household of the commune is flagged for the verifier, not rejected', async () => {
    const a = await upload(hhA1, a1, '4.2', photo('near-dup-a.jpg'));
    expect(a.status).toBe(201);
    await drain();
    const b = await upload(hhA2, a2, '1.1', photo('near-dup-b.jpg'));
    expect(b.status).toBe(201);
    await drain();
    const bDone = (await get(hhA2, `/evidence/${b.body.id}`)).json();
    const flagged = bDone.nearDuplicates.find((d: { evidenceId: string }) => d.evidenceId === a.body.id);
    expect(flagged).toBeDefined();
    expect(flagged.distance).toBeLessThanOrEqual(8);
    expect(flagged.exact).toBeUndefined();
    const c = await upload(hhA2, a2, '1.2', photo('different.jpg'));
    expect(c.status).toBe(201);
    await drain();
    const cDone = (await get(hhA2, `/evidence/${c.body.id}`)).json();
    expect(cDone.nearDuplicates.map((d: { evidenceId: string }) => d.evidenceId)).not.toContain(a.body.id);
  });

  it('an exact copy (same bytes) sent by another household is flagged to the verifier like a near copy', async () => {
    // hhA1 sent exif-gps-orient6.jpg on 1.1; hhA2 sends the very same file.
    const copy = await upload(hhA2, a2, '2.2', photo('exif-gps-orient6.jpg'));
    expect(copy.status).toBe(201);
    await drain();
    const detail = await leaderA.get(`/assessments/${a2}`);
    expect(detail.status).toBe(200);
    const seen = detail.body.evidence.find((e: { id: string }) => e.id === copy.body.id);
    expect(seen).toMatchObject({ state: 'ready' });
    expect(seen.nearDuplicates).toContainEqual({ evidenceId: gpsEvidence, distance: 0, exact: true });
  });

  it('the verifying leader never receives GPS coordinates, only whether the photo had a location', async () => {
    const detail = await leaderA.get(`/assessments/${a1}`);
    const e = detail.body.evidence.find((x: { id: string }) => x.id === gpsEvidence);
    expect(e.hasLocation).toBe(true);
    expect(Object.keys(e)).not.toEqual(expect.arrayContaining(['gpsLat']));
    const text = JSON.stringify(detail.body);
    expect(text).not.toMatch(/gps|latitude|longitude/i);
    expect(text).not.toContain('21.03');
    expect(text).not.toContain('105.85');
    // Not stored either: the columns are gone.
    const cols = await env.db.execute(
      sql`select column_name from information_schema.columns where table_name = 'evidence' and column_name like 'gps%'`,
    );
    expect((Array.isArray(cols) ? cols : (cols as { rows: unknown[] }).rows).length).toBe(0);
    // And the consent the household gave says so.
    const consent = await hhA1.get('/me/consents');
    expect(JSON.stringify(consent.body)).toContain('xóa thông tin vị trí');
  });

  it('photos are read within scope only; the verifier sees them with the flags', async () => {
    const d = await leaderA.get(`/assessments/${a2}`);
    expect(d.body.evidence.some((e: { nearDuplicates: unknown[] }) => e.nearDuplicates.length >= 1)).toBe(true);
    for (const c of [hhA2, hhB1, leaderB, otherOfficer]) {
      const r = await env.t.app.inject({
        method: 'GET',
        url: `/api/v1/evidence/${gpsEvidence}/image`,
        headers: c.auth,
      });
      expect(r.statusCode).toBe(404);
    }
    expect(
      (await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${gpsEvidence}/image`, headers: leaderA.auth }))
        .statusCode,
    ).toBe(200);
    expect((await upload(hhB1, a1, '1.1', photo('plain.png'))).status).toBe(404);
  });

  it('photos count for the verdict; delete works only while draft/returned', async () => {
    await fillAll(hhA1, a1, GDHT_CODES, 10);
    const extra = await upload(hhA1, a1, '3.1', photo('different.jpg'));
    expect((await hhA1.del(`/evidence/${extra.body.id}`)).status).toBe(204);
    expect(
      (await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${extra.body.id}/image`, headers: hhA1.auth }))
        .statusCode,
    ).toBe(404);
    const s = await hhA1.post(`/assessments/${a1}/submit`, {}, { 'idempotency-key': randomUUID() });
    expect(s.status).toBe(200);
    // 1.1, 1.2, 2.2, 3.2 and 4.2 require a photo and have one.
    expect(s.body.verdict.outcome).toBe('pass');
    expect((await hhA1.del(`/evidence/${gpsEvidence}`)).status).toBe(409);
    expect((await upload(hhA1, a1, '2.1', photo('plain.png'))).status).toBe(409);
  });

  it('photo uploads need live photo consent', async () => {
    const h = await household(env.db, w.at(w.hamlet1, w.groupA), 'Hộ chưa đồng ý ảnh');
    const c = await clientFor(
      env.t.app,
      await user(env.db, 'Hộ chưa đồng ý ảnh', { householdId: h, consents: ['evaluation'] }),
    );
    const id = await register(c, h);
    const r = await upload(c, id, '1.1', photo('plain.png'));
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('CONSENT_REQUIRED');
  });

  it('crash between blob write and row commit: no row points at a missing blob; the sweeper removes the orphan', async () => {
    // Make the row insert fail AFTER the original was stored (as a kill at that instant would).
    await env.db.execute(
      sql`create or replace function hoctap_fail_evidence() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$`,
    );
    await env.db.execute(
      sql`create trigger hoctap_fail_evidence before insert on evidence for each row execute function hoctap_fail_evidence()`,
    );
    const r = await upload(hhA2, a2, '3.2', photo('different.jpg'));
    expect(r.status).toBe(500);
    await env.db.execute(sql`drop trigger hoctap_fail_evidence on evidence`);

    const blobs = createFsBlobStore(join(env.dataDir, 'blobs'));
    const rows = await env.db.select().from(evidence).where(isNull(evidence.deletedAt));
    for (const row of rows.filter((x) => x.state === 'ready')) {
      expect(await blobs.exists(row.imageKey)).toBe(true);
      expect(await blobs.exists(row.thumbKey)).toBe(true);
    }
    const orphans: string[] = [];
    for await (const b of blobs.list('originals/')) orphans.push(b.key);
    // The original whose row never committed, and those of photos deleted before processing.
    expect(orphans.length).toBeGreaterThanOrEqual(1);
    const orphanKey = `sha256/ab/cd/${'ab' + 'cd' + '0'.repeat(60)}-image.jpg`;
    await blobs.put(orphanKey, Buffer.from('orphan'));
    const result = await env.t.app.services.evidence.sweepOrphans({ olderThanMs: -1 });
    expect(result.deleted).toEqual(expect.arrayContaining([orphanKey, ...orphans]));
    expect(await blobs.exists(orphanKey)).toBe(false);
    for await (const b of blobs.list('originals/')) expect.unreachable(`left behind: ${b.key}`);
    // Referenced blobs survive.
    for (const row of rows.filter((x) => x.state === 'ready')) expect(await blobs.exists(row.imageKey)).toBe(true);
  });
});
