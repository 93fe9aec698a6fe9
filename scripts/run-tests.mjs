// Runs every suite and prints one closing line "N passed, N failed" (CI reads that line).
//   - shared, mini-app and the engine-independent tests once;
//   - the database-touching suites (tests/integration) on PGlite, and on PostgreSQL as well when
//     TEST_DATABASE_URL is set. TEST_ENGINES=pg|pglite|pglite,pg narrows which engines run.
//   - CI's second Node runs TEST_ENGINES=pg with TEST_UNITS=1 (shared, the mini app, the
//     engine-independent tests/unit once) and TEST_PGLITE_FILES (a few suites on PGlite too).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engines = (process.env.TEST_ENGINES ?? (process.env.TEST_DATABASE_URL ? 'pglite,pg' : 'pglite'))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const engineIndependent = engines.includes('pglite') || process.env.TEST_UNITS === '1';
const pgliteFiles = (process.env.TEST_PGLITE_FILES ?? '').split(/\s+/).filter(Boolean);

const runs = [];
if (engineIndependent) {
  runs.push({ name: 'shared', cwd: 'shared', args: [] });
  // TEST_MINI_APP=build keeps only the mini app's production build check: its code runs in the
  // phone's browser, so on a second Node only the build (done on the server's Node) is at stake.
  if (existsSync(join(root, 'mini-app/vitest.config.ts'))) {
    const args = process.env.TEST_MINI_APP === 'build' ? ['tests/build-limits.test.ts'] : [];
    runs.push({ name: 'mini-app', cwd: 'mini-app', args });
  }
  if (engines.includes('pglite'))
    runs.push({ name: 'tests (PGlite)', cwd: 'tests', args: [], env: { TEST_DB_ENGINE: 'pglite' } });
  else {
    runs.push({ name: 'tests (engine-independent)', cwd: 'tests', args: ['unit'], env: { TEST_DB_ENGINE: 'pglite' } });
    if (pgliteFiles.length)
      runs.push({
        name: 'tests (PGlite, a few suites)',
        cwd: 'tests',
        args: pgliteFiles,
        env: { TEST_DB_ENGINE: 'pglite' },
      });
  }
}
if (engines.includes('pg')) {
  if (!process.env.TEST_DATABASE_URL) {
    console.error('TEST_ENGINES includes pg but TEST_DATABASE_URL is not set');
    process.exit(2);
  }
  runs.push({ name: 'tests (PostgreSQL)', cwd: 'tests', args: ['integration'], env: { TEST_DB_ENGINE: 'pg' } });
}

const tmp = mkdtempSync(join(tmpdir(), 'hoctap-results-'));
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const [i, run] of runs.entries()) {
  const out = join(tmp, `r${i}.json`);
  console.log(`\n=== ${run.name} ===`);
  const r = spawnSync(
    'pnpm',
    ['exec', 'vitest', 'run', ...run.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { cwd: join(root, run.cwd), stdio: 'inherit', env: { ...process.env, ...run.env } },
  );
  if (!existsSync(out)) {
    console.error(`[run-tests] ${run.name}: no results (exit ${r.status}); counting as a failure`);
    failed += 1;
    broken = true;
    continue;
  }
  const json = JSON.parse(readFileSync(out, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  // A suite that failed to load counts as a failure even with no failed test inside it.
  const brokenFiles = json.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed'),
  );
  failed += brokenFiles.length;
  if (r.status !== 0) broken = true;
}
rmSync(tmp, { recursive: true, force: true });
if (process.env.TEST_SUMMARY_FILE)
  writeFileSync(process.env.TEST_SUMMARY_FILE, JSON.stringify({ passed, failed, skipped }));
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken ? 1 : 0);
