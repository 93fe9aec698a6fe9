import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '../../../server');

/** The benchmark's JWT secret: servers started here sign and verify with it (bench-only). */
export const BENCH_JWT_SECRET = 'bench-only-secret-0123456789abcdefghijklmnopqrstuv';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Peak resident memory of the process so far (the kernel's VmHWM), in MB. */
  peakRssMb(): number;
  /** The same for the processes it started (the photo processor), the largest of them. */
  childPeakRssMb(): number;
  /** Starts a new peak (the kernel's clear_refs 5), so each scenario gets its own figure. */
  resetPeakRss(): void;
  /**
   * CPU seconds the process has used so far, every thread included (user + system, from
   * /proc/<pid>/stat; 0 where unavailable). On a shared machine the wall-clock figures also count
   * time the API's core spent on other work; CPU per request does not.
   */
  cpuSeconds(): number;
  /** The part of cpuSeconds() spent by the processes the API started (the photo processor). */
  childCpuSeconds(): number;
  stop(): Promise<void>;
}

export const hasTaskset = (() => spawnSync('taskset', ['-p', String(process.pid)]).status === 0)();

/** CPUs for the server (the last core) and the load generator (the first) on a 2-core box. */
export const CPUS = { server: '1', load: '0' };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real API as its own process (node + tsx, as `npm start` runs it), pinned with taskset to
 * the server's core when available so the load generator does not steal its CPU.
 */
export async function startServerProcess(env: Record<string, string>, cpu = CPUS.server): Promise<ServerProcess> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": profile the API under load
  // (Node refuses --cpu-prof in NODE_OPTIONS).
  // --max-semi-space-size=4 --max-old-space-size=384: the API's V8 heap as production runs it
  // (server/package.json "start", docs/operations.md §1 "Memory").
  const nodeArgs = [
    '--max-semi-space-size=4',
    '--max-old-space-size=384',
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  ];
  const args = [...nodeArgs, '--import', 'tsx', 'src/main.ts'];
  const fullEnv = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWT_SECRET: BENCH_JWT_SECRET,
    BENCH_BASELINE_ROUTE: 'true',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  };
  const child: ChildProcess = hasTaskset
    ? spawn('taskset', ['-c', cpu, process.execPath, ...args], {
        cwd: serverDir,
        env: fullEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
    : spawn(process.execPath, args, { cwd: serverDir, env: fullEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  // Benchmarks may wait on wall-clock time; tests never do.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (i > 600) throw new Error(`server not ready after 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // taskset execs node in place, so the child's pid is the server's.
  const pid = child.pid!;
  let peak = 0;
  let childPeak = 0;
  const hwmOf = (p: number) => {
    const file = `/proc/${p}/status`;
    if (!existsSync(file)) return 0;
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  const readHwm = () => (peak = Math.max(peak, hwmOf(pid)));
  const readChildHwm = () => (childPeak = Math.max(childPeak, ...nodeChildrenOf(pid).map(hwmOf), 0));
  return {
    url,
    pid,
    peakRssMb: readHwm,
    childPeakRssMb: readChildHwm,
    // The API and the processes it started (the photo processor): the work is the same work.
    cpuSeconds: () => cpuOf(pid, true) + childrenOf(pid).reduce((a, c) => a + cpuOf(c, false), 0),
    childCpuSeconds: () => nodeChildrenOf(pid).reduce((a, c) => a + cpuOf(c, false), 0),
    resetPeakRss: () => {
      try {
        for (const p of [pid, ...childrenOf(pid)]) writeFileSync(`/proc/${p}/clear_refs`, '5');
        peak = 0;
        childPeak = 0;
      } catch {
        // Not Linux, or not allowed: the figure stays the peak since start (pessimistic).
      }
    },
    stop: async () => {
      readHwm();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A process's command name and the fields of /proc/<pid>/stat after it; null when it is gone. */
function procStat(pid: number | string): { comm: string; fields: string[] } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const end = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, end), fields: stat.slice(end + 2).split(' ') };
  } catch {
    return null;
  }
}

/** Every process id in /proc (none where there is no /proc). */
function allPids(): string[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
}

/** utime + stime (+ cutime + cstime of children already reaped), in seconds (USER_HZ 100). */
function cpuOf(pid: number | string, reaped: boolean): number {
  const f = procStat(pid)?.fields;
  if (!f) return 0;
  return (Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) / 100;
}

/** Processes whose parent is `pid` (Linux /proc; none elsewhere). */
function childrenOf(pid: number): number[] {
  return allPids()
    .filter((d) => Number(procStat(d)?.fields[1]) === pid)
    .map(Number);
}

/**
 * The API's Node children: the photo processor process. Not tsx's esbuild service, also a child
 * (~12 MB), which on PGlite (no processor process) was reported as one.
 */
function nodeChildrenOf(pid: number): number[] {
  return childrenOf(pid).filter((c) => procStat(c)?.comm === 'node');
}

/**
 * CPU seconds used so far by every live `postgres` process of this machine (Linux /proc; 0
 * elsewhere): the local server's share of a scenario, read before and after it.
 */
export function postgresCpuSeconds(): number {
  return allPids()
    .filter((d) => procStat(d)?.comm === 'postgres')
    .reduce((a, d) => a + cpuOf(d, false), 0);
}
