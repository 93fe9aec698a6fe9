// `npm run check:consistency [-- --json] [-- --pending-hours N]`: the consistency checker
// (server/src/ops/consistency.ts) against DATABASE_URL or the PGlite data under DATA_DIR.
// Exit 0 = consistent, 1 = problems (printed in Vietnamese and English), 2 = could not check.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(
  join(root, 'server', 'node_modules', '.bin', 'tsx'),
  [join(root, 'server', 'src', 'ops', 'consistency-cli.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DATA_DIR: process.env.DATA_DIR ?? join(root, 'data') } },
);
process.exit(r.status ?? 2);
