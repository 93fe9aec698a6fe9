import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { miniAppCacheControl } from '@hoctap/server/plugins/mini-app.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';

// A built mini app as vite.config.mts writes it: hashed assets under assets/, each text file with
// .br and .gz siblings; index.html revalidated on every start, hashed files cached for a year.
const dir = mkdtempSync(join(tmpdir(), 'hoctap-www-'));
const html = `<!doctype html><html lang="vi"><body><p>Đang mở ứng dụng…</p>${' '.repeat(2000)}</body></html>`;
const js = `console.log(${JSON.stringify('Học tập suốt đời '.repeat(200))});`;
function put(path: string, body: string): void {
  writeFileSync(join(dir, path), body);
  writeFileSync(join(dir, `${path}.br`), brotliCompressSync(body));
  writeFileSync(join(dir, `${path}.gz`), gzipSync(body));
}
mkdirSync(join(dir, 'assets'));
put('index.html', html);
put('assets/index.Ab12Cd.module.js', js);
writeFileSync(join(dir, 'app-config.json'), '{"app":{}}');

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ MINI_APP_DIR: dir });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mini app files', () => {
  it('index.html: brotli when accepted, revalidated on every start', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(html);
  });

  it('hashed assets: gzip for a gzip-only client, plain for none, cached for a year either way', async () => {
    const url = '/assets/index.Ab12Cd.module.js';
    const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await t.app.inject({ method: 'GET', url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('unhashed files are never cached as immutable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/app-config.json' });
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(miniAppCacheControl('/srv/www/index.html.br')).toBe('no-cache');
    expect(miniAppCacheControl('/srv/www/assets/a.B1.module.js.gz')).toMatch(/immutable/);
  });
});

describe('API responses', () => {
  it('large JSON is compressed for clients that accept it, and stays JSON for those that do not', async () => {
    const br = await t.app.inject({ method: 'GET', url: '/docs/json', headers: { 'accept-encoding': 'br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    const doc = JSON.parse(brotliDecompressSync(br.rawPayload).toString()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(doc).length / 3);
    const plain = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.body) as { openapi: string }).openapi).toBe(doc.openapi);
  });

  it('small responses and error bodies under the threshold go out as they are', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    const err = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'accept-encoding': 'br, gzip' } });
    expect(err.statusCode).toBe(401);
    expect(err.headers['content-encoding']).toBeUndefined();
    expect(err.json()).toMatchObject({ statusCode: 401, reqId: expect.any(String) });
  });
});
