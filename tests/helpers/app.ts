import { loadConfig, type Config } from '@hoctap/server/config.ts';
import { buildApp, type App, type AppOverrides } from '@hoctap/server';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: App;
  db: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/** buildApp() on a fresh database with test settings; `env` overrides any variable. */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Omit<AppOverrides, 'database'> = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEV_LOGIN: 'true',
    DATA_DIR: '/tmp/hoctap-test',
    ...env,
  });
  const app = await buildApp(config, { ...overrides, database: db.database, logger: overrides.logger ?? false });
  await app.ready();
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
