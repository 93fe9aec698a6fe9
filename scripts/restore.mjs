// `npm run restore -- <backup directory> [--clean]`: puts a backup made by `npm run backup` back,
// then runs the consistency checker (exit code 1 if it finds problems).
//   PostgreSQL (DATABASE_URL set): pg_restore into that database, which must be empty unless
//     --clean is given (then existing objects are dropped first). Then the blobs into DATA_DIR/blobs.
//   PGlite: DATA_DIR/pglite must not exist yet (stop the API, move the old one away); it is copied
//     from the backup, and the blobs likewise.
// Deleted people: a backup still holds the data of anyone deleted after it was taken. Keep backups
// no longer than the documented retention, and re-run deletions after a restore (README).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyBlobs, pgTool } from './lib/backup-common.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const source = args.find((a) => !a.startsWith('--'));
if (!source) {
  console.error('Cách dùng (usage): npm run restore -- <thư mục sao lưu / backup directory> [--clean]');
  process.exit(2);
}
const from = resolve(source);
const manifestPath = join(from, 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`${from} không phải bản sao lưu hoàn chỉnh: thiếu manifest.json (incomplete backup).`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const url = process.env.DATABASE_URL;

if (manifest.engine === 'postgres') {
  if (!url) {
    console.error('Bản sao lưu PostgreSQL: hãy đặt DATABASE_URL (set DATABASE_URL to the target database).');
    process.exit(2);
  }
  const clean = args.includes('--clean') ? ['--clean', '--if-exists'] : [];
  const r = spawnSync(
    pgTool('pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', ...clean, '-d', url, join(from, 'db.dump')],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('pg_restore thất bại (failed). Cơ sở dữ liệu đích phải trống, hoặc dùng --clean.');
    process.exit(1);
  }
} else if (manifest.engine === 'pglite') {
  if (url) {
    console.error('Bản sao lưu PGlite: bỏ DATABASE_URL (unset DATABASE_URL to restore the embedded database).');
    process.exit(2);
  }
  const target = join(dataDir, 'pglite');
  if (existsSync(target) && readdirSync(target).length > 0) {
    console.error(`${target} đã có dữ liệu: dừng API và chuyển thư mục cũ đi trước (move the old one away first).`);
    process.exit(2);
  }
  cpSync(join(from, 'pglite'), target, { recursive: true, preserveTimestamps: true });
} else {
  console.error(`manifest.json: engine không rõ (unknown engine) ${manifest.engine}`);
  process.exit(2);
}
copyBlobs(join(from, 'blobs'), join(dataDir, 'blobs'));
console.log(`Đã khôi phục (restored) từ ${from} (${manifest.engine}, ${manifest.createdAt}).`);

if (args.includes('--no-check')) process.exit(0);
const check = spawnSync(process.execPath, [join(root, 'scripts', 'check-consistency.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, DATA_DIR: dataDir },
});
process.exit(check.status ?? 2);
