// @vitest-environment node
/**
 * End to end on the real API (PGlite, demo seed, dev login) and the built mini app in Debian's
 * Chromium at 360×640: the officer opens the campaign → a household self-assesses with photos and
 * submits → its tổ leader returns one indicator with a comment → the household fixes it and
 * resubmits → the leader verifies → the officer records the hamlet review and the decision → the
 * household sees its title and the inbox message. A screenshot of every step goes to
 * mini-app/.screenshots/e2e/ (gitignored).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { expectAccessible, settled } from './axe.ts';
import { confirm } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(__dirname, '..');
const www = join(root, 'www');
const shots = join(root, '.screenshots', 'e2e');
const photos = resolve(root, '../tests/fixtures/photos');

function newest(dir: string): number {
  let max = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    max = Math.max(max, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** Build www/ when it is missing or older than the sources (or the shared package it bundles). */
async function ensureBuilt(): Promise<void> {
  const index = join(www, 'index.html');
  const srcTime = Math.max(
    newest(join(root, 'src')),
    newest(resolve(root, '../shared/src')),
    statSync(join(root, 'vite.config.mts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= srcTime) return;
  const cwd = process.cwd();
  process.chdir(root); // zmp-vite-plugin reads ./app-config.json
  try {
    await build({ configFile: join(root, 'vite.config.mts'), logLevel: 'error' });
  } finally {
    process.chdir(cwd);
  }
}

let app: App;
let base: string;
let browser: Browser;
let dataDir: string;
const names = new Map<string, string>();
let step = 0;
const pages: Page[] = [];

/** A screenshot of the screen and the axe-core check of the same screen (0 violations). */
async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(shots, `${String(++step).padStart(2, '0')}-${name}.png`) });
  await expectAccessible(page, name);
}

/** A fresh phone (own localStorage) signed in as a seeded user through the dev login list. */
async function phoneOf(userId: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err.message, JSON.stringify(err)));
  page.on('console', (m) => m.type() === 'error' && console.error('[console]', m.text()));
  pages.push(page);
  await page.goto(base);
  const name = names.get(userId);
  if (!name) throw new Error(`dev user ${userId} not listed`);
  const userButton = page.getByRole('button', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  await userButton.waitFor({ timeout: 20_000 });
  await expectAccessible(page, 'login');
  await userButton.click();
  // Leaders and officers give their consent on first use; households were seeded with it.
  const consent = page.getByRole('button', { name: 'Đồng ý và tiếp tục' });
  const hello = page.getByText(/^Xin chào/);
  await expect
    .poll(async () => (await consent.isVisible()) || (await hello.isVisible()), { timeout: 20_000 })
    .toBe(true);
  if (await consent.isVisible()) {
    await expectAccessible(page, 'consent');
    for (const box of await page.getByRole('checkbox').all()) if (!(await box.isChecked())) await box.check();
    await consent.click();
  }
  try {
    await hello.waitFor({ timeout: 20_000 });
  } catch (err) {
    await page.screenshot({ path: join(shots, `fail-login-${userId.slice(0, 8)}.png`) });
    throw err;
  }
  return page;
}

describe('household flow, end to end', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium" (never "playwright install").`,
      );
    await ensureBuilt();
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'hoctap-e2e-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEV_LOGIN: 'true',
      SEED_DEMO: 'true',
      DATA_DIR: dataDir,
      MINI_APP_DIR: www,
      // Photos are processed in worker threads after the upload; the leader sees them once ready.
      EVIDENCE_PROCESSING: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    app = await buildApp(config, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const users = (await (await fetch(`${base}/api/v1/auth/dev-users`)).json()) as {
      items: { id: string; displayName: string }[];
    };
    for (const u of users.items) names.set(u.id, u.displayName);
    browser = await chromium.launch({
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
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [i, p] of pages.entries())
      await p.screenshot({ path: join(shots, `fail-${i}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'self-assessment → return → fix → verify → review → decision → title and inbox',
    { timeout: 600_000 },
    async () => {
      const household = DEMO.users.households[0]!;
      // The household's tổ and its leader, from the seed.
      const hhLogin = (await (
        await fetch(`${base}/api/v1/auth/dev-login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: household.userId }),
        })
      ).json()) as { accessToken: string };
      const me = (await (
        await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${hhLogin.accessToken}` } })
      ).json()) as { household: { groupId: string; hamletId: string } };
      const leaderId = DEMO.users.leaders[DEMO.groups.findIndex((g) => g.id === me.household.groupId)]!;
      expect(leaderId).toBeTruthy();

      // 1. The officer: this year's campaign. The demo seed opens one (dates relative to now);
      //    without it the officer opens it here through the form.
      const officer = await phoneOf(DEMO.users.officer);
      const open = officer.getByRole('button', { name: 'Mở đợt đánh giá' });
      const edit = officer.getByRole('button', { name: 'Sửa đợt đánh giá' });
      await expect
        .poll(async () => (await open.isVisible()) || (await edit.isVisible()), { timeout: 20_000 })
        .toBe(true);
      await shot(officer, 'officer-home');
      if (await open.isVisible()) {
        await open.click();
        await officer.getByText('Các mốc thời gian').waitFor();
        await shot(officer, 'officer-campaign-form');
        await officer.getByRole('button', { name: 'Mở đợt đánh giá' }).last().click();
        await edit.waitFor({ timeout: 20_000 });
      } else {
        await edit.click();
        await officer.getByText('Các mốc thời gian').waitFor();
        await officer.locator('.zaui-select').first().waitFor();
        await shot(officer, 'officer-campaign-form');
        await officer.getByRole('button', { name: 'Quay lại' }).click();
        await edit.waitFor();
      }
      // zmp-ui Select: the choices open in a bottom sheet (the posting form's "Danh hiệu").
      await officer.getByRole('button', { name: 'Niêm yết danh sách và ý kiến người dân' }).click();
      const kind = officer.getByRole('textbox', { name: 'Danh hiệu' });
      await kind.click();
      await officer.locator('.zaui-select-option', { hasText: 'Dòng họ học tập' }).waitFor();
      await expect
        .poll(() => officer.locator('.zaui-sheet-content').evaluate((e) => e.getBoundingClientRect().top))
        .toBeGreaterThanOrEqual(0);
      await shot(officer, 'officer-posting-select-sheet');
      await officer.locator('.zaui-select-option', { hasText: 'Dòng họ học tập' }).click();
      await expect.poll(() => kind.inputValue()).toBe('Dòng họ học tập');
      await officer.getByRole('button', { name: 'Quay lại' }).click();
      await edit.waitFor();

      // 2. The household self-assesses: full points, a photo wherever one is required.
      const hh = await phoneOf(household.userId);
      await hh.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      const files = ['different.jpg', 'near-dup-a.jpg', 'exif-gps-orient6.jpg', 'near-dup-b.jpg', 'plain.png'];
      let photoN = 0;
      for (let i = 0; i < 10; i++) {
        await hh.getByText(`Chỉ số ${i + 1}/10`).waitFor();
        await hh.getByRole('radio', { name: '10 điểm' }).click();
        await hh.getByText('✓ Đã lưu').waitFor();
        const add = hh.getByRole('button', { name: /Chụp hoặc chọn ảnh/ });
        if (await add.isVisible()) {
          const [chooser] = await Promise.all([hh.waitForEvent('filechooser'), add.click()]);
          await chooser.setFiles(join(photos, files[photoN++ % files.length]!));
          await hh.getByText('✓ Đã gửi').first().waitFor({ timeout: 30_000 });
          await expect.poll(() => hh.getByText(/cần 1 ảnh, đã có 1/).isVisible()).toBe(true);
          if (photoN <= 2) await shot(hh, `household-indicator-photo-${photoN}`);
        }
        await hh.getByRole('button', { name: i === 9 ? 'Xem lại ›' : 'Tiếp ›' }).click();
      }
      expect(photoN).toBeGreaterThanOrEqual(2);
      await shot(hh, 'household-review-before-submit');
      await hh.getByRole('button', { name: 'Gửi hồ sơ', exact: true }).click();
      await hh.locator('.zaui-modal-content', { hasText: 'Gửi hồ sơ?' }).waitFor();
      await shot(hh, 'household-submit-confirm');
      await confirm(hh, 'Gửi hồ sơ?', 'Gửi hồ sơ');
      await hh.getByText('Đã gửi, chờ tổ trưởng xác minh').waitFor({ timeout: 20_000 });
      await shot(hh, 'household-submitted-timeline');

      // 3. The tổ leader returns indicator 1.2 with a comment.
      const leader = await phoneOf(leaderId);
      await leader.getByText('Hồ sơ cần xác minh').waitFor();
      await shot(leader, 'leader-queue');
      await leader
        .locator('.list-item', { hasText: names.get(household.userId)!.split(' — ')[0]! })
        .first()
        .click();
      await leader.getByText('Xác minh hồ sơ').first().waitFor();
      await leader.locator('.ev-thumb img').first().waitFor({ timeout: 20_000 });
      await shot(leader, 'leader-review-photos');
      const ind12 = leader.getByRole('article', { name: 'Chỉ số 1.2' });
      await ind12.getByRole('checkbox').check();
      await ind12
        .getByRole('textbox')
        .fill('Ảnh chưa thấy rõ sổ liên lạc của cháu, nhờ chụp lại trang có nhận xét của cô giáo.');
      await ind12.scrollIntoViewIfNeeded();
      await shot(leader, 'leader-return-indicator');
      await leader.getByRole('button', { name: /Trả lại cho hộ sửa \(1 chỉ số\)/ }).click();
      await leader.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });
      await leader.getByRole('tab', { name: /Đã trả lại \(1\)/ }).waitFor();

      // 4. The household sees the comment (inbox deep link to the indicator), fixes and resubmits.
      await hh.goto(base);
      await hh.getByRole('button', { name: /Hộp thư/ }).waitFor();
      await expect.poll(() => hh.locator('.badge').textContent(), { timeout: 20_000 }).toBe('1');
      await shot(hh, 'household-home-returned-badge');
      await hh.getByRole('button', { name: /Hộp thư/ }).click();
      await hh.locator('.msg-unread').first().waitFor();
      await shot(hh, 'household-inbox-returned');
      await hh.locator('.msg-unread').first().click();
      await hh.getByText('Tổ trưởng trả lại chỉ số này').waitFor({ timeout: 20_000 });
      await hh.getByText(/Chỉ số 2\/10/).waitFor();
      await shot(hh, 'household-fix-indicator-deeplink');
      const [chooser] = await Promise.all([
        hh.waitForEvent('filechooser'),
        hh.getByRole('button', { name: /Thêm ảnh|Chụp hoặc chọn ảnh/ }).click(),
      ]);
      await chooser.setFiles(join(photos, 'different.jpg'));
      await expect.poll(() => hh.getByText(/đã có 2/).isVisible(), { timeout: 30_000 }).toBe(true);
      await hh.getByRole('button', { name: 'Sửa xong, đến phần gửi lại' }).click();
      await hh.getByRole('button', { name: 'Gửi lại', exact: true }).click();
      await confirm(hh, 'Gửi lại hồ sơ?', 'Gửi lại');
      await hh.getByText('Đã gửi, chờ tổ trưởng xác minh').waitFor({ timeout: 20_000 });
      await shot(hh, 'household-resubmitted');

      // 5. The leader verifies; one adjusted score needs a reason first.
      await leader.goto(base);
      await leader
        .locator('.list-item', { hasText: names.get(household.userId)!.split(' — ')[0]! })
        .first()
        .click();
      await leader.getByText('Xác minh hồ sơ').first().waitFor();
      const ind13 = leader.getByRole('article', { name: 'Chỉ số 1.3' });
      await ind13.getByRole('radio', { name: '8 điểm' }).click();
      await leader.getByRole('button', { name: 'Xác minh và chuyển lên ấp' }).click();
      await ind13.getByText('cần ghi lý do điều chỉnh').waitFor();
      await ind13.scrollIntoViewIfNeeded();
      await shot(leader, 'leader-reason-required');
      await ind13.getByRole('textbox').fill('Qua trao đổi với hàng xóm, cháu đôi khi chưa lễ phép.');
      await leader.getByRole('button', { name: 'Xác minh và chuyển lên ấp' }).click();
      await leader.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });
      await leader.getByRole('tab', { name: /Đã xác minh \(1\)/ }).click();
      await shot(leader, 'leader-queue-verified');

      // 6. The officer records the hamlet review, then the decision.
      await officer.goto(base);
      await officer.getByText(/Tiến độ Gia đình học tập/).waitFor({ timeout: 20_000 });
      await shot(officer, 'officer-progress');
      await officer.getByRole('button', { name: 'Xác minh, bình xét và công nhận' }).click();
      await officer.getByRole('button', { name: /Ghi nhận bình xét ấp .* \(1 hộ\)/ }).click();
      await confirm(officer, /Ghi nhận bình xét/, 'Ghi nhận bình xét');
      await officer.getByText('Ban hành quyết định').waitFor({ timeout: 20_000 });
      await officer.getByRole('button', { name: 'Ban hành quyết định' }).click();
      await officer.getByText('Hãy nhập số quyết định (ví dụ 125/QĐ-UBND).').waitFor();
      await shot(officer, 'officer-decision-validation');
      await officer.getByLabel('Số quyết định').fill('125/QĐ-UBND');
      await officer.getByLabel(/^Người ký/).fill('Nguyễn Văn Hùng');
      await officer.getByRole('button', { name: 'Ban hành quyết định' }).click();
      await officer.locator('.zaui-modal-content', { hasText: 'Ban hành QĐ số 125/QĐ-UBND?' }).waitFor();
      await shot(officer, 'officer-decision-preview');
      await confirm(officer, 'Ban hành QĐ số 125/QĐ-UBND?', 'Ban hành quyết định');
      await officer.getByText('Đã ban hành QĐ số 125/QĐ-UBND').waitFor({ timeout: 30_000 });
      await officer.getByText(/Công nhận\s*1\s*hộ/).waitFor();
      await shot(officer, 'officer-decision-done');
      const [pdf] = await Promise.all([
        officer.waitForEvent('download'),
        officer.getByRole('button', { name: 'Tải giấy công nhận (PDF)' }).click(),
      ]);
      expect(pdf.suggestedFilename()).toMatch(/^giay-cong-nhan-.*\.pdf$/);
      await officer.goto(base);
      await officer.getByRole('button', { name: 'Tải báo cáo, danh sách, giấy công nhận' }).click();
      const [xlsx] = await Promise.all([
        officer.waitForEvent('download'),
        officer.getByRole('button', { name: 'Tải báo cáo (Excel)' }).click(),
      ]);
      expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
      await officer.getByText(/Đã tải xong/).waitFor();
      await shot(officer, 'officer-exports');
      await officer.goto(base);
      await officer.getByRole('button', { name: 'Tin nhắn đã gửi' }).click();
      await officer
        .getByText(/Chưa kết nối Zalo|Đã gửi|Chỉ ghi lại|Chờ gửi/)
        .first()
        .waitFor({ timeout: 20_000 });
      await shot(officer, 'officer-messages');

      // 7. The household sees its title, certificate number and the inbox message.
      await hh.goto(base);
      await hh.getByText(/Đã được công nhận “Gia đình học tập”/).waitFor({ timeout: 20_000 });
      await shot(hh, 'household-home-recognised');
      await hh.getByRole('button', { name: 'Xem kết quả' }).click();
      await hh.getByText('Số giấy công nhận:').waitFor();
      await expect(hh.getByText('125/QĐ-UBND/1').first().isVisible()).resolves.toBe(true);
      await shot(hh, 'household-result-certificate');
      await hh.goto(base);
      await hh.getByRole('button', { name: /Hộp thư/ }).click();
      await hh.locator('.msg').first().waitFor();
      const inbox = await hh.locator('.msg').allTextContents();
      expect(inbox.some((t) => /công nhận/i.test(t))).toBe(true);
      await shot(hh, 'household-inbox-recognised');
    },
  );
});
