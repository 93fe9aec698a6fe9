import { sql } from 'drizzle-orm';
import type { Database } from './connect.ts';

/** One trivial round trip: throws when the database cannot be reached. */
export async function pingDatabase(database: Database): Promise<void> {
  await database.db.execute(sql`select 1`);
}
