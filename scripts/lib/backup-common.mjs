// Shared by backup.mjs and restore.mjs.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A PostgreSQL client binary: $PG_BIN_DIR/<name> when set, else <name> on PATH. */
export function pgTool(name) {
  return process.env.PG_BIN_DIR ? join(process.env.PG_BIN_DIR, name) : name;
}

export function countFiles(dir) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(join(dir, e.name));
    else if (e.isFile()) n += 1;
  }
  return n;
}

/**
 * Copies the content-addressed blobs, keeping modification times (the sweeper and the consistency
 * checker read ages from them) and skipping `.tmp` (writes in progress). An existing file is never
 * overwritten: the same key always holds the same bytes. Returns how many files `to` holds.
 */
export function copyBlobs(from, to) {
  if (!existsSync(from)) return 0;
  cpSync(from, to, {
    recursive: true,
    preserveTimestamps: true,
    force: false,
    errorOnExist: false,
    filter: (src) => !src.slice(from.length).split(/[\\/]/).includes('.tmp'),
  });
  return countFiles(to);
}
