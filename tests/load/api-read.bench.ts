import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { users } from '@hoctap/server/db/schema/index.ts';
import { printRow, startBenchServer } from './bench-app.ts';

/** Baseline read throughput: liveness and an authenticated, database-backed GET /api/v1/me. */
export async function benchApiReads(durationSec: number): Promise<void> {
  const server = await startBenchServer();
  try {
    const userId = randomUUID();
    await server.app.services.db.insert(users).values({ id: userId, displayName: 'Người đo tải', devLogin: true });
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/dev-login', payload: { userId } });
    const token = login.json().accessToken as string;
    for (const [name, path, headers] of [
      ['GET /health', '/health', {}],
      ['GET /api/v1/me (auth + 3 queries)', '/api/v1/me', { authorization: `Bearer ${token}` }],
    ] as const) {
      const r = await autocannon({ url: `${server.url}${path}`, connections: 20, duration: durationSec, headers });
      printRow(name, {
        'req/s': Math.round(r.requests.average),
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    }
  } finally {
    await server.close();
  }
}
