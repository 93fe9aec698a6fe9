/** Which engine database-touching suites run on: PGlite by default, PostgreSQL when asked. */
export function testEngine(): 'pglite' | 'pg' {
  const engine = process.env.TEST_DB_ENGINE ?? 'pglite';
  if (engine !== 'pg' && engine !== 'pglite') throw new Error(`TEST_DB_ENGINE must be pg or pglite, not ${engine}`);
  if (engine === 'pg' && !process.env.TEST_DATABASE_URL) {
    throw new Error('TEST_DB_ENGINE=pg needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  }
  return engine;
}
