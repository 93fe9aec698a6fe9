/**
 * Removes files left in a local temp directory by uploads that died midway (a crash between
 * receiving the bytes and storing them). Only files older than `olderThanMs` are touched, so an
 * upload in progress never is.
 */
import { opendir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function cleanTempDir(dir: string, options: { olderThanMs: number; now?: Date }): Promise<number> {
  const cutoff = (options.now ?? new Date()).getTime() - options.olderThanMs;
  let handle;
  try {
    handle = await opendir(dir);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for await (const entry of handle) {
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    const s = await stat(path).catch(() => null);
    if (s && s.mtime.getTime() < cutoff) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
