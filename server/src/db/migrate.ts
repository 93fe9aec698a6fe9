import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './connect.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

// Any constant works; it only has to be the same in every instance of this application.
const MIGRATION_LOCK_KEY = 4_842_171_337;

/**
 * Applies pending migrations. drizzle's migrator takes no lock, so on PostgreSQL several API
 * instances starting together serialise on an advisory lock held on one dedicated connection.
 */
export async function runMigrations(database: Database): Promise<void> {
  const migrationsFolder = MIGRATIONS_DIR;
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // The advisory lock belongs to a session, so lock, migrate and unlock on one dedicated client.
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as Journal;
  return journal.entries.length;
}

/** How many migrations the database has applied (0 before the first run). */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const rows = await database.db
    .execute<{ n: number }>(
      sql`
    select count(*)::int as n from drizzle.__drizzle_migrations
  `,
    )
    .catch(() => null);
  if (!rows) return 0;
  const list = Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows;
  return Number(list[0]?.n ?? 0);
}
