/**
 * The photo processing loop as a child process of the API (EVIDENCE_PROCESSOR=process, the default
 * on PostgreSQL). Why a process and not only worker threads: sharp's work runs on libuv's thread
 * pool and libvips' own threads, which share the API's CPU at the same priority, so a burst of
 * uploads competed with its own processing and with every other request. The child lowers its own
 * priority (`nice`), so the API accepts and answers first and photos are processed in the CPU
 * time left over; the durable queue (evidence rows in `processing`) and the claim leases make
 * this exactly as safe as the in-process loop, and several API processes may each run one.
 *
 * The child is restarted when it dies (after 1 s, then up to 30 s); `wake()` tells it a photo
 * was just accepted, so it need not wait for its next poll.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../../config.ts';

const ENTRY = fileURLToPath(new URL('../../photo-processor.ts', import.meta.url));

/**
 * The child runs TypeScript like the API: with tsx's loader. A fork inherits it when the API was
 * started through tsx (`npm start`); a test runner's process has its own, so it is named here.
 */
function tsxLoader(): string[] {
  if (process.execArgv.some((a) => a.includes('tsx'))) return [];
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return ['--import', pathToFileURL(join(dirname(pkg), 'dist', 'loader.mjs')).href];
}

export interface ProcessorLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the child needs of the API's configuration (handed over whole: no second config parse). */
export interface ProcessorSettings {
  database: { kind: 'pg'; url: string; poolMax: number };
  blobStore: Config['blobStore'];
  evidence: Config['evidence'];
  logLevel: string;
}

/** The environment variable that carries ProcessorSettings to the child. */
export const PROCESSOR_SETTINGS_ENV = 'HOCTAP_PHOTO_PROCESSOR';

export function createProcessorProcess(deps: { settings: ProcessorSettings; log: ProcessorLog }) {
  let child: ChildProcess | null = null;
  let readyPid: number | undefined;
  let running = false;
  let restartDelayMs = 1000;
  let restartTimer: NodeJS.Timeout | undefined;

  function spawn(): void {
    const c = fork(ENTRY, [], {
      execArgv: [...process.execArgv, ...tsxLoader()],
      env: { ...process.env, [PROCESSOR_SETTINGS_ENV]: JSON.stringify(deps.settings) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = c;
    c.on('message', (m) => {
      if (m !== 'ready') return;
      restartDelayMs = 1000;
      readyPid = c.pid;
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = null;
      if (readyPid === c.pid) readyPid = undefined;
      if (!running) return;
      deps.log.error({ code, signal }, 'photo processor exited; restarting');
      restartTimer = setTimeout(spawn, restartDelayMs);
      restartDelayMs = Math.min(30_000, restartDelayMs * 2);
    });
  }

  return {
    async start(): Promise<void> {
      if (running) return;
      running = true;
      spawn();
    },

    /** Lets the photos in flight finish (the child stops claiming on SIGTERM), then returns. */
    async stop(): Promise<void> {
      running = false;
      clearTimeout(restartTimer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
    },

    wake(): void {
      if (child?.connected) child.send('wake', () => undefined);
    },

    /** The process id of the child once it is processing (tests). */
    pid(): number | undefined {
      return readyPid;
    },
  };
}

export type ProcessorProcess = ReturnType<typeof createProcessorProcess>;
