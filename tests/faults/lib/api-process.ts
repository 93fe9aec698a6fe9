import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './pg-cluster.ts';

/**
 * The real API as a child process (`node --import tsx server/src/main.ts`, no tsx wrapper, so a
 * SIGKILL hits the server itself), configured through its environment like production. Every log
 * line is kept for the personal-data scan.
 */

const SERVER_DIR = join(import.meta.dirname, '../../../server');

export interface ApiProcess {
  url: string;
  pid: number;
  /** stdout + stderr lines of this process and every earlier one of the same handle. */
  logs: string[];
  alive(): boolean;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a new process on the same port and environment (after kill9/stop). */
  restart(): Promise<void>;
}

export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const url = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  let child: ChildProcess;
  let exited: Promise<void>;
  let isAlive = false;

  async function launch() {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        DEV_LOGIN: 'true',
        SHUTDOWN_GRACE_MS: '2000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    isAlive = true;
    exited = new Promise((resolve) =>
      child.once('exit', () => {
        isAlive = false;
        resolve();
      }),
    );
    // Resolves on the line main.ts prints once it listens; rejects if the process dies first.
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) {
          logs.push(line);
          if (line.includes('/ready')) resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => reject(new Error(`API exited before listening:\n${logs.slice(-30).join('\n')}`)));
    });
  }

  await launch();
  const api: ApiProcess = {
    url,
    get pid() {
      return child.pid!;
    },
    logs,
    alive: () => isAlive,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async restart() {
      if (isAlive) throw new Error('restart() needs the previous process gone');
      await launch();
    },
  };
  return api;
}
