import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import { connect } from '@hoctap/server/db/connect.ts';
import { appliedMigrationCount, expectedMigrationCount, runMigrations } from '@hoctap/server/db/migrate.ts';
import { GlobalDbInTransactionError } from '@hoctap/server/db/tx-guard.ts';
import { auditEvents } from '@hoctap/server/db/schema/index.ts';
import { buildApp } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.close());

describe('migrations', () => {
  it('apply again without error and without re-running anything', async () => {
    const before = await appliedMigrationCount(t.database);
    await runMigrations(t.database);
    await runMigrations(t.database);
    expect(await appliedMigrationCount(t.database)).toBe(before);
    expect(before).toBe(expectedMigrationCount());
  });

  it('run concurrently without a race (advisory lock on PostgreSQL, one connection on PGlite)', async () => {
    await Promise.all([runMigrations(t.database), runMigrations(t.database), runMigrations(t.database)]);
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount());
  });
});

describe('transaction rule (docs/architecture.md §4)', () => {
  it('using the root db inside a transaction fails at once instead of hanging', async () => {
    const { db } = t.database;
    const attempt = db.transaction(async (tx) => {
      await tx.insert(auditEvents).values({ at: new Date(), action: 'probe', entityType: 'test', entityId: '1' });
      await db.select().from(auditEvents); // the bug this guard exists for
    });
    await expect(attempt).rejects.toBeInstanceOf(GlobalDbInTransactionError);
    // …and the transaction rolled back.
    const rows = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'probe'`);
    expect(rows).toHaveLength(0);
  });

  it('the tx handle works and commits', async () => {
    const { db } = t.database;
    await db.transaction(async (tx) => {
      await tx.insert(auditEvents).values({ at: new Date(), action: 'probe-ok', entityType: 'test', entityId: '2' });
    });
    const rows = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'probe-ok'`);
    expect(rows).toHaveLength(1);
  });

  it('concurrent requests outside transactions are not affected', async () => {
    const { db } = t.database;
    const results = await Promise.all([
      db.transaction(async (tx) => tx.execute(sql`select 1 as one`)),
      db.execute(sql`select 2 as two`),
    ]);
    expect(results).toHaveLength(2);
  });
});

describe('readiness on an unmigrated database', () => {
  it('/ready answers 503 until migrations have run', async () => {
    const client = await PGlite.create();
    const database = await connect({ kind: 'pglite', client });
    const app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { database, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', databaseReachable: true, migrations: { applied: 0 } });
      await runMigrations(database);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await client.close();
    }
  });
});
