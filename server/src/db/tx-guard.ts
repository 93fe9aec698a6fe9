import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './types.ts';

/**
 * docs/architecture.md §4: inside `db.transaction(tx => …)` only `tx` may be used. On PGlite, touching the
 * root `db` there waits for the open transaction forever; on PostgreSQL it silently escapes the
 * transaction on another pooled connection. This guard turns both into an immediate, loud error.
 *
 * It wraps the root handle in a Proxy: `transaction()` marks the async context, and any query
 * builder reached through the root handle while that mark is set throws. The `tx` handed to the
 * callback is not wrapped, so correct code pays nothing but one AsyncLocalStorage lookup.
 */
const inTransaction = new AsyncLocalStorage<true>();

export class GlobalDbInTransactionError extends Error {
  constructor(member: string) {
    super(`db.${member}() was called on the root database inside a transaction; use the transaction's tx instead`);
    this.name = 'GlobalDbInTransactionError';
  }
}

const QUERY_MEMBERS = new Set([
  'select',
  'selectDistinct',
  'selectDistinctOn',
  'insert',
  'update',
  'delete',
  'execute',
  'query',
  'with',
  '$with',
  '$count',
  'refreshMaterializedView',
]);

export function guardTransactions<T extends Db>(db: T): T {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        const original = Reflect.get(target, prop, receiver) as Db['transaction'];
        return ((fn: Parameters<Db['transaction']>[0], config?: Parameters<Db['transaction']>[1]) =>
          original.call(target, (tx) => inTransaction.run(true, () => fn(tx)), config)) as Db['transaction'];
      }
      if (typeof prop === 'string' && QUERY_MEMBERS.has(prop) && inTransaction.getStore()) {
        throw new GlobalDbInTransactionError(prop);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
