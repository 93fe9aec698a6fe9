import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

/**
 * The database handle every repo takes. Both the PGlite and the node-postgres drizzle instances,
 * and a transaction `tx`, satisfy it, so a repo never knows (or cares) which one it was given.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A database or an open transaction: what repo functions take as their first argument. */
export type Executor = Db;
