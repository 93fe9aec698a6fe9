import { eq } from 'drizzle-orm';
import type { Database } from '../db/connect.ts';
import { zaloTokens } from '../db/schema/index.ts';
import type { OaTokens, TokenStore } from '../zalo/index.ts';

/**
 * The OA token pair in table `zalo_tokens` (docs/zalo.md §3: the refresh token is single use, so the
 * rotated pair must be durable before it is used — `save` autocommits at once).
 *
 * Cross-process single flight on PostgreSQL: `withRefreshLock` holds `pg_advisory_xact_lock` in a
 * transaction on a DEDICATED pool connection. load/save inside the lock run on other connections
 * and commit immediately, so the new pair is saved even if the lock holder then dies (the xact lock
 * is released with its session). It is not a drizzle transaction on purpose: the tx guard forbids
 * the root db inside one, and save must not wait for the lock's commit.
 * PGlite is one process and one connection: the manager's in-process single flight suffices.
 */
export function createDbTokenStore(opts: {
  database: Database;
  /** Row id, the OA id (one row per OA). */
  id: string;
  /** One-time bootstrap: a refresh token (from API Explorer / consent) used only while the table is empty. */
  bootstrapRefreshToken?: string | undefined;
  now: () => Date;
}): TokenStore {
  const { database, id } = opts;
  const db = database.db;
  const store: TokenStore = {
    async load() {
      const [row] = await db.select().from(zaloTokens).where(eq(zaloTokens.id, id)).limit(1);
      if (row) return { accessToken: row.accessToken, refreshToken: row.refreshToken, expiresAt: row.expiresAt };
      if (opts.bootstrapRefreshToken) {
        // Looks expired, so the first use refreshes with it and persists the real pair.
        return { accessToken: 'bootstrap', refreshToken: opts.bootstrapRefreshToken, expiresAt: new Date(0) };
      }
      return null;
    },
    async save(t: OaTokens) {
      const now = opts.now();
      await db
        .insert(zaloTokens)
        .values({
          id,
          accessToken: t.accessToken,
          refreshToken: t.refreshToken,
          expiresAt: t.expiresAt,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: zaloTokens.id,
          set: { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt, updatedAt: now },
        });
    },
  };
  if (database.kind === 'pg') {
    const pool = database.pool;
    store.withRefreshLock = async <T>(fn: () => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select pg_advisory_xact_lock(hashtext($1))', [`zalo_oa_refresh:${id}`]);
        try {
          return await fn();
        } finally {
          await client.query('commit').catch(() => undefined);
        }
      } finally {
        client.release();
      }
    };
  }
  return store;
}
