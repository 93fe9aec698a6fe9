import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: 'http://localhost:3000/' } },
    // e2e/: the real API + built app in Debian's Chromium (node environment, long timeouts).
    include: ['tests/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.ts'],
    setupFiles: ['tests/setup.ts'],
    css: false,
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
