/**
 * What the end-to-end files share: build www/ when stale, start the real API in-process on PGlite
 * (demo seed, dev login) serving the built mini app, drive Debian's Chromium at 360×640, one
 * "phone" (browser context) per person, screenshots of every step into .screenshots/<folder>/.
 */
import { expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { expectAccessible, settled } from './axe.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const root = resolve(__dirname, '..');
const www = join(root, 'www');
export const photos = resolve(root, '../tests/fixtures/photos');

function newest(dir: string): number {
  let max = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    max = Math.max(max, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** Build www/ when it is missing or older than the sources (or the shared package it bundles). */
export async function ensureBuilt(): Promise<void> {
  const index = join(www, 'index.html');
  const srcTime = Math.max(
    newest(join(root, 'src')),
    newest(resolve(root, '../shared/src')),
    statSync(join(root, 'vite.config.mts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= srcTime) return;
  const cwd = process.cwd();
  const nodeEnv = process.env.NODE_ENV;
  process.chdir(root); // zmp-vite-plugin reads ./app-config.json
  // vitest sets NODE_ENV=test, which would build React's development bundle into www/ (the one
  // `npm start` and perf.mjs serve): build what ships.
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(root, 'vite.config.mts'), logLevel: 'error' });
  } finally {
    process.chdir(cwd);
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface Harness {
  base: string;
  names: Map<string, string>;
  pages: Page[];
  shot: (page: Page, name: string) => Promise<void>;
  phoneOf: (userId: string) => Promise<Page>;
  token: (userId: string) => Promise<string>;
  api: <T>(userId: string, path: string, init?: { method?: string; body?: unknown }) => Promise<T>;
  close: () => Promise<void>;
}

/** `env`: extra server settings (e.g. EVIDENCE_PROCESSING=true to process photos in the background). */
export async function startHarness(folder: string, env: Record<string, string> = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium" (never "playwright install").`,
    );
  await ensureBuilt();
  const shots = join(root, '.screenshots', folder);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEV_LOGIN: 'true',
    SEED_DEMO: 'true',
    DATA_DIR: dataDir,
    MINI_APP_DIR: www,
    HOST: '127.0.0.1',
    PORT: '0',
    ...env,
  });
  const app: App = await buildApp(config, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const users = (await (await fetch(`${base}/api/v1/auth/dev-users`)).json()) as {
    items: { id: string; displayName: string }[];
  };
  const names = new Map(users.items.map((u) => [u.id, u.displayName]));
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const pages: Page[] = [];
  let step = 0;

  /** A screenshot of the screen and the axe-core check of the same screen (0 violations). */
  const shot = async (page: Page, name: string) => {
    await settled(page);
    await page.screenshot({ path: join(shots, `${String(++step).padStart(2, '0')}-${name}.png`) });
    await expectAccessible(page, name);
  };

  const token = async (userId: string) =>
    (
      (await (
        await fetch(`${base}/api/v1/auth/dev-login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        })
      ).json()) as { accessToken: string }
    ).accessToken;

  const api = async <T>(userId: string, path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${await token(userId)}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** A fresh phone (own localStorage) signed in as a seeded user through the dev login list. */
  const phoneOf = async (userId: string) => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 1,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message || String(err), err.stack ?? ''));
    page.on(
      'console',
      (m) => m.type() === 'error' && console.error('[console]', m.text(), JSON.stringify(m.location())),
    );
    pages.push(page);
    await page.goto(base);
    const name = names.get(userId);
    if (!name) throw new Error(`dev user ${userId} not listed`);
    await page.getByRole('button', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
    // Leaders and officers give their consent on first use; households were seeded with it.
    const consent = page.getByRole('button', { name: 'Đồng ý và tiếp tục' });
    const hello = page.getByText(/^Xin chào/);
    await expect
      .poll(async () => (await consent.isVisible()) || (await hello.isVisible()), { timeout: 20_000 })
      .toBe(true);
    if (await consent.isVisible()) {
      for (const box of await page.getByRole('checkbox').all()) if (!(await box.isChecked())) await box.check();
      await consent.click();
    }
    await hello.waitFor({ timeout: 20_000 });
    return page;
  };

  const close = async () => {
    for (const [i, p] of pages.entries())
      await p.screenshot({ path: join(shots, `last-${i}.png`) }).catch(() => undefined);
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  return { base, names, pages, shot, phoneOf, token, api, close };
}

/** The confirmation modal titled `title`: click its `label` button (not the one that opened it). */
export async function confirm(page: Page, title: string | RegExp, label: string): Promise<void> {
  const modal = page.locator('.zaui-modal-content', { hasText: title });
  await modal.waitFor();
  await modal.getByRole('button', { name: label, exact: true }).click();
}

const FILES = ['different.jpg', 'near-dup-a.jpg', 'exif-gps-orient6.jpg', 'plain.png', 'near-dup-b.jpg'];
let photoN = 0;

/** Attach a photo when the indicator on screen still needs one. */
export async function photoIfNeeded(page: Page): Promise<void> {
  if (!(await page.getByText(/cần \d+ ảnh, đã có 0/).isVisible())) return;
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }).click(),
  ]);
  await chooser.setFiles(join(photos, FILES[photoN++ % FILES.length]!));
  await page.getByText(/cần \d+ ảnh, đã có 1/).waitFor({ timeout: 30_000 });
}

/**
 * Answers every step of the wizard on screen with `choice` (a radio name, or 'max'), photos where needed,
 * up to the review step; `each` runs on every step (screenshots).
 */
export async function fillWizard(page: Page, choice: string, each?: (i: number) => Promise<void>): Promise<number> {
  for (let i = 0; i < 40; i++) {
    await page.getByText(/^(Chỉ số|Điều kiện) \d+\/\d+$/).waitFor({ timeout: 20_000 });
    // 'max': the highest score this indicator allows (maxima differ between indicators).
    const radio =
      choice === 'max'
        ? page.locator('.indicator').getByRole('radio').last()
        : page.getByRole('radio', { name: choice, exact: true });
    await radio.click();
    await page.getByText('✓ Đã lưu').waitFor();
    await photoIfNeeded(page);
    await each?.(i);
    const review = page.getByRole('button', { name: 'Xem lại ›' });
    if (await review.isVisible()) {
      await review.click();
      return i + 1;
    }
    await page.getByRole('button', { name: 'Tiếp ›' }).click();
  }
  throw new Error('wizard did not end');
}
