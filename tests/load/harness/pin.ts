import { spawnSync } from 'node:child_process';
import { hasTaskset } from './server-process.ts';

/** Pins this process (every thread) to `cpu` so the load generator never shares the API's core. */
export function pinSelf(cpu: string): void {
  if (hasTaskset) spawnSync('taskset', ['-a', '-cp', cpu, String(process.pid)], { stdio: 'ignore' });
}
