import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { guardTransactions } from './tx-guard.ts';
import type { Db } from './types.ts';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; client: PGlite }
  | { kind: 'pg'; url: string; poolMax: number };

interface DatabaseBase {
  db: Db;
  /** Closes the pool or the PGlite instance; an open PGlite keeps Node alive forever. */
  close(): Promise<void>;
}
export type Database =
  | (DatabaseBase & { kind: 'pg'; pool: pg.Pool })
  | (DatabaseBase & { kind: 'pglite'; client: PGlite });

/** One typed database for both engines (ARCHITECTURE §3). */
export async function connect(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'pg') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      // A runaway query must not hold a connection forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle client that errors (server restart) must not crash the process.
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return { kind: 'pg', pool, db: guardTransactions(db), close: () => pool.end() };
  }
  let client: PGlite;
  let owned = true;
  if ('client' in config) {
    client = config.client;
    owned = false;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    client = await PGlite.create({ dataDir: config.dataDir });
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    client,
    db: guardTransactions(db),
    close: async () => {
      if (owned && !client.closed) await client.close();
    },
  };
}
