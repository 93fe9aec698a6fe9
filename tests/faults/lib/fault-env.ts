import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Database } from '@hoctap/server/db/connect.ts';
import { runMigrations } from '@hoctap/server/db/migrate.ts';
import { checkConsistency } from '@hoctap/server/ops/consistency.ts';
import { createFsBlobStore, type BlobStore } from '@hoctap/server/storage/index.ts';
import { startApi, type ApiProcess } from './api-process.ts';
import { startCluster, type Cluster } from './pg-cluster.ts';

/**
 * One fault-test world: its own PostgreSQL cluster, a migrated database the test can also write
 * to directly (fixtures, locks, assertions), a blob directory and the API as a child process.
 */
export interface FaultEnv {
  cluster: Cluster;
  url: string;
  database: Database;
  dataDir: string;
  api: ApiProcess;
  /** The API's blob store, opened by the test (same directory). */
  blobs: BlobStore;
  check(): ReturnType<typeof checkConsistency>;
  close(): Promise<void>;
}

export async function createFaultEnv(
  apiEnv: Record<string, string> = {},
  seed?: (database: Database) => Promise<void>,
): Promise<FaultEnv> {
  const cluster = await startCluster();
  try {
    const url = await cluster.createDatabase('hoctap');
    const database = await connect({ kind: 'pg', url, poolMax: 4 });
    await runMigrations(database);
    if (seed) await seed(database);
    const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-fault-data-'));
    const api = await startApi({ DATABASE_URL: url, DATA_DIR: dataDir, DATABASE_POOL_MAX: '6', ...apiEnv });
    const blobs = createFsBlobStore(join(dataDir, 'blobs'));
    return {
      cluster,
      url,
      database,
      dataDir,
      api,
      blobs,
      check: () => checkConsistency({ db: database.db, blobs }),
      async close() {
        if (api.alive()) await api.stop();
        await database.close();
        cluster.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    cluster.destroy();
    throw err;
  }
}

/** Polls `condition` up to `tries` times, `everyMs` apart; throws with `what` if it never holds. */
export async function until<T>(
  what: string,
  condition: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  tries = 400,
  everyMs = 50,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await condition();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition never held: ${what}`);
}
