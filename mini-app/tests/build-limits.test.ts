// @vitest-environment node
// Runs the production build and checks Zalo's upload limits (zmp-cli: 3 MB a file, 10 MB in all),
// that the output works from any base path (the server serves it from its own origin), and the
// weak-network budgets of issue 21 (mini-app/PERF.md): what a household downloads, gzip.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'vite';

const MB = 1024 * 1024;
const KB = 1024;
/** Every script a household downloads from a cold start to the open wizard (the target of issue 21). */
const HOUSEHOLD_PATH_JS_GZIP = 110 * KB;
/** The entry chunk alone: what runs before the login screen. */
const ENTRY_JS_GZIP = 90 * KB;
/** The stylesheets on the household path (only the zmp-ui components used, vite.config.mts). */
const CSS_GZIP = 10 * KB;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)],
  );
}

describe('production build', () => {
  it('fits Zalo limits and uses relative asset paths', { timeout: 240_000 }, async () => {
    const root = resolve(__dirname, '..');
    const out = mkdtempSync(join(tmpdir(), 'hoctap-www-'));
    const cwd = process.cwd();
    const nodeEnv = process.env.NODE_ENV;
    process.chdir(root); // zmp-vite-plugin reads ./app-config.json
    // vitest sets NODE_ENV=test, which would give React's development build: measure what ships.
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(root, 'vite.config.mts'),
        logLevel: 'error',
        build: { outDir: out, emptyOutDir: true, manifest: 'manifest.json' },
      });
    } finally {
      process.chdir(cwd);
      process.env.NODE_ENV = nodeEnv;
    }
    try {
      const all = files(out);
      const sizes = all.map((f) => ({ f, size: statSync(f).size }));
      for (const { f, size } of sizes) expect(size, `${f} is ${size} bytes`).toBeLessThanOrEqual(3 * MB);
      const total = sizes.reduce((s, x) => s + x.size, 0);
      expect(total).toBeLessThanOrEqual(10 * MB);

      const cfg = JSON.parse(readFileSync(join(out, 'app-config.json'), 'utf8')) as {
        app: { title: string };
        listCSS: string[];
        listSyncJS: string[];
      };
      expect(cfg.app.title).toBe('Học tập suốt đời');
      expect(cfg.listSyncJS.length).toBeGreaterThan(0);
      for (const f of [...cfg.listCSS, ...cfg.listSyncJS]) {
        expect(f.startsWith('/')).toBe(false);
        expect(statSync(join(out, f)).isFile()).toBe(true);
      }
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).toMatch(/src="\.\/assets\//);
      expect(html).not.toMatch(/(src|href)="\/assets\//);

      // What every user downloads first: no zod (neither the contract's v4 nor zmp-sdk's v3), no
      // criteria set, no other role's screens; each JS and CSS file precompressed for the server.
      const entry = join(out, html.match(/src="\.\/(assets\/[^"]+\.js)"/)![1]!);
      const code = readFileSync(entry, 'utf8');
      for (const marker of ['$ZodType', 'ZodError', 'Học tập của trẻ em trong gia đình', 'Xác minh hồ sơ'])
        expect(code.includes(marker), `${marker} in the entry chunk`).toBe(false);

      // The household path: the entry, the wizard's screen (home prefetches it) with what it imports,
      // the household's criteria set and what home loads on demand (the posting button), as
      // scripts/perf.mjs counts it in the browser. Neither another role's screens nor another set.
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
      const key = (end: string) => Object.keys(manifest).find((k) => k.endsWith(end))!;
      const path = new Set<string>();
      const walk = (k: string) => {
        if (path.has(k)) return;
        path.add(k);
        for (const i of manifest[k]!.imports ?? []) walk(i);
      };
      walk(Object.keys(manifest).find((k) => manifest[k]!.isEntry)!);
      walk(key('pages/assessment/index.tsx'));
      walk(key('catalog/gdht-448-2015-v1.json'));
      walk(key('pages/posting/open-postings-button.tsx'));
      for (const k of path) expect(k, `${k} on the household path`).not.toMatch(/pages\/(leader|officer|hamlet)\//);
      const gz = (file: string) => gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
      const pathGzip = [...path].reduce((sum, k) => sum + gz(manifest[k]!.file), 0);
      expect(pathGzip, 'household path JS, gzip bytes').toBeLessThanOrEqual(HOUSEHOLD_PATH_JS_GZIP);
      expect(gz(relative(out, entry)), 'entry chunk, gzip bytes').toBeLessThanOrEqual(ENTRY_JS_GZIP);
      // The stylesheets a household loads on the same path (the console's and officers' load on demand).
      const pathCss = new Set([...path].flatMap((k) => manifest[k]!.css ?? []));
      expect(pathCss.size, 'the household path has its stylesheet').toBeGreaterThan(0);
      expect(
        [...pathCss].reduce((sum, f) => sum + gz(f), 0),
        'household path CSS, gzip bytes',
      ).toBeLessThanOrEqual(CSS_GZIP);
      for (const f of all.filter((f) => /\.(js|css)$/.test(f) && statSync(f).size >= 1024)) {
        expect(statSync(`${f}.br`).size).toBeLessThan(statSync(f).size);
        expect(gunzipSync(readFileSync(`${f}.gz`)).equals(readFileSync(f))).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
