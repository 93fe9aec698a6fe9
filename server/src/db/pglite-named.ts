/**
 * drizzle on PGlite with named prepared statements (docs/architecture.md §10).
 *
 * Why: PGlite's `query()` runs every statement as six separate calls into WebAssembly (parse,
 * describe, bind, describe, execute, sync), each with its own JavaScript protocol parser, and
 * PostgreSQL parses and plans the text every time: in a profile of the demo under a submit burst,
 * that JavaScript and WebAssembly took nearly half of the API's thread. A statement given a name
 * (drizzle `.prepare(name)`, `executeNamed`) is parsed once; after that one call carries bind,
 * describe, execute and sync, and PostgreSQL only binds and runs its cached plan. Statements
 * without a name go through PGlite's own `query()` as before.
 *
 * Locking and durability mirror `query()`: outside a transaction the statement waits for the
 * transaction lock and the files are synced after it; inside one, only the query lock is taken.
 */
import { protocol, parse, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { createTableRelationsHelpers, extractTablesRelationalConfig, NoopLogger, type Query } from 'drizzle-orm';
import { NoopCache } from 'drizzle-orm/cache/core/cache';
import {
  PgDialect,
  type PgPreparedQuery,
  type PgTransactionConfig,
  type PreparedQueryConfig,
  type SelectedFieldsOrdered,
} from 'drizzle-orm/pg-core';
import { PgliteDatabase, PglitePreparedQuery, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';
import type { RelationalSchemaConfig, TablesRelationalConfig } from 'drizzle-orm/relations';

const { serialize } = protocol;

/** For each statement this PGlite has prepared: its text and the parameter types PostgreSQL inferred. */
type Prepared = Map<string, { text: string; paramTypes: number[] }>;
const preparedByClient = new WeakMap<PGlite, Prepared>();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Lets the event loop turn before a statement. PGlite runs a statement synchronously on this
 * thread and the next one waiting for its lock resumes as a microtask, so under load the
 * statements of every request in flight ran back to back without the loop turning, and Node took
 * about one new connection per turn: at 50 connections the first request of a new connection
 * waited up to 4,8 s while the others were answered in 0,2 s (tests/load/RESULTS.md). With a turn
 * before each statement, a turn lasts one statement per request in flight.
 */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `text` as the prepared statement `name`, preparing it on first use; `query()`'s result. */
export async function queryNamed<T>(
  client: PGlite,
  inTransaction: boolean,
  name: string,
  text: string,
  params: unknown[],
  options?: QueryOptions,
): Promise<Results<T>> {
  let prepared = preparedByClient.get(client);
  if (!prepared) preparedByClient.set(client, (prepared = new Map()));
  const run = async (): Promise<Results<T>> => {
    let statement = prepared.get(name);
    if (!statement) {
      const described = await client.execProtocol(
        concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
        { syncToFs: false },
      );
      statement = { text, paramTypes: parse.parseDescribeStatementResults(described.messages) };
      prepared.set(name, statement);
    } else if (statement.text !== text) {
      // node-postgres refuses this too: running the other text's plan would be a silent bug.
      throw new Error(`Prepared statement "${name}" was already prepared with another text`);
    }
    const { paramTypes } = statement;
    // The same conversion as PGlite's query(): its serializer for the type, else the text form.
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = client.serializers[paramTypes[i]!];
      return serializer ? serializer(param) : String(param);
    });
    const { messages } = await client.execProtocol(
      concat([
        serialize.bind({ statement: name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    if (!inTransaction) await client.syncToFs();
    return parse.parseResults(messages, client.parsers, options)[0] as Results<T>;
  };
  await nextTurn();
  if (inTransaction) return client.runExclusive(run);
  return client._runExclusiveTransaction(() => client.runExclusive(run));
}

type Schema = RelationalSchemaConfig<TablesRelationalConfig> | undefined;

const transactionKeys = new WeakMap<PGlite, object>();
function transactionKeyOf(root: PGlite): object {
  let key = transactionKeys.get(root);
  if (!key) transactionKeys.set(root, (key = {}));
  return key;
}

/** drizzle's PGlite session, but a query given a name runs as a named prepared statement. */
class NamedPgliteSession extends PgliteSession<Record<string, unknown>, TablesRelationalConfig> {
  /**
   * What `preparedOnce` (named-statement.ts) keeps query objects by. A named query here depends
   * only on the database and on whether it runs inside a transaction, so one built in a
   * transaction serves every later one, as a pooled client's does on PostgreSQL.
   */
  readonly preparedKey: object;
  private readonly inTransaction: boolean;

  constructor(
    private readonly root: PGlite,
    private readonly connection: PGlite | Transaction,
    private readonly sessionDialect: PgDialect,
    private readonly sessionSchema: Schema,
  ) {
    super(connection, sessionDialect, sessionSchema);
    this.inTransaction = connection !== root;
    this.preparedKey = this.inTransaction ? transactionKeyOf(root) : root;
  }

  override prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    query: Query,
    fields: SelectedFieldsOrdered | undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => T['execute'],
    queryMetadata?: { type: 'select' | 'update' | 'delete' | 'insert'; tables: string[] },
    cacheConfig?: Parameters<PgliteSession<Record<string, unknown>, TablesRelationalConfig>['prepareQuery']>[6],
  ): PgPreparedQuery<T> {
    const { connection, inTransaction } = this;
    // drizzle's prepared query only ever calls `client.query(text, params, options)`.
    const client = {
      query: name
        ? (text: string, params: unknown[], options?: QueryOptions) =>
            queryNamed(this.root, inTransaction, name, text, params, options)
        : async (text: string, params: unknown[], options?: QueryOptions) => {
            await nextTurn();
            return connection.query(text, params, options);
          },
    } as unknown as PGlite;
    return new PglitePreparedQuery<T>(
      client,
      query.sql,
      query.params,
      new NoopLogger(),
      new NoopCache(),
      queryMetadata,
      cacheConfig,
      fields,
      name,
      isResponseInArrayMode,
      customResultMapper,
    );
  }

  // drizzle's own, with this session class for the transaction's queries.
  override async transaction<T>(
    transaction: (tx: PgliteTransaction<Record<string, unknown>, TablesRelationalConfig>) => Promise<T>,
    config?: PgTransactionConfig,
  ): Promise<T> {
    await nextTurn();
    return this.root.transaction(async (client) => {
      const session = new NamedPgliteSession(this.root, client, this.sessionDialect, this.sessionSchema);
      const tx = new PgliteTransaction(this.sessionDialect, session, this.sessionSchema);
      if (config) await tx.setTransaction(config);
      return transaction(tx);
    });
  }
}

/** `drizzle({ client, schema })` from drizzle-orm/pglite, with named statements prepared. */
export function drizzleNamedPglite<TSchema extends Record<string, unknown>>(
  client: PGlite,
  schema: TSchema,
): PgliteDatabase<TSchema> {
  const dialect = new PgDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const session = new NamedPgliteSession(client, client, dialect, relational);
  const db = new PgliteDatabase(dialect, session as never, relational as never) as PgliteDatabase<TSchema> & {
    $client: PGlite;
  };
  db.$client = client;
  return db;
}
