// The whole photo path with BLOB_STORE=s3: upload → processing → served through the authorised
// route, and the sweeper, against an S3-compatible server started here on loopback.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { S3BlobStore } from '@hoctap/server/storage/index.ts';
import {
  buildWorld,
  clientFor,
  createWorkflowApp,
  openCampaign,
  type Client,
} from '../../helpers/workflow-fixtures.ts';
import { startS3, type TestS3 } from '../../helpers/s3-server.ts';

let s3: TestS3;
let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let hh: Client;
let leader: Client;
let assessmentId: string;

beforeAll(async () => {
  s3 = await startS3();
  env = await createWorkflowApp({
    BLOB_STORE: 's3',
    S3_ENDPOINT: s3.config.endpoint!,
    S3_BUCKET: s3.config.bucket,
    S3_REGION: s3.config.region,
    S3_ACCESS_KEY_ID: s3.config.accessKeyId!,
    S3_SECRET_ACCESS_KEY: s3.config.secretAccessKey!,
    S3_FORCE_PATH_STYLE: 'true',
    S3_PREFIX: `app-${randomUUID().slice(0, 8)}/`,
  });
  const w = await buildWorld(env.db);
  hh = await clientFor(env.t.app, w.u.hhA1);
  leader = await clientFor(env.t.app, w.u.leaderA);
  const campaignId = await openCampaign(await clientFor(env.t.app, w.u.officer), w.commune.id);
  assessmentId = randomUUID();
  await hh.post('/assessments', { id: assessmentId, campaignId, subjectType: 'household', subjectId: w.hh.hhA1 });
});
afterAll(async () => {
  await env?.t.close();
  await s3?.close();
});

describe('photo evidence on S3', () => {
  it('uploads to S3, processes, and serves the photo only through the authorised route', async () => {
    const file = readFileSync(join(import.meta.dirname, '../../fixtures/photos/exif-gps-orient6.jpg'));
    const boundary = `----hoctap${randomUUID()}`;
    const res = await env.t.app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=1.1`,
      headers: { ...hh.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const early = await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/image`, headers: leader.auth });
    expect(early.statusCode).toBe(409);

    await env.t.app.services.photoProcessing.drain();
    const img = await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/image`, headers: leader.auth });
    expect(img.statusCode).toBe(200);
    expect(Number(img.headers['content-length'])).toBe(img.rawPayload.length);
    const meta = await sharp(img.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['jpeg', 360, 480, undefined]);

    // The original went from S3 once processed; the sweeper runs on S3 too.
    const store = s3.store(env.t.config.blobStore.kind === 's3' ? env.t.config.blobStore.prefix : '');
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(await store.exists(`originals/${id}`)).toBe(false);
    await store.put('originals/orphan', Buffer.from('left by a crash'));
    const swept = await env.t.app.services.evidence.sweepOrphans({ olderThanMs: -1 });
    expect(swept.deleted).toEqual(['originals/orphan']);
    const again = await env.t.app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/image`, headers: leader.auth });
    expect(again.statusCode).toBe(200);
  });
});
