import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { checkConsistency, formatReport, type ProblemKind } from '@hoctap/server/ops/consistency.ts';
import { createFsBlobStore, evidenceBlobKey } from '@hoctap/server/storage/index.ts';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import {
  buildWorld,
  clientsFor,
  createWorkflowApp,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';
import {
  decide,
  multipartBody,
  photo,
  prepareDraft,
  registerHousehold,
  submit,
  type Upload,
} from '../../faults/lib/flow.ts';

let env: Awaited<ReturnType<typeof createWorkflowApp>>;
let w: World;
let campaignId: string;
let recognised: string[];
let evidenceKey: string;
let decisionId: string;

const blobs = () => createFsBlobStore(join(env.dataDir, 'blobs'));
const check = (now = new Date()) => checkConsistency({ db: env.db, blobs: blobs() }, { now });
const kinds = async () => (await check()).problems.map((p) => p.kind);
const exec = (q: ReturnType<typeof sql>) => env.db.execute(q);

const upload: Upload = async (c, assessmentId, code, file) => {
  const m = multipartBody(file);
  const res = await env.t.app.inject({
    method: 'POST',
    url: `/api/v1/assessments/${assessmentId}/evidence?indicatorCode=${code}`,
    headers: { ...c.auth, ...m.headers },
    payload: m.payload,
  });
  return { status: res.statusCode, body: res.json() };
};

/** Corrupts, expects exactly these problems, repairs, expects a clean report again. */
async function corruption(expected: ProblemKind[], corrupt: () => Promise<void>, repair: () => Promise<void>) {
  await corrupt();
  try {
    expect((await kinds()).sort()).toEqual([...expected].sort());
  } finally {
    await repair();
  }
  expect((await check()).problems).toEqual([]);
}

beforeAll(async () => {
  env = await createWorkflowApp();
  w = await buildWorld(env.db);
  const [hhA1, hhA2, hhB1, leaderA, hamletHead, officer] = (await clientsFor(env.t.app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.leaderA,
    w.u.hamletHead1,
    w.u.officer,
  ])) as Client[];
  campaignId = await openCampaign(officer!, w.commune.id);
  const a1 = await prepareDraft(hhA1!, upload, campaignId, w.hh.hhA1, photo('different.jpg'));
  const a2 = await prepareDraft(hhA2!, upload, campaignId, w.hh.hhA2, photo('plain.png'));
  await env.t.app.services.photoProcessing.drain(); // blobs exist once the photos are processed
  await submit(hhA1!, a1.assessmentId);
  await submit(hhA2!, a2.assessmentId);
  const d = await decide({ leader: leaderA!, hamletHead: hamletHead!, officer: officer! }, campaignId, w.hamlet1.id, [
    a1.assessmentId,
    a2.assessmentId,
  ]);
  decisionId = d.id;
  recognised = d.results.filter((r) => r.recognised).map((r) => r.assessmentId);
  await registerHousehold(hhB1!, campaignId, w.hh.hhB1); // one draft in another tổ
  const [row] = rowsOf<{ image_key: string }>(
    await exec(sql`select image_key from evidence where id = ${a1.evidenceId}::uuid`),
  );
  evidenceKey = row!.image_key;
});
afterAll(async () => {
  await env.t.close();
  rmSync(env.dataDir, { recursive: true, force: true });
});

describe('consistency checker', () => {
  it('a full flow (photos, submit, verify, review, decision) is consistent', async () => {
    expect(recognised).toHaveLength(2);
    const r = await check();
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checked).toMatchObject({ evidenceRows: 2, blobs: 4, pendingBlobs: 0, decidedResults: 2 });
    expect(r.checked.countRows).toBeGreaterThan(0);
    expect(formatReport(r)).toContain('không có vấn đề nào');
  });

  it('finds a photo whose file is missing', async () => {
    const path = join(env.dataDir, 'blobs', ...evidenceKey.split('/'));
    const bytes = readFileSync(path);
    await corruption(
      ['evidence_blob_missing'],
      async () => rmSync(path),
      async () => writeFileSync(path, bytes),
    );
  });

  it('finds a file no photo references once it is older than the grace period; a young one is a pending upload', async () => {
    const key = evidenceBlobKey('ab'.repeat(32), 'image');
    const path = join(env.dataDir, 'blobs', ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from('orphan'));
    const young = await check();
    expect(young.ok).toBe(true);
    expect(young.checked.pendingBlobs).toBe(1);
    const old = new Date(Date.now() - 48 * 3600_000);
    await corruption(
      ['blob_unreferenced'],
      async () => utimesSync(path, old, old),
      async () => rmSync(path),
    );
    const report = formatReport(
      await (async () => {
        writeFileSync(path, Buffer.from('orphan'));
        utimesSync(path, old, old);
        try {
          return await check();
        } finally {
          rmSync(path);
        }
      })(),
    );
    expect(report).toContain('không thuộc ảnh minh chứng nào');
    expect(report).toContain('is referenced by no evidence row');
  });

  it('blobs of a removed photo wait for the sweeper without being a problem', async () => {
    const [row] = rowsOf<{ id: string }>(await exec(sql`select id from evidence order by id limit 1`));
    await exec(sql`update evidence set deleted_at = now() where id = ${row!.id}::uuid`);
    try {
      const r = await check();
      expect(r.problems).toEqual([]);
      expect(r.checked.awaitingSweep).toBe(2);
    } finally {
      await exec(sql`update evidence set deleted_at = null where id = ${row!.id}::uuid`);
    }
  });

  it('finds a recognised result without its decision, or without its certificate number', async () => {
    const id = recognised[0]!;
    // Dropping the link also makes the decision's own count disagree with its results.
    await corruption(
      ['decision_missing', 'decision_counts'],
      async () => void (await exec(sql`update assessments set decision_id = null where id = ${id}::uuid`)),
      async () =>
        void (await exec(sql`update assessments set decision_id = ${decisionId}::uuid where id = ${id}::uuid`)),
    );
    const [cert] = rowsOf<{ certificate_no: string }>(
      await exec(sql`select certificate_no from assessments where id = ${id}::uuid`),
    );
    await corruption(
      ['certificate_missing'],
      async () => void (await exec(sql`update assessments set certificate_no = null where id = ${id}::uuid`)),
      async () =>
        void (await exec(sql`update assessments set certificate_no = ${cert!.certificate_no} where id = ${id}::uuid`)),
    );
  });

  it('finds a decision whose counts disagree with its results, or that belongs to another title', async () => {
    await corruption(
      ['decision_counts'],
      async () =>
        void (await exec(
          sql`update decisions set recognised_count = recognised_count + 1 where id = ${decisionId}::uuid`,
        )),
      async () =>
        void (await exec(
          sql`update decisions set recognised_count = recognised_count - 1 where id = ${decisionId}::uuid`,
        )),
    );
    await corruption(
      ['decision_mismatch', 'decision_mismatch'],
      async () => void (await exec(sql`update decisions set subject_type = 'clan' where id = ${decisionId}::uuid`)),
      async () =>
        void (await exec(sql`update decisions set subject_type = 'household' where id = ${decisionId}::uuid`)),
    );
  });

  it('finds maintained counts that differ from a recount (changed, missing, extra)', async () => {
    await corruption(
      ['counts_mismatch'],
      async () =>
        void (await exec(
          sql`update assessment_counts set n = n + 1 where unit_id = ${w.hamlet1.id}::uuid and state = 'recognised'`,
        )),
      async () =>
        void (await exec(
          sql`update assessment_counts set n = n - 1 where unit_id = ${w.hamlet1.id}::uuid and state = 'recognised'`,
        )),
    );
    // A state change applied to the assessment but not to the counts (province, commune, hamlet rows).
    const draft = rowsOf<{ id: string }>(await exec(sql`select id from assessments where state = 'draft'`))[0]!;
    await corruption(
      [
        'counts_mismatch',
        'counts_mismatch',
        'counts_mismatch',
        'counts_mismatch',
        'counts_mismatch',
        'counts_mismatch',
      ],
      async () => void (await exec(sql`update assessments set state = 'submitted' where id = ${draft.id}::uuid`)),
      async () => void (await exec(sql`update assessments set state = 'draft' where id = ${draft.id}::uuid`)),
    );
    const problems = (
      await (async () => {
        await exec(sql`delete from assessment_counts where unit_id = ${w.province.id}::uuid and state = 'draft'`);
        try {
          return (await check()).problems;
        } finally {
          await exec(sql`insert into assessment_counts (campaign_id, unit_id, subject_type, state, n)
          values (${campaignId}::uuid, ${w.province.id}::uuid, 'household', 'draft', 1)`);
        }
      })()
    ).filter((p) => p.kind === 'counts_mismatch');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.detail).toMatchObject({ unitId: w.province.id, state: 'draft', stored: 0, recount: 1 });
    expect((await check()).ok).toBe(true);
  });

  it('finds registry denominators that differ from a recount of the registry', async () => {
    await corruption(
      ['registry_counts_mismatch'],
      async () =>
        void (await exec(
          sql`update registry_counts set n = n + 1 where hamlet_key = ${w.hamlet1.id}::uuid and subject_type = 'household'`,
        )),
      async () =>
        void (await exec(
          sql`update registry_counts set n = n - 1 where hamlet_key = ${w.hamlet1.id}::uuid and subject_type = 'household'`,
        )),
    );
  });

  it('a photo still waiting for processing needs its original, not yet its image and thumbnail', async () => {
    const [hhB1] = (await clientsFor(env.t.app, [w.u.hhB1])) as Client[];
    const draft = rowsOf<{ id: string }>(
      await exec(sql`select id from assessments where subject_id = ${w.hh.hhB1}::uuid`),
    )[0]!;
    const up = await upload(hhB1!, draft.id, '1.1', photo('near-dup-a.jpg'));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const [row] = rowsOf<{ state: string; original_key: string }>(
      await exec(sql`select state, original_key from evidence where id = ${String(up.body.id)}::uuid`),
    );
    expect(row!.state).toBe('processing');
    const r = await check();
    expect(r.problems).toEqual([]);
    expect(r.checked.pendingBlobs).toBe(0); // the original is the row's, not an orphan

    const path = join(env.dataDir, 'blobs', ...row!.original_key.split('/'));
    const bytes = readFileSync(path);
    await corruption(
      ['evidence_blob_missing'],
      async () => rmSync(path),
      async () => writeFileSync(path, bytes),
    );

    await env.t.app.services.photoProcessing.drain();
    const after = await check();
    expect(after.problems).toEqual([]);
    expect(after.checked.blobs).toBe(6); // two more derivatives, the original deleted once processed
  });
});
