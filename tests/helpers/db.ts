import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, pgliteStartParams, type Database } from '@hoctap/server/db/connect.ts';
import { testEngine } from './engine.ts';
import { withDatabase } from './global-setup.ts';

export interface TestDatabase {
  database: Database;
  /** Connection URL on PostgreSQL, for tests that need a second process or pool. */
  url?: string;
  close(): Promise<void>;
}

/** A fresh, migrated database for one test file, on the engine this run targets. Always close it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === 'pg') {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `hoctap_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
    const url = withDatabase(adminUrl, name);
    const database = await connect({ kind: 'pg', url, poolMax: 8 });
    return {
      database,
      url,
      close: async () => {
        await database.close();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteTemplate'));
  // The API's own buffer cache size (connect.ts): ~100 MB less per test file's instance.
  const client = await PGlite.create({
    loadDataDir: new Blob([dump]),
    startParams: pgliteStartParams(PGlite.defaultStartParams),
  });
  const database = await connect({ kind: 'pglite', client });
  return {
    database,
    close: async () => {
      await database.close();
      await client.close();
    },
  };
}
