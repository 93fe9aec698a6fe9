// `npm run bench`: prints figures for the performance targets; never fails on a number.
// BENCH_SECONDS (default 5) sets each HTTP run's duration; BENCH_DATABASE_URL switches to PostgreSQL.
import { spawnSync } from 'node:child_process';
import { benchApiReads } from './api-read.bench.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const engine = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

console.log('\n== Scoring engine (shared) ==');
spawnSync('pnpm', ['--filter', '@hoctap/shared', 'run', '--silent', 'bench'], { stdio: 'inherit' });

console.log(`\n== API reads on ${engine} (autocannon, 20 connections, ${seconds} s each) ==`);
await benchApiReads(seconds);
