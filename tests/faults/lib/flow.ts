import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GDHT_CODES, fillAll, type Client } from '../../helpers/workflow-fixtures.ts';

/**
 * One household's year, driven through the public API by whatever client the caller has
 * (app.inject in integration tests, real HTTP against a child process in the fault suite):
 * register → answers → photo → submit → verify → hamlet review → decision.
 */

const PHOTOS = join(import.meta.dirname, '../../fixtures/photos');
export const photo = (name: string): Buffer => readFileSync(join(PHOTOS, name));

export function multipartBody(file: Buffer, filename = 'anh.jpg', contentType = 'image/jpeg') {
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

export type Upload = (
  c: Client,
  assessmentId: string,
  code: string,
  file: Buffer,
) => Promise<{ status: number; body: { id?: string } & Record<string, unknown> }>;

function expectStatus(what: string, r: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Milestones around `now`, so a server on the real clock is inside the self-assessment phase. */
export function milestonesAround(now: Date) {
  const day = 86_400_000;
  const at = (d: number) => new Date(now.getTime() + d * day).toISOString();
  return {
    registrationOpensAt: at(-1),
    selfAssessmentDueAt: at(10),
    verificationDueAt: at(20),
    recognitionDueAt: at(30),
    reportDueAt: at(40),
  };
}

export async function registerHousehold(c: Client, campaignId: string, subjectId: string): Promise<string> {
  const id = randomUUID();
  const r = await c.post('/assessments', { id, campaignId, subjectType: 'household', subjectId });
  expectStatus('register', r, 201);
  return id;
}

/** Draft with every indicator answered (10 points each) and one photo on 1.1. */
export async function prepareDraft(
  c: Client,
  upload: Upload,
  campaignId: string,
  subjectId: string,
  file: Buffer,
): Promise<{ assessmentId: string; evidenceId: string }> {
  const assessmentId = await registerHousehold(c, campaignId, subjectId);
  await fillAll(c, assessmentId, GDHT_CODES, 10);
  const up = await upload(c, assessmentId, '1.1', file);
  expectStatus('upload', up, 200, 201);
  return { assessmentId, evidenceId: String(up.body.id) };
}

export async function submit(c: Client, assessmentId: string, key = randomUUID()) {
  const r = await c.post(`/assessments/${assessmentId}/submit`, {}, { 'idempotency-key': key });
  expectStatus('submit', r, 200);
  return r;
}

/** Verify every listed assessment, review the hamlet, decide: each ends recognised. */
export async function decide(
  actors: { leader: Client; hamletHead: Client; officer: Client },
  campaignId: string,
  hamletId: string,
  assessmentIds: string[],
  number = '12/QĐ-UBND',
) {
  for (const id of assessmentIds)
    expectStatus('verify', await actors.leader.post(`/assessments/${id}/verify`, { answers: [] }), 200);
  expectStatus(
    'review',
    await actors.hamletHead.post('/assessments/review', { campaignId, hamletId, subjectType: 'household' }),
    200,
  );
  const d = await actors.officer.post(`/campaigns/${campaignId}/decisions`, {
    subjectType: 'household',
    number,
    decidedOn: '2026-11-10',
    signer: 'Nguyễn Văn Chủ Tịch',
  });
  expectStatus('decision', d, 201);
  return d.body as { id: string; results: { assessmentId: string; recognised: boolean }[] };
}
