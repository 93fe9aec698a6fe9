import { defineConfig } from 'vitest/config';

// Pure unit and property tests of the criteria engine; no database, no network.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
