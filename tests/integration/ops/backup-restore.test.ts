import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { connect, type Database } from '@hoctap/server/db/connect.ts';
import { runMigrations } from '@hoctap/server/db/migrate.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { testEngine } from '../../helpers/engine.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { withDatabase } from '../../helpers/global-setup.ts';
import { buildWorld, clientsFor, openCampaign, T0, type Client } from '../../helpers/workflow-fixtures.ts';
import { decide, multipartBody, photo, prepareDraft, registerHousehold, submit } from '../../faults/lib/flow.ts';

/**
 * `npm run backup` then `npm run restore` into a fresh database and blob directory: the restore
 * passes the consistency checker (the script runs it), holds the same rows and the same photos,
 * and the checker run on the restored copy does catch a photo that went missing.
 * PostgreSQL: pg_dump/pg_restore into a new database. PGlite: a file data directory, server stopped.
 */

const ROOT = join(import.meta.dirname, '../../..');
const TABLES = ['assessments', 'answers', 'evidence', 'decisions', 'assessment_counts', 'audit_events', 'users'];
const engine = testEngine();

let source: { database: Database; dataDir: string; url?: string; close(): Promise<void> };
let app: App;
let sourceCounts: Record<string, number>;

function script(name: string, args: string[], env: Record<string, string | undefined>) {
  const { DATABASE_URL: _d, DATA_DIR: _x, ...base } = process.env;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', name), ...args], {
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

async function tableCounts(database: Database) {
  const out: Record<string, number> = {};
  for (const t of TABLES)
    out[t] = Number(
      rowsOf<{ n: number }>(await database.db.execute(sql.raw(`select count(*)::int as n from ${t}`)))[0]!.n,
    );
  return out;
}

const blobList = (dir: string) =>
  readdirSync(join(dir, 'blobs', 'sha256'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-backup-src-'));
  if (engine === 'pg') {
    const db: TestDatabase = await createTestDatabase();
    source = { database: db.database, dataDir, url: db.url!, close: () => db.close() };
  } else {
    const client = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
    const database = await connect({ kind: 'pglite', client });
    await runMigrations(database);
    source = { database, dataDir, close: () => client.close() };
  }
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEV_LOGIN: 'true', DATA_DIR: dataDir });
  app = await buildApp(config, { database: source.database, clock: manualClock(T0), logger: false });
  await app.ready();
  const w = await buildWorld(source.database.db);
  const [hhA1, hhA2, hhB1, leaderA, hamletHead, officer] = (await clientsFor(app, [
    w.u.hhA1,
    w.u.hhA2,
    w.u.hhB1,
    w.u.leaderA,
    w.u.hamletHead1,
    w.u.officer,
  ])) as Client[];
  const upload = async (c: Client, id: string, code: string, file: Buffer) => {
    const m = multipartBody(file);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${id}/evidence?indicatorCode=${code}`,
      headers: { ...c.auth, ...m.headers },
      payload: m.payload,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const campaignId = await openCampaign(officer!, w.commune.id);
  const a1 = await prepareDraft(hhA1!, upload, campaignId, w.hh.hhA1, photo('different.jpg'));
  const a2 = await prepareDraft(hhA2!, upload, campaignId, w.hh.hhA2, photo('plain.png'));
  await app.services.photoProcessing.drain(); // the backup holds processed photos
  await submit(hhA1!, a1.assessmentId);
  await submit(hhA2!, a2.assessmentId);
  await decide({ leader: leaderA!, hamletHead: hamletHead!, officer: officer! }, campaignId, w.hamlet1.id, [
    a1.assessmentId,
  ]);
  await registerHousehold(hhB1!, campaignId, w.hh.hhB1);
  sourceCounts = await tableCounts(source.database);
  await app.close();
  // PGlite is single-process: the backup copies its files with the server stopped.
  if (engine === 'pglite') await source.close();
}, 600_000);
afterAll(async () => {
  if (engine === 'pg') await source?.close();
  rmSync(source.dataDir, { recursive: true, force: true });
});

describe(`backup and restore (${engine})`, () => {
  it('restores into a fresh database that passes the consistency checker, with the same rows and photos', async () => {
    const backupDir = join(mkdtempSync(join(tmpdir(), 'hoctap-backup-')), 'b');
    const target = mkdtempSync(join(tmpdir(), 'hoctap-restore-'));
    let freshUrl: string | undefined;
    let admin: pg.Client | undefined;
    let freshName = '';
    try {
      const backup = script('backup.mjs', [backupDir], { DATABASE_URL: source.url, DATA_DIR: source.dataDir });
      expect(backup.status, backup.out).toBe(0);
      expect(backup.out).toContain('Đã sao lưu');

      if (engine === 'pg') {
        admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        freshName = `hoctap_restore_${randomBytes(4).toString('hex')}`;
        await admin.query(`create database ${freshName}`);
        freshUrl = withDatabase(process.env.TEST_DATABASE_URL!, freshName);
      }
      const restore = script('restore.mjs', [backupDir], { DATABASE_URL: freshUrl, DATA_DIR: target });
      expect(restore.status, restore.out).toBe(0);
      expect(restore.out).toContain('không có vấn đề nào');
      expect(blobList(target)).toEqual(blobList(source.dataDir));
      expect(blobList(target)).toHaveLength(4);

      const restored = await connect(
        engine === 'pg'
          ? { kind: 'pg', url: freshUrl!, poolMax: 2 }
          : { kind: 'pglite', dataDir: join(target, 'pglite') },
      );
      try {
        expect(await tableCounts(restored)).toEqual(sourceCounts);
      } finally {
        await restored.close();
      }

      // The checker on the restored copy is not a rubber stamp: a missing photo fails it.
      const [first] = readdirSync(join(target, 'blobs', 'sha256'), { recursive: true, withFileTypes: true }).filter(
        (d) => d.isFile() && d.name.endsWith('-image.jpg'),
      );
      rmSync(join(first!.parentPath, first!.name));
      const broken = script('check-consistency.mjs', [], { DATABASE_URL: freshUrl, DATA_DIR: target });
      expect(broken.status, broken.out).toBe(1);
      expect(broken.out).toContain('thiếu tệp');
      expect(sourceCounts.decisions).toBe(1);
    } finally {
      if (admin) {
        await admin.query(`drop database if exists ${freshName} with (force)`);
        await admin.end();
      }
      rmSync(target, { recursive: true, force: true });
      rmSync(join(backupDir, '..'), { recursive: true, force: true });
    }
    // Three child processes (backup, restore + checker, checker), each opening the database.
  }, 600_000);
});
