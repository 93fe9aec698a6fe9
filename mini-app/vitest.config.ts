import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Node ≥ 25 has its own global localStorage (Web Storage without a backing file), which hides
// jsdom's; the app's stores then fail to persist. Turn Node's off where it exists.
const nodeMajor = Number(process.versions.node.split('.')[0]);
const execArgv = nodeMajor >= 25 ? ['--no-experimental-webstorage'] : [];

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: 'http://localhost:3000/' } },
    // e2e/: the real API + built app in Debian's Chromium (node environment, long timeouts).
    include: ['tests/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.ts'],
    setupFiles: ['tests/setup.ts'],
    css: false,
    poolOptions: { forks: { execArgv }, threads: { execArgv } },
    // Generous: a timeout only catches a hang (the e2e flows are long on a loaded box).
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
