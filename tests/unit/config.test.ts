import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '@hoctap/server/config.ts';

describe('loadConfig', () => {
  it('uses the embedded database and safe defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.database.kind).toBe('pglite');
    expect(c.port).toBe(3000);
    expect(c.devLogin).toBe(false);
    expect(c.corsOrigins).toContain('https://h5.zdn.vn');
    expect(c.trustProxy).toEqual([]);
    expect(c.apiDocs).toBe(true);
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/x', DATABASE_POOL_MAX: '4' });
    expect(c.database).toEqual({ kind: 'pg', url: 'postgres://u@127.0.0.1:5432/x', poolMax: 4 });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
        DEV_LOGIN: 'true',
      });
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

  it('refuses, in production, the published development JWT secret (anyone could forge tokens)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET: đây là khóa/);
    // Outside production it stays the default, so a laptop demo needs no secret.
    expect(loadConfig({}).jwt.secret).toBe(DEV_JWT_SECRET);
  });

  it('turns /docs off in production unless API_DOCS=true', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(prod).apiDocs).toBe(false);
    expect(loadConfig({ ...prod, API_DOCS: 'true' }).apiDocs).toBe(true);
  });

  it('reads TRUST_PROXY as a list of addresses and CIDRs and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
  });

  it('schedules the orphan-blob sweeper and the photo retention purge from config; tests run the purge themselves', () => {
    expect(loadConfig({}).evidence.sweepIntervalMs).toBe(6 * 3600_000);
    expect(loadConfig({}).photoRetentionIntervalMs).toBe(24 * 3600_000);
    expect(loadConfig({ NODE_ENV: 'test' }).photoRetentionIntervalMs).toBe(0);
    const c = loadConfig({
      NODE_ENV: 'test',
      EVIDENCE_SWEEP_INTERVAL_MS: '600000',
      PHOTO_RETENTION_INTERVAL_MS: '3600000',
    });
    expect([c.evidence.sweepIntervalMs, c.photoRetentionIntervalMs]).toEqual([600_000, 3600_000]);
    expect(() => loadConfig({ EVIDENCE_SWEEP_INTERVAL_MS: '10' })).toThrow(ConfigError);
  });

  it('rejects a short JWT secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
