// `npm run backup -- <directory>`: a backup of the database and the photo blobs.
//   PostgreSQL (DATABASE_URL set): `pg_dump -Fc` to <directory>/db.dump — consistent while the API
//     runs, it blocks no reader or writer — THEN a copy of DATA_DIR/blobs. In that order the copy
//     holds every blob the dump references (blobs are written before their rows and never change).
//   PGlite (no DATABASE_URL): stop the API first; copies DATA_DIR/pglite and DATA_DIR/blobs.
// Writes <directory>/manifest.json last: a backup without it is incomplete.
// PG_BIN_DIR selects the PostgreSQL client binaries (default: pg_dump on PATH).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyBlobs, pgTool } from './lib/backup-common.mjs';

const target = process.argv[2];
if (!target) {
  console.error('Cách dùng (usage): npm run backup -- <thư mục sao lưu / backup directory>');
  process.exit(2);
}
const out = resolve(target);
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`Thư mục ${out} không trống (backup directory must be empty).`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const url = process.env.DATABASE_URL;

let engine;
if (url) {
  engine = 'postgres';
  const r = spawnSync(pgTool('pg_dump'), ['-Fc', '--no-owner', '--no-privileges', '-f', join(out, 'db.dump'), url], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('pg_dump thất bại (pg_dump failed).');
    process.exit(1);
  }
} else {
  engine = 'pglite';
  const src = join(dataDir, 'pglite');
  if (!existsSync(src)) {
    console.error(`Không thấy ${src} (no PGlite data directory).`);
    process.exit(2);
  }
  cpSync(src, join(out, 'pglite'), { recursive: true, preserveTimestamps: true });
}
const blobs = copyBlobs(join(dataDir, 'blobs'), join(out, 'blobs'));
writeFileSync(
  join(out, 'manifest.json'),
  JSON.stringify({ format: 1, engine, createdAt: new Date().toISOString(), blobFiles: blobs }, null, 2),
);
console.log(`Đã sao lưu (backup done): ${out} — ${engine}, ${blobs} tệp ảnh (blob files).`);
