import type { Database } from '../../db/connect.ts';

/** One primary-key select with a prepared statement: the cheapest useful database read. */
export async function selectUserName(database: Database, id: string): Promise<string | null> {
  const text = 'select display_name from users where id = $1';
  if (database.kind === 'pg') {
    const r = await database.pool.query<{ display_name: string }>({ name: 'bench_baseline', text, values: [id] });
    return r.rows[0]?.display_name ?? null;
  }
  const r = await database.client.query<{ display_name: string }>(text, [id]);
  return r.rows[0]?.display_name ?? null;
}
