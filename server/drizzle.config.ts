import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: '../migrations',
  // One statement per chunk: PGlite rejects multi-statement chunks (docs/architecture.md §10).
  breakpoints: true,
});
