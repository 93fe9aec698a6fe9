import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig, lintFromString, loadConfig as loadRedoclyConfig } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { createTestApp, type TestApp } from '../../helpers/app.ts';

/**
 * The OpenAPI document integrators build on: valid for a maintained linter (Redocly, with the
 * ruleset committed at the repository root), complete (operationId, summary, security on every
 * operation), and good enough to generate a typed client that compiles.
 */

const testsDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const root = join(testsDir, '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema: unknown }> }>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

function operations(doc: Doc): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })),
  );
}

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await createTestApp();
  doc = t.app.swagger() as unknown as Doc;
});
afterAll(async () => t?.close());

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and passes Redocly lint with the committed ruleset (zero problems)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const config = await loadRedoclyConfig({ configPath: join(root, 'redocly.yaml') });
    const problems = await lintFromString({
      source: JSON.stringify(doc, null, 2),
      absoluteRef: join(root, 'openapi.json'),
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('the linter does catch a broken document (so the check above can fail)', async () => {
    const config = await loadRedoclyConfig({ configPath: join(root, 'redocly.yaml') });
    const broken = structuredClone(doc);
    const post = broken.paths['/api/v1/units']!.post!;
    delete post.operationId;
    delete post.summary;
    const problems = await lintFromString({ source: JSON.stringify(broken), absoluteRef: 'broken.json', config });
    expect(new Set(problems.map((p) => p.ruleId))).toEqual(new Set(['operation-operationId', 'operation-summary']));
    // And the default recommended ruleset agrees the real document is valid.
    const recommended = await createConfig({ extends: ['recommended'] });
    const base = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'doc.json', config: recommended });
    expect(base.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('every operation has a unique operationId, a summary, a tag and an explicit security requirement', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(70);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, op } of ops) {
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      const isPublic =
        path.startsWith('/api/v1/auth/') ||
        path.startsWith('/api/v1/verify/') ||
        path === '/health' ||
        path === '/ready';
      expect(op.security, `${method} ${path}`).toEqual(isPublic ? [] : [{ bearerAuth: [] }]);
    }
  });

  it('error responses are described once and referenced; 503 with Retry-After everywhere', () => {
    const components = (doc as unknown as { components: { responses: Record<string, { headers?: object }> } })
      .components.responses;
    expect(components.ServiceUnavailable!.headers).toHaveProperty('Retry-After');
    for (const { method, path, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400)
          expect(response.$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/responses\//);
      }
      expect(op.responses['503'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/ServiceUnavailable' });
    }
  });

  it('POST /api/v1/units 201 describes the unit type as a string enum', () => {
    const schema = doc.paths['/api/v1/units']!.post!.responses['201']!.content!['application/json']!.schema as {
      properties: Record<string, unknown>;
    };
    expect(schema.properties.type).toEqual({
      type: 'string',
      enum: ['school', 'agency', 'enterprise', 'cooperative', 'other'],
    });
  });

  it('files are documented under their media type', () => {
    const image = doc.paths['/api/v1/evidence/{id}/image']!.get!.responses['200']!;
    expect(Object.keys(image.content!)).toEqual(['image/jpeg']);
    const pdf = doc.paths['/api/v1/decisions/{id}/certificates.pdf']!.get!.responses['200']!;
    expect(Object.keys(pdf.content!)).toEqual(['application/pdf']);
  });

  it('generates a typed client (openapi-typescript) that compiles against a usage file', async () => {
    const dir = join(testsDir, '.artifacts', `openapi-client-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    try {
      const ast = await openapiTS(doc as never);
      writeFileSync(join(dir, 'api.ts'), astToString(ast));
      copyFileSync(join(testsDir, 'fixtures/openapi-client/usage.ts'), join(dir, 'usage.ts'));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['*.ts'], compilerOptions: { types: [] } }),
      );
      const tsc = join(testsDir, 'node_modules/typescript/bin/tsc');
      const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', dir], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('/docs', () => {
  const prod = {
    NODE_ENV: 'production',
    DEV_LOGIN: 'false',
    DISPATCHER_ENABLED: 'false',
    JWT_SECRET: randomBytes(32).toString('hex'),
  };

  it('is served outside production', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });

  it('is not served in production unless API_DOCS=true', async () => {
    const off = await createTestApp(prod);
    try {
      for (const url of ['/docs', '/docs/json']) {
        const res = await off.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
      }
    } finally {
      await off.close();
    }
    const on = await createTestApp({ ...prod, API_DOCS: 'true' });
    try {
      expect((await on.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    } finally {
      await on.close();
    }
  }, 600_000);
});
