// `npm run admin:create -- --name … --province … [--commune …]`: the first account of an empty
// database (server/src/ops/first-admin-cli.ts), against DATABASE_URL or the PGlite data under DATA_DIR.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(
  join(root, 'server', 'node_modules', '.bin', 'tsx'),
  [join(root, 'server', 'src', 'ops', 'first-admin-cli.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DATA_DIR: process.env.DATA_DIR ?? join(root, 'data') } },
);
process.exit(r.status ?? 1);
