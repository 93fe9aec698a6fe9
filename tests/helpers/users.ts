import { randomUUID } from 'node:crypto';
import type { Db } from '@hoctap/server/db/types.ts';
import { users } from '@hoctap/server/db/schema/index.ts';
import type { App } from '@hoctap/server';

/** Insert a user that the development login may pick. */
export async function insertDevUser(db: Db, values: Partial<typeof users.$inferInsert> = {}): Promise<string> {
  const id = values.id ?? randomUUID();
  await db.insert(users).values({ id, displayName: 'Người thử nghiệm', devLogin: true, ...values });
  return id;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export async function devLogin(app: App, userId: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/dev-login', payload: { userId } });
  if (res.statusCode !== 200) throw new Error(`dev-login failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}
