import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@hoctap/server/config.ts';

describe('loadConfig', () => {
  it('uses the embedded database and safe defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.database.kind).toBe('pglite');
    expect(c.port).toBe(3000);
    expect(c.devLogin).toBe(false);
    expect(c.corsOrigins).toContain('https://h5.zdn.vn');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/x', DATABASE_POOL_MAX: '4' });
    expect(c.database).toEqual({ kind: 'pg', url: 'postgres://u@127.0.0.1:5432/x', poolMax: 4 });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', NODE_ENV: 'production', DEV_LOGIN: 'true' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('refuses the development login and a missing JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEV_LOGIN: 'true', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /DEV_LOGIN/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).devLogin).toBe(false);
  });

  it('rejects a short JWT secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
