// `npm run bench`: prints figures for the performance targets; never fails on a number.
// BENCH_SECONDS (default 5) sets each autocannon run; BENCH_SUBMISSIONS (default 1000) the number
// of households in the submit run; BENCH_DATABASE_URL switches the API to PostgreSQL.
import { spawnSync } from 'node:child_process';
import { benchApiReads } from './api-read.bench.ts';
import { benchSubmissions } from './submit.bench.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const submissions = Number(process.env.BENCH_SUBMISSIONS ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const engine = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

console.log('\n== Scoring engine (shared) ==');
spawnSync('pnpm', ['--filter', '@hoctap/shared', 'run', '--silent', 'bench'], { stdio: 'inherit' });

console.log(`\n== API reads on ${engine} (autocannon, 20 connections, ${seconds} s each) ==`);
await benchApiReads(seconds);

console.log(`\n== Household hot path on ${engine} (${submissions} households, ${concurrency} in flight, real HTTP) ==`);
await benchSubmissions(submissions, concurrency);
