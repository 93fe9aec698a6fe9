// @vitest-environment node
// Runs the production build and checks Zalo's upload limits (zmp-cli: 3 MB a file, 10 MB in all)
// and that the output works from any base path (the server serves it from its own origin).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const MB = 1024 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
}

describe('production build', () => {
  it('fits Zalo limits and uses relative asset paths', { timeout: 240_000 }, async () => {
    const root = resolve(__dirname, '..');
    const out = mkdtempSync(join(tmpdir(), 'hoctap-www-'));
    const cwd = process.cwd();
    process.chdir(root); // zmp-vite-plugin reads ./app-config.json
    try {
      await build({ configFile: join(root, 'vite.config.mts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    } finally {
      process.chdir(cwd);
    }
    try {
      const all = files(out);
      const sizes = all.map((f) => ({ f, size: statSync(f).size }));
      for (const { f, size } of sizes) expect(size, `${f} is ${size} bytes`).toBeLessThanOrEqual(3 * MB);
      const total = sizes.reduce((s, x) => s + x.size, 0);
      expect(total).toBeLessThanOrEqual(10 * MB);

      const cfg = JSON.parse(readFileSync(join(out, 'app-config.json'), 'utf8')) as { app: { title: string }; listCSS: string[]; listSyncJS: string[] };
      expect(cfg.app.title).toBe('Học tập suốt đời');
      expect(cfg.listSyncJS.length).toBeGreaterThan(0);
      for (const f of [...cfg.listCSS, ...cfg.listSyncJS]) {
        expect(f.startsWith('/')).toBe(false);
        expect(statSync(join(out, f)).isFile()).toBe(true);
      }
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).toMatch(/src="\.\/assets\//);
      expect(html).not.toMatch(/(src|href)="\/assets\//);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
