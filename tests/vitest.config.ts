import { defineConfig } from 'vitest/config';

// Integration suites each hold a PGlite instance (~500 MB); two forks fit the 2-core CI box.
export default defineConfig({
  test: {
    include: ['unit/**/*.test.ts', 'integration/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Generous: a timeout only catches a hang. A loaded CI box must not turn slowness into failure.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    globalSetup: ['./helpers/global-setup.ts'],
  },
});
