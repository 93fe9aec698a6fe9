import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: real server processes on a PostgreSQL cluster each file starts itself.
// Files run one at a time: they kill processes and crash databases, and the box has 2 cores.
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '..'),
    include: ['faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
