// The photo queue: bounded admission, crash recovery and one claim per photo across processors.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import { evidence } from '@hoctap/server/db/schema/index.ts';
import { createFsBlobStore, type BlobStore } from '@hoctap/server/storage/index.ts';
import { createPhotoProcessing } from '@hoctap/server/modules/evidence-uploads/photo-processing.ts';
import {
  buildWorld,
  clientFor,
  createWorkflowApp,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';
import { testEngine } from '../../helpers/engine.ts';

const PHOTOS = join(import.meta.dirname, '../../fixtures/photos');
const QUEUE_MAX = 3;

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let hh: Client;
let assessmentId: string;
let base: Buffer;

/** A distinct photo each call (different bytes, so no deduplication). */
let serial = 0;
async function uniquePhoto(): Promise<Buffer> {
  serial++;
  return sharp(base)
    .modulate({ brightness: 1 + serial / 100 })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function upload(file: Buffer, code = '1.1') {
  const boundary = `----hoctap${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await env.t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=${code}`,
    headers: { ...hh.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** A second, independent processor on the same database (as another API process would be). */
function processor(blobs: BlobStore, leaseMs = 60_000) {
  return createPhotoProcessing({
    db: env.db,
    clock: env.clock,
    blobs,
    log: { error: () => {}, warn: () => {} },
    options: {
      workers: 1,
      leaseMs,
      pollMs: 60_000,
      maxAttempts: 5,
      retryDelayMs: 10_000,
      singleProcess: testEngine() === 'pglite',
    },
  });
}

async function rowsOf(ids: string[]) {
  return env.db.select().from(evidence).where(inArray(evidence.id, ids));
}

beforeAll(async () => {
  env = await createWorkflowApp({ EVIDENCE_QUEUE_MAX: String(QUEUE_MAX) });
  w = await buildWorld(env.db);
  hh = await clientFor(env.t.app, w.u.hhA1);
  const campaignId = await openCampaign(await clientFor(env.t.app, w.u.officer), w.commune.id);
  assessmentId = randomUUID();
  const r = await hh.post('/assessments', {
    id: assessmentId,
    campaignId,
    subjectType: 'household',
    subjectId: w.hh.hhA1,
  });
  expect(r.status).toBe(201);
  base = readFileSync(join(PHOTOS, 'near-dup-a.jpg'));
});
afterAll(async () => env.t.close());

describe('photo queue', () => {
  it('accepts until the backlog is full, then answers 503 with Retry-After; drained, it accepts again', async () => {
    for (let i = 0; i < QUEUE_MAX; i++) expect((await upload(await uniquePhoto())).status).toBe(201);
    const refused = await upload(await uniquePhoto());
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'BUSY', message: expect.stringContaining('gửi lại') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await env.t.app.services.photoProcessing.drain();
    expect((await upload(await uniquePhoto())).status).toBe(201);
    await env.t.app.services.photoProcessing.drain();
  });

  it('a processor that dies mid-backlog loses nothing: a fresh one finishes the rest, each photo once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < QUEUE_MAX; i++) ids.push((await upload(await uniquePhoto())).body.id);
    const real = createFsBlobStore(join(env.dataDir, 'blobs'));
    // The first processor hangs while storing its 2nd photo, and is then dropped like a crash.
    let puts = 0;
    let stuck!: () => void;
    const hung = new Promise<void>((r) => (stuck = r));
    const hanging: BlobStore = Object.assign(Object.create(real) as BlobStore, {
      put: (key: string, source: string | Buffer) => {
        puts++;
        if (puts === 3) {
          stuck();
          return new Promise(() => {});
        }
        return real.put(key, source);
      },
    });
    // A lease that has already run out when the next processor looks (on PostgreSQL the dead
    // claimer's lease must expire; on PGlite a start voids it anyway).
    const first = processor(hanging, 1);
    void first.drain();
    await hung;
    await first.abandon();
    const mid = await rowsOf(ids);
    expect(mid.filter((r) => r.state === 'ready')).toHaveLength(1);
    expect(mid.filter((r) => r.state === 'processing').length).toBe(QUEUE_MAX - 1);

    const second = processor(real);
    await second.start();
    await second.drain();
    await second.stop();
    const after = await rowsOf(ids);
    expect(after.map((r) => r.state)).toEqual(ids.map(() => 'ready'));
    // Claimed once each, except the one the dead processor held: twice, committed once.
    expect(after.map((r) => r.attempts).sort()).toEqual([1, 1, 2]);
    expect(first.stats().processed + second.stats().processed).toBe(QUEUE_MAX);
    for (const r of after) {
      expect(await real.exists(r.imageKey)).toBe(true);
      expect(r.originalKey).toBeNull();
    }
  });

  it('two processors on one database never claim the same photo', async () => {
    const ids: string[] = [];
    for (let i = 0; i < QUEUE_MAX; i++) ids.push((await upload(await uniquePhoto(), '1.2')).body.id);
    const blobs = createFsBlobStore(join(env.dataDir, 'blobs'));
    const [a, b] = [processor(blobs), processor(blobs)];
    await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(), b.stop()]);
    const after = await rowsOf(ids);
    expect(after.every((r) => r.state === 'ready' && r.attempts === 1)).toBe(true);
    expect(a.stats().processed + b.stats().processed).toBe(QUEUE_MAX);
    const [one] = await env.db.select().from(evidence).where(eq(evidence.id, ids[0]!));
    expect(one?.leaseToken).toBeNull();
  });
});
