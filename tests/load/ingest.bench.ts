// `npm run bench`: the ingest figures of tests/load/RESULTS.md (issue 15's targets).
// The API runs as its own process pinned to one core, on a PostgreSQL database created for the run
// (dropped after), then on PGlite for the single-commune demo; this load generator is pinned to
// the other core. Each engine's run starts with the baseline (token check + one primary-key
// select) at c10 and c50, and every figure is printed absolute and as a ratio to it. Never asserts.
// Sizes: BENCH_SECONDS (5) per autocannon run, BENCH_DRAFTS (15000) ready drafts for submit,
// BENCH_PHOTOS (2000) in the upload burst, BENCH_ONLY (all) scenarios to run, BENCH_PHOTO_HOUSEHOLDS (600) uploaders,
// BENCH_PGLITE_DRAFTS (5000) drafts in the demo run.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  startServerProcess,
  hasTaskset,
  CPUS,
  postgresCpuSeconds,
  type ServerProcess,
} from './harness/server-process.ts';
import { pinSelf } from './harness/pin.ts';
import { load, type LoadOptions, type LoadResult } from './harness/load.ts';
import { Results, writeSection } from './harness/results.ts';
import { startProbe } from './harness/probe.ts';
import { multipart, photoMaker } from './harness/photos.ts';
import { buildWorld, freshPglite, freshPostgres, submitRequest, type BenchHousehold } from './harness/world.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const drafts = Number(process.env.BENCH_DRAFTS ?? 15000);
const burstSize = Number(process.env.BENCH_PHOTOS ?? 2000);
const photoHouseholds = Number(process.env.BENCH_PHOTO_HOUSEHOLDS ?? 600);
const pgliteDrafts = Number(process.env.BENCH_PGLITE_DRAFTS ?? 5000);
const drainLimitS = Number(process.env.BENCH_DRAIN_LIMIT_S ?? 600);
// BENCH_ONLY=photo,submit (me, submit, photo, pglite): a subset while working on one path. The
// results file is then partial; the full command regenerates every row.
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const runs = (name: string) => only.length === 0 || only.includes(name);
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const LEVELS = [10, 50] as const;

pinSelf(CPUS.load);
const loadAtStart = loadavg()[0]!;
const results = new Results();
const rssRows: { scenario: string; mb: number }[] = [];
const bearer = (h: BenchHousehold) => ({ authorization: `Bearer ${h.token}` });
const errorsOf = (r: LoadResult) => `${r.errors} errors, ${r.non2xx} non-2xx${statusText(r)}`;
const statusText = (r: LoadResult) =>
  Object.keys(r.statuses).some((s) => !s.startsWith('2'))
    ? ` (${Object.entries(r.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(', ')})`
    : '';

/**
 * A short unmeasured run first: the first requests of a fresh process pay for JIT compilation,
 * lazy imports and cold caches, which would otherwise land in whichever scenario runs first.
 */
async function warmUp(server: ServerProcess, setupRequest: NonNullable<LoadOptions['setupRequest']>, amount = 100) {
  await load({ url: server.url, connections: 5, amount, setupRequest, timeout: 120 });
}

/** Peak RSS of the API during `fn` (the kernel's high-water mark, reset before). */
async function withRss<T>(server: ServerProcess, scenario: string, fn: () => Promise<T>): Promise<T> {
  server.resetPeakRss();
  const cpu0 = server.cpuSeconds();
  const pg0 = postgresCpuSeconds();
  const out = await fn();
  lastPostgresCpuSeconds = postgresCpuSeconds() - pg0;
  rssRows.push({ scenario, mb: server.peakRssMb() });
  const child = server.childPeakRssMb();
  if (child > 0) rssRows.push({ scenario: `${scenario}, photo processor process`, mb: child });
  lastCpuSeconds = server.cpuSeconds() - cpu0;
  return out;
}
/** CPU seconds the API used during the last `withRss` scenario (all its threads and child processes). */
let lastCpuSeconds = 0;
/** The same for the local PostgreSQL server (every postgres process; ~0 on PGlite). */
let lastPostgresCpuSeconds = 0;
/** "API CPU 1,9 ms per 2xx": what a request costs the server, whatever else shares its core. */
const cpuPer = (r: LoadResult) => {
  const ok = Object.entries(r.statuses)
    .filter(([s]) => s.startsWith('2'))
    .reduce((a, [, n]) => a + n, 0);
  if (ok === 0 || lastCpuSeconds <= 0) return '';
  const api = `; API CPU ${fmtMs((lastCpuSeconds * 1000) / ok)} ms per 2xx`;
  // PostgreSQL shares the same two cores: its work per request is part of the cost.
  return lastPostgresCpuSeconds > 0.05 ? `${api}, PostgreSQL ${fmtMs((lastPostgresCpuSeconds * 1000) / ok)} ms` : api;
};
const fmtMs = (ms: number) => ms.toLocaleString('vi-VN', { maximumFractionDigits: 1 });

async function baseline(server: ServerProcess, users: BenchHousehold[], engine: string) {
  const base: Record<number, number> = {};
  let i = 0;
  await warmUp(server, () => ({ path: '/api/v1/bench/baseline', headers: bearer(users[i++ % users.length]!) }), 300);
  for (const c of LEVELS) {
    const r = await withRss(server, `${engine}: baseline c${c}`, () =>
      load({
        url: server.url,
        connections: c,
        duration: seconds,
        setupRequest: () => ({ path: '/api/v1/bench/baseline', headers: bearer(users[i++ % users.length]!) }),
      }),
    );
    base[c] = r.okRps;
    results.add({
      scenario: `${engine}: baseline (token + PK select), c${c}`,
      figure: 'requests/s',
      value: r.okRps,
      unit: '/s',
      ratio: 1,
      note: `p95 ${r.p95} ms, p99 ${r.p99} ms; ${errorsOf(r)}${cpuPer(r)}`,
    });
  }
  return base;
}

/** Each request submits a different ready draft; a draft handed out twice answers 409 (counted apart). */
async function submitScenario(
  server: ServerProcess,
  pool: BenchHousehold[],
  base: Record<number, number>,
  engine: string,
) {
  let next = 0;
  const submitOne = () => submitRequest(pool[next++ % pool.length]!);
  await warmUp(server, submitOne, Math.min(50, Math.floor(pool.length / 10)));
  for (const c of LEVELS) {
    const handedOut = next;
    const r = await withRss(server, `${engine}: submit c${c}`, () =>
      load({
        url: server.url,
        connections: c,
        duration: seconds,
        method: 'POST',
        setupRequest: submitOne,
      }),
    );
    const already = r.statuses['409'] ?? 0;
    const exhausted = next > pool.length;
    const scenario = `${engine}: submit (distinct ready drafts), c${c}`;
    const fiveXx = Object.entries(r.statuses)
      .filter(([s]) => s.startsWith('5'))
      .reduce((a, [, n]) => a + n, 0);
    const otherNon2xx = r.non2xx - already;
    const pgliteTarget = engine === 'PGlite';
    results.add({
      scenario,
      figure: 'submits/s (2xx)',
      value: r.okRps,
      unit: '/s',
      ratio: r.okRps / base[c]!,
      ...(pgliteTarget
        ? { target: '≥ 150/s', met: r.okRps >= 150 }
        : c === 50
          ? { target: '≥ 0,30 × baseline', met: r.okRps / base[c]! >= 0.3 }
          : {}),
      note: `${next - handedOut} drafts handed out, ${already} answered "already submitted" (409)${exhausted ? ', DRAFTS EXHAUSTED: raise BENCH_DRAFTS' : ''}${cpuPer(r)}`,
    });
    results.add({
      scenario,
      figure: 'p95 / p99 latency',
      value: r.p95,
      unit: `ms / ${r.p99} ms`,
      ...(c === 10 && !pgliteTarget ? { target: 'p95 ≤ 60 ms', met: r.p95 <= 60 } : {}),
    });
    results.add({
      scenario,
      figure: 'errors',
      value: r.errors + otherNon2xx,
      unit: 'failed',
      target: '0 errors',
      met: r.errors === 0 && otherNon2xx === 0,
      note: `${errorsOf(r)}; 5xx ${fiveXx}`,
    });
    if (exhausted) results.note(`${scenario}: the drafts ran out (${pool.length}); the rest answered 409.`);
  }
}

async function meScenario(server: ServerProcess, users: BenchHousehold[], base: Record<number, number>) {
  let i = 0;
  await warmUp(server, () => ({ path: '/api/v1/me', headers: bearer(users[i++ % users.length]!) }), 200);
  for (const c of LEVELS) {
    const r = await withRss(server, `PostgreSQL: GET /me c${c}`, () =>
      load({
        url: server.url,
        connections: c,
        duration: seconds,
        setupRequest: () => ({ path: '/api/v1/me', headers: bearer(users[i++ % users.length]!) }),
      }),
    );
    results.add({
      scenario: `PostgreSQL: GET /me (${users.length} distinct users), c${c}`,
      figure: 'requests/s (2xx)',
      value: r.okRps,
      unit: '/s',
      ratio: r.okRps / base[c]!,
      target: '≥ 0,40 × baseline, 0 errors',
      met: r.okRps / base[c]! >= 0.4 && r.errors === 0 && r.non2xx === 0,
      note: `p95 ${r.p95} ms, p99 ${r.p99} ms; ${errorsOf(r)}${cpuPer(r)}`,
    });
  }
}

async function photoScenario(
  server: ServerProcess,
  uploaders: BenchHousehold[],
  codes: string[],
  base: Record<number, number>,
  sql: pg.Pool,
) {
  const photos = await photoMaker(320);
  console.log(`photos: ~${photos.meanKb.toFixed(0)} KB JPEG 1600×1200 (q${photos.quality}), unique bytes per request`);
  let n = 0;
  const upload = (connections: number, size: { duration?: number; amount?: number }) =>
    load({
      url: server.url,
      connections,
      ...size,
      method: 'POST',
      // A slow answer under a burst still counts (and shows in the latency); it is not an error.
      timeout: 120,
      setupRequest: () => {
        const h = uploaders[n % uploaders.length]!;
        const code = codes[Math.floor(n++ / uploaders.length) % codes.length]!;
        const m = multipart(photos.next());
        return {
          method: 'POST',
          path: `/api/v1/assessments/${h.assessmentId}/evidence?indicatorCode=${encodeURIComponent(code)}`,
          headers: { ...bearer(h), 'content-type': m.contentType },
          body: m.body,
        };
      },
    });
  const backlog = async () =>
    Number(
      (
        await sql.query<{ n: number }>(
          `select count(*)::int n from evidence where state = 'processing' and deleted_at is null`,
        )
      ).rows[0]!.n,
    );
  const drain = async () => {
    const t0 = performance.now();
    while ((await backlog()) > 0 && performance.now() - t0 < drainLimitS * 1000)
      await new Promise((r) => setTimeout(r, 250));
    return { seconds: (performance.now() - t0) / 1000, left: await backlog() };
  };
  const reader = uploaders[0]!.token;
  await upload(2, { amount: 10 });
  await drain();
  const row = (scenario: string, r: LoadResult, probeP99: number, target?: { rps: number }) => {
    const fiveXx = Object.entries(r.statuses)
      .filter(([s]) => s.startsWith('5'))
      .reduce((a, [, k]) => a + k, 0);
    const accepted = r.statuses['201'] ?? 0;
    const rps = accepted / Math.max(0.001, r.seconds);
    results.add({
      scenario,
      figure: 'accepted/s (201)',
      value: rps,
      unit: '/s',
      ratio: rps / base[50]!,
      ...(target ? { target: `≥ ${target.rps}/s, 0 5xx`, met: rps >= target.rps && fiveXx === 0 } : {}),
      note: `p95 ${r.p95} ms, p99 ${r.p99} ms; ${errorsOf(r)}`,
    });
    results.add({
      scenario: `${scenario}: cheap read meanwhile`,
      figure: 'p99 latency',
      value: probeP99,
      unit: 'ms',
      target: 'p99 ≤ 100 ms',
      met: probeP99 <= 100,
    });
  };
  for (const c of LEVELS) {
    const probe = startProbe(server.url, reader);
    const r = await withRss(server, `PostgreSQL: photo upload c${c}`, () => upload(c, { duration: seconds }));
    const p = await probe.stop();
    row(`PostgreSQL: 320 KB JPEG upload, c${c}`, r, p.p99, c === 50 ? { rps: 75 } : undefined);
    const d = await withRss(server, `PostgreSQL: drain after c${c}`, drain);
    results.note(`Backlog after the c${c} upload run drained in ${d.seconds.toFixed(1)} s (${d.left} left).`);
  }

  // The burst: BENCH_PHOTOS uploads at c50 as fast as they are accepted, then the backlog drains.
  const processedBefore = Number(
    (await sql.query<{ n: number }>(`select count(*)::int n from evidence where state <> 'processing'`)).rows[0]!.n,
  );
  server.resetPeakRss();
  const cpuAtBurst = server.cpuSeconds();
  const childCpuAtBurst = server.childCpuSeconds();
  const pgCpuAtBurst = postgresCpuSeconds();
  const probe = startProbe(server.url, reader);
  const t0 = performance.now();
  const burst = await upload(Math.min(50, burstSize), { amount: burstSize });
  const burstEnd = performance.now();
  const p = await probe.stop();
  const atEnd = await backlog();
  const d = await drain();
  const drainedAt = performance.now();
  const burstCpu = server.cpuSeconds() - cpuAtBurst;
  const processorCpu = server.childCpuSeconds() - childCpuAtBurst;
  const pgCpu = postgresCpuSeconds() - pgCpuAtBurst;
  rssRows.push({ scenario: `PostgreSQL: ${burstSize}-photo burst and drain`, mb: server.peakRssMb() });
  if (server.childPeakRssMb() > 0)
    rssRows.push({
      scenario: `PostgreSQL: ${burstSize}-photo burst and drain, photo processor process`,
      mb: server.childPeakRssMb(),
    });
  const states = (
    await sql.query<{ state: string; n: number }>(`select state, count(*)::int n from evidence group by state`)
  ).rows;
  const processedAfter = states.filter((s) => s.state !== 'processing').reduce((a, s) => a + s.n, 0);
  const processed = processedAfter - processedBefore;
  const burstS = (burstEnd - t0) / 1000;
  row(`PostgreSQL: burst of ${burstSize} uploads, c50`, { ...burst, seconds: burstS }, p.p99, { rps: 75 });
  results.add({
    scenario: `PostgreSQL: burst of ${burstSize}: backlog drain after it ends`,
    figure: 'drain time',
    value: d.seconds,
    unit: 's',
    target: '≤ 120 s',
    met: d.seconds <= 120 && d.left === 0,
    note: `${atEnd} photos waiting when the burst ended; ${d.left} left${d.left ? ` after ${drainLimitS} s` : ''}`,
  });
  const perCore = processed / ((drainedAt - t0) / 1000);
  results.add({
    scenario: 'PostgreSQL: photo processing throughput (server pinned to 1 core)',
    figure: 'photos/s per core',
    value: perCore,
    unit: '/s',
    target: '≥ 25/s per core',
    met: perCore >= 25,
    note: `${processed} processed from burst start to drained; states now ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`,
  });
  // The same work per CPU-second the API actually got (uploads, processing threads, storage, SQL
  // client), so a core shared with other work does not count against it. PostgreSQL's own CPU
  // is not included.
  if (burstCpu > 0) {
    const perCpuS = processed / burstCpu;
    results.add({
      scenario: 'PostgreSQL: photo throughput per CPU-second of the API (upload + processing)',
      figure: 'photos per CPU-s',
      value: perCpuS,
      unit: '/s',
      target: '≥ 25/s per core',
      met: perCpuS >= 25,
      note:
        `${fmtMs((burstCpu * 1000) / Math.max(1, processed))} ms of API CPU per photo, all threads (${fmtMs(burstCpu)} s for ${processed}): ` +
        `${fmtMs(((burstCpu - processorCpu) * 1000) / Math.max(1, processed))} ms accepting the upload, ` +
        `${fmtMs((processorCpu * 1000) / Math.max(1, processed))} ms processing (the processor process); ` +
        `PostgreSQL ${fmtMs((pgCpu * 1000) / Math.max(1, processed))} ms more`,
    });
  }
}

async function postgresRun() {
  const store = await freshPostgres('ingest');
  try {
    console.log(`PostgreSQL: building ${drafts + photoHouseholds} households with ready drafts …`);
    const world = await buildWorld(store, { households: drafts + photoHouseholds, drafts: drafts + photoHouseholds });
    const server = await startServerProcess({ ...store.env, DISPATCHER_ENABLED: 'false' });
    const sql = new pg.Pool({ connectionString: store.url, max: 1 });
    try {
      console.log(`API process ${server.pid} on ${server.url} (PostgreSQL ${store.url})`);
      const users = world.households;
      const base = await baseline(server, users, 'PostgreSQL');
      if (runs('me')) await meScenario(server, users, base);
      if (runs('submit')) await submitScenario(server, users.slice(0, drafts), base, 'PostgreSQL');
      if (runs('photo')) await photoScenario(server, users.slice(drafts), world.codes, base, sql);
    } finally {
      await sql.end();
      await server.stop();
    }
  } finally {
    await store.dispose();
  }
}

async function pgliteRun() {
  const store = freshPglite();
  try {
    console.log(`PGlite: demo commune plus ${pgliteDrafts} households with ready drafts …`);
    const world = await buildWorld(store, { households: pgliteDrafts, drafts: pgliteDrafts });
    const server = await startServerProcess({ ...store.env, DISPATCHER_ENABLED: 'false' });
    try {
      console.log(`API process ${server.pid} on ${server.url} (PGlite in ${store.env.DATA_DIR})`);
      const base = await baseline(server, world.households, 'PGlite');
      await submitScenario(server, world.households, base, 'PGlite');
    } finally {
      await server.stop();
    }
  } finally {
    await store.dispose();
  }
}

const started = new Date();
if (runs('me') || runs('submit') || runs('photo')) await postgresRun();
if (runs('pglite')) await pgliteRun();
for (const r of rssRows)
  results.add({
    scenario: r.scenario,
    figure: 'API peak RSS',
    value: r.mb,
    unit: 'MB',
    target: '≤ 400 MB',
    met: r.mb <= 400,
  });

const missed = results.rows.filter((r) => r.met === false).map((r) => `${r.scenario} (${r.figure})`);
if (loadAtStart > 0.5)
  results.note(
    `The machine was shared with other work during this run (load average ${loadAtStart.toFixed(1)} at the start on ${cpus().length} cores): absolute figures are noisy; the ratios to the same run's baseline are the comparable figures.`,
  );
results.note(missed.length ? `Targets not met: ${missed.join('; ')}.` : 'Every target met.');

const existing = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmark results\n';
writeSection(
  resultsFile,
  'ingest',
  results.markdown('Ingest: submit, sign-in reads, photo uploads (`npm run bench`)', [
    `Run started ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`,
    `API: its own process (${hasTaskset ? `pinned to CPU ${CPUS.server}` : 'not pinned: taskset missing'}) on PostgreSQL at 127.0.0.1 (a database created for the run, dropped after), then on PGlite (no DATABASE_URL, demo seed); load generator ${hasTaskset ? `pinned to CPU ${CPUS.load}` : 'not pinned'}; PostgreSQL itself is not pinned`,
    `${seconds} s per autocannon run; ${drafts} ready drafts for submit on PostgreSQL, ${pgliteDrafts} on PGlite; ${photoHouseholds} uploading households; burst of ${burstSize} photos`,
    'Peak RSS per scenario: the kernel’s high-water mark (VmHWM, worker threads included), reset before the scenario, so memory still resident from earlier scenarios counts',
    'Ratios are to the baseline at the same concurrency (photos: to the c50 baseline); p95 is autocannon’s p97.5 bucket (its histogram has no p95): slightly pessimistic',
  ]),
  existing,
);
console.log(`\nWritten to ${resultsFile}`);
