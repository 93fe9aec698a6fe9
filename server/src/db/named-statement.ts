/**
 * Hot statements as named prepared statements, so PostgreSQL parses and plans each once per
 * connection and then only binds and executes it.
 *
 * Why: the statements of a submit are long CTEs whose planning cost as much of PostgreSQL's CPU
 * as running them (EXPLAIN ANALYZE: ~0,5 ms of planning each, tests/load/RESULTS.md), and
 * PostgreSQL shares its two cores with the API at a deadline.
 *
 * The name is a hash of the SQL text, so one query shape is one statement whatever its values
 * (drizzle always sends values as parameters). Use it only for statements whose text has a small,
 * fixed number of shapes: each connection keeps every statement it prepared until it closes.
 * On PGlite too (pglite-named.ts): there it also saves five of six calls into WebAssembly.
 */
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Executor } from './types.ts';

const dialect = new PgDialect();

/** The statement's name: stable for one SQL text, within PostgreSQL's 63-byte identifiers. */
function statementName(text: string): string {
  return `s_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}

/** `db.execute(query)` as a named prepared statement; the same result shape. */
export async function executeNamed(db: Executor, query: SQL): Promise<unknown> {
  const built = dialect.sqlToQuery(query);
  return db._.session.prepareQuery(built, undefined, statementName(built.sql), false).execute();
}

/**
 * One prepared query object per connection: drizzle binds a prepared query to the connection of
 * the handle it was built on, and building a select of many columns costs more of the API's CPU
 * than running it (a profile of a photo burst: ~0,4 ms a call for the assessment context). Values
 * go in through `sql.placeholder`.
 *
 * Keyed by the connection, not the handle: a transaction's handle is new for every transaction,
 * but on PostgreSQL it runs on a pooled client that outlives it, and a query object built in one
 * transaction runs in the next one on the same client exactly as it would have been built there
 * (nothing in it belongs to the transaction). PGlite's session says what to key by
 * (`preparedKey`, pglite-named.ts): its named queries only depend on being in a transaction.
 */
export function preparedOnce<T>(db: Executor, cache: WeakMap<object, T>, prepare: (db: Executor) => T): T {
  const key = connectionOf(db);
  let q = cache.get(key);
  if (!q) cache.set(key, (q = prepare(db)));
  return q;
}

/** The pool or pooled client a handle runs on (node-postgres), or what PGlite's session names. */
function connectionOf(db: Executor): object {
  const session = (db as unknown as { _: { session: { client: object; preparedKey?: object } } })._.session;
  return session.preparedKey ?? session.client;
}
