// `npm run bench:scaleout`: issue 16's scale-out figures in tests/load/RESULTS.md. The submit and
// approve scenarios run twice on one PostgreSQL database: against one API process, then against
// two API processes behind a simple round-robin proxy on loopback, each process with its own
// outbox dispatcher (and reminder job). Every figure of the second run stands beside the first;
// after each run the outbox is drained and checked for messages sent more than once.
// Sizes: BENCH_SECONDS (5) per autocannon run, BENCH_SCALEOUT_DRAFTS (6000) ready drafts.
import { existsSync, readFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { CPUS, hasTaskset, startServerProcess, type ServerProcess } from './harness/server-process.ts';
import { pinSelf } from './harness/pin.ts';
import { load, type LoadResult } from './harness/load.ts';
import { Results, writeSection } from './harness/results.ts';
import { benchToken } from './harness/tokens.ts';
import { buildWorld, freshPostgres, submitRequest, type BenchHousehold } from './harness/world.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const drafts = Number(process.env.BENCH_SCALEOUT_DRAFTS ?? 6000);
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

pinSelf(CPUS.load);
const loadAtStart = loadavg()[0]!;
const results = new Results();
// The world's households live in the demo's last tổ; its leader approves.
const leaderToken = benchToken(DEMO.users.leaders[DEMO.groups.length - 1]!);

/** Round-robin over `targets`, request by request (keep-alive to each): the load balancer. */
async function roundRobin(targets: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server: Server = createServer((req, res) => {
    const target = new URL(targets[next++ % targets.length]!);
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      agent.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const fiveXx = (r: LoadResult) =>
  Object.entries(r.statuses)
    .filter(([s]) => s.startsWith('5'))
    .reduce((a, [, n]) => a + n, 0);

async function run(
  label: string,
  url: string,
  servers: ServerProcess[],
  pool: BenchHousehold[],
  sql: pg.Pool,
  campaignId: string,
) {
  let next = 0;
  const submitOne = () => submitRequest(pool[next++ % pool.length]!);
  // Unmeasured: a fresh process's first requests pay for JIT compilation, each process its own.
  await load({ url, connections: 5, amount: 100, method: 'POST', setupRequest: submitOne });
  const submit = await load({ url, connections: 10, duration: seconds, method: 'POST', setupRequest: submitOne });
  const mine = pool.slice(0, Math.min(next, pool.length)).map((h) => h.assessmentId!);
  const submitted = (
    await sql.query<{ id: string }>(
      `select id from assessments where campaign_id = $1 and state = 'submitted' and id = any($2::uuid[])`,
      [campaignId, mine],
    )
  ).rows.map((r) => r.id);
  let k = 0;
  const approve = await load({
    url,
    connections: 10,
    duration: seconds,
    method: 'POST',
    setupRequest: () => ({
      method: 'POST',
      path: `/api/v1/assessments/${submitted[k++ % Math.max(1, submitted.length)]}/verify`,
      headers: { authorization: `Bearer ${leaderToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ answers: [] }),
    }),
  });
  const approvedOnce = Math.min(k, submitted.length);
  const row = (what: string, r: LoadResult, extra: string) => {
    results.add({
      scenario: `${label}: ${what}, c10`,
      figure: `${what === 'submit' ? 'submits' : 'approvals'}/s (2xx)`,
      value: r.okRps,
      unit: '/s',
      note: `p95 ${r.p95} ms, p99 ${r.p99} ms; ${r.errors} errors, ${r.non2xx} non-2xx (${Object.entries(r.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(', ')}); ${extra}`,
    });
    results.add({
      scenario: `${label}: ${what}, c10`,
      figure: 'errors (5xx, failed)',
      value: fiveXx(r) + r.errors,
      unit: '',
      target: '0',
      met: fiveXx(r) + r.errors === 0,
    });
  };
  // A request handed an already-submitted (or already-verified) record answers 409: counted apart.
  row('submit', submit, `${next} drafts handed out`);
  row('approve', approve, `${approvedOnce} submitted records handed out (a second hand-out answers 409)`);

  // Every message the run enqueued, sent by whichever dispatcher claimed it; then: sent twice?
  const pending = async () =>
    Number(
      (
        await sql.query<{ n: number }>(
          `select count(*)::int n from notification_outbox where status in ('pending', 'sending')`,
        )
      ).rows[0]!.n,
    );
  const t0 = performance.now();
  while ((await pending()) > 0 && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 250));
  const [m] = (
    await sql.query<{ sent: number; twice: number; left: number }>(
      `select count(*) filter (where status = 'sent')::int sent,
              count(*) filter (where status = 'sent' and attempts > 1)::int twice,
              count(*) filter (where status in ('pending', 'sending'))::int left
         from notification_outbox where channel <> 'event'`,
    )
  ).rows;
  results.add({
    scenario: `${label}: messages of both scenarios`,
    figure: 'sent more than once',
    value: m!.twice,
    unit: '',
    target: '0, outbox drained',
    met: m!.twice === 0 && m!.left === 0,
    note: `${m!.sent} sent in all (demo mode: to the log and inbox), ${m!.left} still waiting; ${servers.length} dispatcher(s)`,
  });
  for (const [i, s] of servers.entries())
    results.add({
      scenario: `${label}: API process ${i + 1}`,
      figure: 'peak RSS',
      value: s.peakRssMb(),
      unit: 'MB',
      target: '≤ 400 MB',
      met: s.peakRssMb() <= 400,
    });
}

const store = await freshPostgres('scaleout');
try {
  console.log(`building ${drafts} households with ready drafts …`);
  const world = await buildWorld(store, { households: drafts, drafts });
  const sql = new pg.Pool({ connectionString: store.url, max: 1 });
  const env = {
    ...store.env,
    DISPATCHER_ENABLED: 'true',
    NOTIFY_DISPATCH_INTERVAL_MS: '500',
    EVIDENCE_PROCESSING: 'false',
  };
  const half = Math.floor(world.households.length / 2);
  try {
    const one = await startServerProcess(env);
    try {
      await run('one API process', one.url, [one], world.households.slice(0, half), sql, world.campaignId);
    } finally {
      await one.stop();
    }
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    const proxy = await roundRobin([a.url, b.url]);
    try {
      await run(
        'two API processes (round-robin)',
        proxy.url,
        [a, b],
        world.households.slice(half),
        sql,
        world.campaignId,
      );
    } finally {
      await proxy.close();
      await a.stop();
      await b.stop();
    }
  } finally {
    await sql.end();
  }
} finally {
  await store.dispose();
}

const existing = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmark results\n';
writeSection(
  resultsFile,
  'scaleout',
  results.markdown('Scale-out: two API processes and two dispatchers (`npm run bench:scaleout`)', [
    `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadAtStart.toFixed(1)} at the start`,
    `PostgreSQL at 127.0.0.1, a database created for the run; the demo commune plus ${drafts} households with ready drafts (half for each run)`,
    `API processes ${hasTaskset ? `pinned to CPU ${CPUS.server} (both, in the second run)` : 'not pinned'}; the load generator and the round-robin proxy in one process ${hasTaskset ? `pinned to CPU ${CPUS.load}` : ''}; ${seconds} s per scenario at 10 connections`,
    'Each API process runs its own outbox dispatcher (every 500 ms) and reminder job; Zalo is not configured, so messages go to the log and the in-app inbox (the claim, lease and marking are the same as with Zalo)',
    'On two cores the second run shares the same CPU between two processes: the figures show that nothing breaks or repeats, not a speed-up',
  ]),
  existing,
);
console.log(`\nWritten to ${resultsFile}`);
