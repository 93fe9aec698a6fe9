import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';

/**
 * A real server for benchmarks: listening on loopback, on PGlite in a temp dir by default or on
 * PostgreSQL when BENCH_DATABASE_URL is set. Benchmarks print figures; they never assert timings.
 */
export async function startBenchServer(env: Record<string, string> = {}): Promise<{ app: App; url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEV_LOGIN: 'true',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    ...env,
  });
  const app = await buildApp(config, { logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: address,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function printRow(name: string, figures: Record<string, string | number>): void {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  console.log(`${name.padEnd(34)} ${parts.join('  ')}`);
}
