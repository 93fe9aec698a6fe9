// Makes a fresh clone runnable with only Node 20 and npm: installs pnpm 10 when it is missing,
// then the workspace dependencies when they are missing or older than the lockfile.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_RANGE = '10';

function pnpmVersion() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const version = pnpmVersion();
if (!version || !version.startsWith(`${PNPM_RANGE}.`)) {
  console.log(`[bootstrap] cài pnpm@${PNPM_RANGE} (installing pnpm ${PNPM_RANGE} with npm)…`);
  execSync(`npm install -g pnpm@${PNPM_RANGE}`, { stdio: 'inherit' });
}

const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const stale =
  !existsSync(marker) ||
  (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs) ||
  ['shared', 'server', 'tests', 'mini-app'].some(
    (p) => existsSync(join(root, p, 'package.json')) && !existsSync(join(root, p, 'node_modules')),
  );
if (stale) {
  const frozen = process.env.CI && existsSync(lock) ? ['--frozen-lockfile'] : [];
  console.log('[bootstrap] cài các gói phụ thuộc (pnpm install)…');
  execSync(['pnpm', 'install', '--reporter=append-only', ...frozen].join(' '), { cwd: root, stdio: 'inherit' });
}
