import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { Db } from './db/types.ts';
import type { Actor } from './lib/actor.ts';
import type { Clock } from './lib/clock.ts';
import { unauthorized } from './lib/errors.ts';
import { createMeService } from './modules/identity/me.service.ts';
import { createSessionService, type AccessClaims } from './modules/identity/sessions.service.ts';
import { loadActor } from './modules/identity/users.repo.ts';

/**
 * Builds every service once, with narrow dependencies. Routes get this object and call exactly
 * one service method each; no route touches SQL.
 */
export function createServices(deps: {
  config: Config;
  database: Database;
  clock: Clock;
  signAccess: (claims: AccessClaims) => string;
}) {
  const { config, database, clock } = deps;
  const db: Db = database.db;
  const sessions = createSessionService({
    db,
    clock,
    signAccess: deps.signAccess,
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    refreshTtlDays: config.jwt.refreshTtlDays,
  });
  const me = createMeService({ db, clock });

  return {
    config,
    clock,
    db,
    sessions,
    me,
    async loadActor(userId: string): Promise<Actor> {
      const a = await loadActor(db, userId);
      if (!a) throw unauthorized();
      const { status: _s, authVersion: _v, ...actor } = a;
      return actor;
    },
  };
}

export type Services = ReturnType<typeof createServices>;
