import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { checkConsistency } from '@hoctap/server/ops/consistency.ts';
import { createFsBlobStore } from '@hoctap/server/storage/index.ts';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { createPrivacyService } from '@hoctap/server/modules/privacy/privacy.service.ts';
import { consentTextHash } from '@hoctap/server/modules/identity/consent-texts.ts';
import {
  buildWorld,
  clientsFor,
  createWorkflowApp,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';
import { decide, multipartBody, photo, prepareDraft, submit, type Upload } from '../../faults/lib/flow.ts';

/**
 * The data subject's rights: consents changed at any time, export (JSON and ZIP with photos, own
 * data only), withdraw + delete (personal data gone, counts and decided results kept, a photo
 * shared with another household survives), and photo retention after the campaign closes.
 */

const NAME_A1 = 'Nguyễn Văn An';
const PHONE_A1 = '0912345678';
const NAME_B1 = 'Phạm Thị Dung';

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let hhA1: Client, hhA2: Client, hhB1: Client, leaderA: Client, officer: Client;
let a1: { assessmentId: string; evidenceId: string };
let a1Shared: string;
let a2: { assessmentId: string; evidenceId: string };
let b1: { assessmentId: string; evidenceId: string };

const db = () => env.db;
const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await env.db.execute(query));
const blobs = () => createFsBlobStore(join(env.dataDir, 'blobs'));
const blobPath = (key: string) => join(env.dataDir, 'blobs', ...key.split('/'));
const check = async () => (await checkConsistency({ db: db(), blobs: blobs() })).problems;

const upload: Upload = async (c, id, code, file) => {
  const m = multipartBody(file);
  const res = await env.t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${id}/evidence?indicatorCode=${code}`,
    headers: { ...c.auth, ...m.headers },
    payload: m.payload,
  });
  return { status: res.statusCode, body: res.json() };
};

/** Every table whose text form mentions `needle` (a full scan, like an auditor would do). */
async function tablesMentioning(needle: string): Promise<string[]> {
  const tables = await q<{ t: string }>(
    sql`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
  );
  const hits: string[] = [];
  for (const { t } of tables) {
    const [r] = await q<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(t)} x where x::text like ${`%${needle}%`}`,
    );
    if (Number(r!.n) > 0) hits.push(t);
  }
  return hits;
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(db());
  await env.db.execute(sql`update users set phone = ${PHONE_A1} where id = ${w.u.hhA1}::uuid`);
  await env.db.execute(
    sql`update households set phone = ${PHONE_A1}, address = 'Số 12, ấp Mỹ Phú' where id = ${w.hh.hhA1}::uuid`,
  );
  let hamletHead: Client;
  [hhA1, hhA2, hhB1, leaderA, officer, hamletHead] = (await clientsFor(env.t.app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.leaderA,
    w.u.officer,
    w.u.hamletHead1,
  ])) as [Client, Client, Client, Client, Client, Client];
  const leaderB = (await clientsFor(env.t.app, [w.u.leaderB]))[0];
  campaignId = await openCampaign(officer, w.commune.id);
  a1 = await prepareDraft(hhA1, upload, campaignId, w.hh.hhA1, photo('exif-gps-orient6.jpg'));
  // The same photo as household A2's: one blob, two households.
  const shared = await upload(hhA1, a1.assessmentId, '2.1', photo('different.jpg'));
  expect(shared.status).toBe(201);
  a1Shared = String(shared.body.id);
  await hhA1.put(`/assessments/${a1.assessmentId}/answers/1.2`, { points: 10, note: `Con của ${NAME_A1} học giỏi` });
  a2 = await prepareDraft(hhA2, upload, campaignId, w.hh.hhA2, photo('different.jpg'));
  expect((await leaderA.post(`/assessments/${a2.assessmentId}/comments`, { body: 'Ảnh rõ, cảm ơn' })).status).toBe(201);
  b1 = await prepareDraft(hhB1, upload, campaignId, w.hh.hhB1, photo('plain.png'));
  await env.t.app.services.photoProcessing.drain(); // photos have their files once processed
  await submit(hhB1, b1.assessmentId);
  await decide({ leader: leaderB!, hamletHead: hamletHead!, officer }, campaignId, w.hamlet1.id, [b1.assessmentId]);
}, 600_000);
afterAll(async () => env.t.close());

describe('consents at any time', () => {
  it('withdrawing the photo consent blocks uploads; granting it again later unblocks them', async () => {
    const state = await hhA2.get('/me/consents');
    expect(state.status).toBe(200);
    expect(state.body.live).toMatchObject({ evaluation: true, photos: true });
    const off = await hhA2.post('/me/consents/withdraw', { purposes: ['photos'] });
    expect(off.body.live.photos).toBe(false);
    const refused = await upload(hhA2, a2.assessmentId, '1.2', photo('near-dup-b.jpg'));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CONSENT_REQUIRED');
    const on = await hhA2.post('/me/consents', { purposes: ['photos'], textVersion: state.body.version });
    expect(on.body.live.photos).toBe(true);
    expect((await upload(hhA2, a2.assessmentId, '1.2', photo('near-dup-b.jpg'))).status).toBe(201);
  });
});

describe('consent words fit the reader', () => {
  it('a household reads about its household; a tổ leader reads about the records given to them, and the log keeps the hash of those words', async () => {
    const mine = await hhA2.get('/me/consents');
    expect(mine.body.texts.evaluation.text).toContain('thông tin hộ gia đình tôi');
    const staff = await leaderA.get('/me/consents');
    expect(staff.status).toBe(200);
    expect(staff.body.texts.evaluation.text).toContain('được giao phụ trách');
    expect(staff.body.texts.evaluation.text).not.toBe(mine.body.texts.evaluation.text);
    const granted = await leaderA.post('/me/consents', { purposes: ['evaluation'], textVersion: staff.body.version });
    expect(granted.status).toBe(200);
    const [row] = await q<{ text_hash: string }>(
      sql`select text_hash from consents where user_id = ${w.u.leaderA} order by at desc limit 1`,
    );
    expect(row!.text_hash).toBe(consentTextHash('evaluation', 'staff'));
  });
});

describe('export my data', () => {
  it('JSON: my account, consents, household, assessments with answers and photos; nothing of anyone else', async () => {
    const r = await hhA1.get('/me/data');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toContain('no-store');
    const d = r.body;
    expect(d.account).toMatchObject({ id: w.u.hhA1, displayName: NAME_A1, phone: PHONE_A1 });
    expect(d.household).toMatchObject({ id: w.hh.hhA1, headName: NAME_A1, phone: PHONE_A1 });
    expect(d.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual(['evaluation', 'photos']);
    expect(d.assessments).toHaveLength(1);
    expect(d.assessments[0].answers).toHaveLength(10);
    expect(d.assessments[0].photos.map((p: { id: string }) => p.id).sort()).toEqual([a1.evidenceId, a1Shared].sort());
    const text = JSON.stringify(d);
    for (const other of [w.hh.hhA2, a2.assessmentId, a2.evidenceId, w.u.hhA2, 'Trần Thị Bình', b1.assessmentId])
      expect(text).not.toContain(other);
  });

  it('a leader gets their own data only, not the households they verify', async () => {
    const text = JSON.stringify((await leaderA.get('/me/data')).body);
    expect(text).toContain(w.hh.hhLeaderA);
    for (const other of [a1.assessmentId, a2.assessmentId, NAME_A1, 'Trần Thị Bình']) expect(text).not.toContain(other);
  });

  it('ZIP: data.json and my photos, the same bytes the photo route serves', async () => {
    const res = await env.t.app.inject({ method: 'GET', url: '/api/v1/me/data/export', headers: hhA1.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files).sort()).toEqual(
      ['anh/' + a1.evidenceId + '.jpg', 'anh/' + a1Shared + '.jpg', 'data.json'].sort(),
    );
    const json = JSON.parse(Buffer.from(files['data.json']!).toString('utf8'));
    expect(json.account.id).toBe(w.u.hhA1);
    const img = await env.t.app.inject({
      method: 'GET',
      url: `/api/v1/evidence/${a1.evidenceId}/image`,
      headers: hhA1.auth,
    });
    expect(Buffer.from(files[`anh/${a1.evidenceId}.jpg`]!).equals(img.rawPayload)).toBe(true);
  });

  it('a photo still being processed is listed without a file, and the ZIP stays whole', async () => {
    const late = await upload(hhA1, a1.assessmentId, '1.2', photo('near-dup-a.jpg'));
    expect(late.status).toBe(201);
    try {
      const json = (await hhA1.get('/me/data')).body;
      const listed = json.assessments.flatMap((a: { photos: { id: string; file: string | null }[] }) => a.photos);
      expect(listed.find((p: { id: string }) => p.id === late.body.id)).toMatchObject({ file: null });
      const res = await env.t.app.inject({ method: 'GET', url: '/api/v1/me/data/export', headers: hhA1.auth });
      expect(res.statusCode).toBe(200);
      const files = unzipSync(new Uint8Array(res.rawPayload));
      expect(Object.keys(files)).toHaveLength(3); // data.json + the two processed photos
      expect(Object.keys(files)).not.toContain(`anh/${late.body.id}.jpg`);
    } finally {
      expect((await hhA1.del(`/evidence/${late.body.id}`)).status).toBe(204);
    }
  });

  it('needs a signed-in caller', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/me/data'],
      ['GET', '/api/v1/me/data/export'],
      ['POST', '/api/v1/me/erase'],
    ] as const)
      expect(
        (await env.t.app.inject({ method, url, payload: method === 'POST' ? { confirm: true } : undefined }))
          .statusCode,
      ).toBe(401);
  });
});

describe('withdraw and delete', () => {
  it('refuses a body without the explicit confirmation', async () => {
    expect((await hhA1.post('/me/erase', {})).status).toBe(400);
    expect((await hhA1.post('/me/erase', { confirm: true, also: 1 })).status).toBe(400);
    expect((await hhA1.post('/me/erase', { confirm: 'true' })).status).toBe(400);
  });

  it('removes the personal data of an open assessment, keeps the shared photo, signs the person out', async () => {
    const keys = await q<{ id: string; image_key: string }>(
      sql`select id, image_key from evidence where assessment_id = ${a1.assessmentId}::uuid`,
    );
    const own = keys.find((k) => k.id === a1.evidenceId)!.image_key;
    const shared = keys.find((k) => k.id === a1Shared)!.image_key;
    expect(await tablesMentioning(NAME_A1)).not.toEqual([]);

    const r = await hhA1.post('/me/erase', { confirm: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      assessments: 1,
      withdrawn: 1,
      photos: 2,
      photoFilesDeleted: 2,
      householdErased: true,
    });

    expect((await hhA1.get('/me')).status).toBe(401);
    expect(await tablesMentioning(NAME_A1)).toEqual([]);
    expect(await tablesMentioning(PHONE_A1)).toEqual([]);
    expect(existsSync(blobPath(own))).toBe(false);
    // Household A2 still has the same photo: its file stays and is still served.
    expect(existsSync(blobPath(shared))).toBe(true);
    const img = await env.t.app.inject({
      method: 'GET',
      url: `/api/v1/evidence/${a2.evidenceId}/image`,
      headers: hhA2.auth,
    });
    expect(img.statusCode).toBe(200);
    const [a] = await q<{ state: string; subject_name: string }>(
      sql`select state, subject_name from assessments where id = ${a1.assessmentId}::uuid`,
    );
    expect(a).toEqual({ state: 'withdrawn', subject_name: 'Hộ đã xóa dữ liệu' });
    // No live photo row is left (coordinates are never stored at all: see workflow/evidence.test.ts).
    const [live] = await q<{ n: number }>(
      sql`select count(*)::int as n from evidence where assessment_id = ${a1.assessmentId}::uuid and deleted_at is null`,
    );
    expect(Number(live!.n)).toBe(0);
    expect(await check()).toEqual([]);
  });

  it('keeps a decided result and the counts of past reports, without the name', async () => {
    const counts = () =>
      q<{ unit_id: string; state: string; n: number }>(
        sql`select unit_id, state, n from assessment_counts where campaign_id = ${campaignId}::uuid and state = 'recognised' order by unit_id`,
      );
    const before = await counts();
    expect(before.length).toBeGreaterThan(0);
    const r = await hhB1.post('/me/erase', { confirm: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ withdrawn: 0, householdErased: true });
    expect(await counts()).toEqual(before);
    const [a] = await q<{ state: string; subject_name: string; certificate_no: string | null }>(
      sql`select state, subject_name, certificate_no from assessments where id = ${b1.assessmentId}::uuid`,
    );
    expect(a).toMatchObject({ state: 'recognised', subject_name: 'Hộ đã xóa dữ liệu' });
    expect(a!.certificate_no).toBeTruthy();
    expect(await tablesMentioning(NAME_B1)).toEqual([]);
    const summary = await officer.get(`/campaigns/${campaignId}/decisions`);
    expect(summary.body.items[0]).toMatchObject({ recognisedCount: 1 });
    expect(await check()).toEqual([]);
  });
});

describe('photo retention after the campaign closes', () => {
  it('keeps photos while open and within the retention period, then deletes them (files too), keeping the results', async () => {
    const privacy = createPrivacyService({ db: db(), clock: env.clock, blobs: blobs(), retentionDays: 30 });
    const live = async () =>
      Number((await q<{ n: number }>(sql`select count(*)::int as n from evidence where deleted_at is null`))[0]!.n);
    const before = await live();
    expect(before).toBeGreaterThan(0);
    expect((await privacy.purgeExpiredPhotos()).photos).toBe(0);
    expect((await officer.post(`/campaigns/${campaignId}/close`, {})).status).toBe(200);
    expect((await privacy.purgeExpiredPhotos(new Date(env.clock.now().getTime() + 29 * 86_400_000))).photos).toBe(0);
    const keys = await q<{ image_key: string }>(sql`select image_key from evidence where deleted_at is null`);
    const states = await q(sql`select id, state from assessments order by id`);

    const r = await privacy.purgeExpiredPhotos(new Date(env.clock.now().getTime() + 31 * 86_400_000));
    expect(r.photos).toBe(before);
    expect(await live()).toBe(0);
    for (const k of keys) expect(existsSync(blobPath(k.image_key))).toBe(false);
    expect(await q(sql`select id, state from assessments order by id`)).toEqual(states);
    expect(await check()).toEqual([]);
  });
});
