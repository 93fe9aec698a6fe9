// `npm start`: the demo on the embedded database. Builds the mini app when its build is missing
// or older than its sources, then runs the API, which also serves the mini app from its origin.
// Set DATABASE_URL to use PostgreSQL instead; NODE_ENV=production turns the demo defaults off.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.env.NODE_ENV === 'production';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const miniApp = join(root, 'mini-app');
const built = join(miniApp, 'www', 'index.html');
if (existsSync(join(miniApp, 'package.json'))) {
  const stale =
    !existsSync(built) ||
    newestMtime(join(miniApp, 'src')) > statSync(built).mtimeMs ||
    newestMtime(join(root, 'shared', 'src')) > statSync(built).mtimeMs;
  if (stale) {
    console.log('[start] đang build mini app (building the mini app)…');
    const r = spawnSync('pnpm', ['--filter', '@hoctap/mini-app', 'run', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const env = {
  ...process.env,
  // The API's V8 young generation, as in production (docs/operations.md §1 "Memory").
  NODE_OPTIONS: `--max-semi-space-size=4 --max-old-space-size=384 ${process.env.NODE_OPTIONS ?? ''}`.trim(),
  DATA_DIR: process.env.DATA_DIR ?? join(root, 'data'),
  MINI_APP_DIR: process.env.MINI_APP_DIR ?? join(miniApp, 'www'),
  ...(production ? {} : { DEV_LOGIN: process.env.DEV_LOGIN ?? 'true', SEED_DEMO: process.env.SEED_DEMO ?? 'true' }),
};
const child = spawn(join(root, 'server', 'node_modules', '.bin', 'tsx'), [join(root, 'server', 'src', 'main.ts')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
// tsx relays signals to the server, which finishes in-flight requests before exiting.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
