import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
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

/**
 * PGlite's start parameters with smaller memory settings. Its default buffer cache
 * (shared_buffers 128 MB) is reserved in the WebAssembly memory as soon as the database opens:
 * the API process sat at 366 MB before its first request, against 229 MB with 16 MB. Index
 * builds (migrations) may use maintenance_work_mem (64 MB by default), and WebAssembly memory,
 * once grown, is never given back. One commune's database is a few tens of MB and its files stay
 * in the operating system's cache: primary-key reads and submits were as fast with 16 MB
 * (tests/load/RESULTS.md).
 */
export function pgliteStartParams(defaults: string[]): string[] {
  return [...defaults, '-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'];
}

/** One typed database for both engines (docs/architecture.md §10). */
export async function connect(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'pg') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      // A runaway query must not hold a connection forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // While the server is unreachable a request fails (503) instead of queueing for a connection.
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that errors (server restart) must not crash the process.
    pool.on('error', () => {});
    // Nor one checked out between two statements of a transaction: the pool listens only to idle
    // clients, and an 'error' nobody listens to kills the process. The query in flight, or the next
    // one ("not queryable"), still fails (→ 503), and the pool drops the client on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return { kind: 'pg', pool, db: guardTransactions(db), close: () => pool.end() };
  }
  // Loaded only here: a process on PostgreSQL never holds the embedded engine (~37 MB resident).
  const [{ PGlite }, { drizzleNamedPglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./pglite-named.ts'),
  ]);
  let client: PGlite;
  let owned = true;
  if ('client' in config) {
    client = config.client;
    owned = false;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    client = await PGlite.create({
      dataDir: config.dataDir,
      startParams: pgliteStartParams(PGlite.defaultStartParams),
    });
  }
  const db = drizzleNamedPglite(client, schema) as unknown as Db;
  return {
    kind: 'pglite',
    client,
    db: guardTransactions(db),
    close: async () => {
      if (owned && !client.closed) await client.close();
    },
  };
}

// Network failures of the socket, and PostgreSQL's "connection exception" class (08…), shutdown
// (57P01–57P03) and too_many_connections (53300): all mean "try again later", none is a bug.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|the database system is (starting up|shutting down)/i;

/** Whether an error (or one of its causes) says the database cannot be reached right now. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [err];
  while (pending.length) {
    const e = pending.pop();
    if (!(e instanceof Error) || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
    pending.push(e.cause);
    if (e instanceof AggregateError) pending.push(...e.errors);
  }
  return false;
}
