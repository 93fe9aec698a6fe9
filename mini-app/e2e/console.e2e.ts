// @vitest-environment node
/**
 * The officer console end to end (issue 17), in Debian's Chromium at 1366×768 on the real API
 * (PGlite) serving the built app at /console: a province adds a new commune and its officer
 * (npm run admin:create's code), the officer signs in with the development login, uploads a
 * household list with errors, reads the Vietnamese report (nothing written), uploads the fixed
 * file and commits, imports the members, edits a household, prints the invite QR sheet of a tổ;
 * a household claims its code on the phone (360×640); the officer appoints that account as the
 * tổ leader. Then the demo commune's officer sees the progress charts, sets a target, maps a
 * hamlet's Zalo group and adds a unit's staff member; the province's admin sees the province view,
 * adds a commune and opens its officer's appointment. Every screen is photographed into .screenshots/console/ and checked by axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp, type App } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { connect, type Database } from '@hoctap/server/db/connect.ts';
import { runMigrations } from '@hoctap/server/db/migrate.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { seedDemoCampaign } from '@hoctap/server/db/seed/demo-campaign.ts';
import { systemClock } from '@hoctap/server/lib/clock.ts';
import { createFirstAdmin } from '@hoctap/server/ops/first-admin.ts';
import { insertUser } from '@hoctap/server/ops/first-admin.repo.ts';
import { expectAccessible, settled } from './axe.ts';
import { CHROMIUM, confirm, ensureBuilt, root } from './harness.ts';

const shots = join(root, '.screenshots', 'console');
const samples = resolve(root, '../docs/samples');
const OFFICER = 'Nguyễn Thị Lan';
const HOUSEHOLD_USER = 'Nguyễn Văn An (Zalo)';

let app: App;
let database: Database;
let base: string;
let browser: Browser;
let dataDir: string;
let step = 0;
const contexts: BrowserContext[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(shots, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: false });
  await expectAccessible(page, name);
}

async function newPage(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err.message, err.stack ?? ''));
  page.on('console', (m) => m.type() === 'error' && console.error('[console]', m.text()));
  return page;
}

/** The console's sign-in: the development login's staff list, then the consent on first use. */
async function signInConsole(page: Page, name: string, first = false): Promise<void> {
  await page.goto(`${base}/console`);
  const button = page.getByRole('button', { name: new RegExp(name) }).first();
  await button.waitFor({ timeout: 30_000 });
  if (first) await shot(page, 'console-login');
  await button.click();
  const consent = page.getByRole('button', { name: 'Đồng ý và tiếp tục' });
  const nav = page.getByRole('navigation', { name: 'Chức năng' });
  await expect.poll(async () => (await consent.isVisible()) || (await nav.isVisible()), { timeout: 30_000 }).toBe(true);
  if (await consent.isVisible()) {
    if (first) await shot(page, 'console-consent');
    for (const box of await page.getByRole('checkbox').all()) if (!(await box.isChecked())) await box.check();
    await consent.click();
  }
  await nav.waitFor({ timeout: 30_000 });
}

const menu = (page: Page, label: string) =>
  page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: label, exact: true });

describe('officer console, end to end', () => {
  beforeAll(async () => {
    await ensureBuilt();
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'hoctap-console-e2e-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEV_LOGIN: 'true',
      DATA_DIR: dataDir,
      MINI_APP_DIR: join(root, 'www'),
      HOST: '127.0.0.1',
      PORT: '0',
    });
    database = await connect(config.database);
    await runMigrations(database);
    // The demo province with its commune, and a new commune of the same province with its officer,
    // created the way `npm run admin:create` does.
    await seedDemo(database.db, systemClock);
    await createFirstAdmin(database.db, systemClock, {
      name: OFFICER,
      provinceName: 'Tỉnh Đồng Tháp',
      provinceCode: '87',
      communeName: 'Xã Tân Phú Đông',
      communeCode: '29999',
    });
    app = await buildApp(config, { database, logger: false });
    await seedDemoCampaign(app.services, systemClock);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  afterAll(async () => {
    for (const [i, c] of contexts.entries())
      for (const p of c.pages()) await p.screenshot({ path: join(shots, `last-${i}.png`) }).catch(() => undefined);
    await browser?.close();
    await app?.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports a list with errors, fixes it, commits, prints invite codes; a household claims one; the officer appoints a leader', async () => {
    const pc = await newPage(1366, 768);
    await signInConsole(pc, OFFICER, true);
    await pc.getByRole('heading', { name: /^Tổng quan Xã Tân Phú Đông/ }).waitFor();
    await shot(pc, 'console-home-empty-commune');

    // 1. The household list with errors: a report per row, nothing written.
    await menu(pc, 'Nhập danh sách').click();
    await pc.getByLabel(/^Chọn tệp/).setInputFiles(join(samples, 'ho-gia-dinh-co-loi.csv'));
    await pc.getByRole('button', { name: 'Kiểm tra tệp (chưa ghi gì)' }).click();
    await pc.getByText('Có 4 dòng lỗi: chưa ghi gì vào sổ.', { exact: false }).waitFor();
    for (const text of [
      'Dòng 4: thiếu tên chủ hộ',
      "Dòng 6: số điện thoại '09145' không hợp lệ",
      'Dòng 7: trùng mã hộ với dòng 5',
      "Dòng 8: số nhân khẩu 'ba' không hợp lệ",
    ])
      await pc.getByText(text).waitFor();
    expect(await pc.getByRole('button', { name: /^Ghi vào sổ/ }).count()).toBe(0);
    await shot(pc, 'import-errors');
    await pc.getByLabel('Chỉ hiện dòng lỗi').uncheck();
    await shot(pc, 'import-errors-all-rows');

    // 2. The fixed file: no error, commit once.
    await pc.getByLabel(/^Chọn tệp/).setInputFiles(join(samples, 'ho-gia-dinh.csv'));
    await pc.getByRole('button', { name: 'Kiểm tra tệp (chưa ghi gì)' }).click();
    await pc.getByText('Không có dòng lỗi.', { exact: false }).waitFor();
    await shot(pc, 'import-clean');
    await pc.getByRole('button', { name: 'Ghi vào sổ (8 hộ)' }).click();
    await shot(pc, 'import-confirm');
    await confirm(pc, 'Ghi danh sách vào sổ?', 'Ghi vào sổ');
    await pc.locator('.note-good[role=status]').filter({ hasText: /8/ }).waitFor();
    await shot(pc, 'import-committed');

    // 3. The members.
    await pc.getByRole('tab', { name: 'Danh sách nhân khẩu' }).click();
    await pc.getByLabel(/^Chọn tệp/).setInputFiles(join(samples, 'nhan-khau.csv'));
    await pc.getByRole('button', { name: 'Kiểm tra tệp (chưa ghi gì)' }).click();
    await pc.getByRole('button', { name: 'Ghi vào sổ (6 người)' }).click();
    await confirm(pc, 'Ghi danh sách vào sổ?', 'Ghi vào sổ');
    await pc.locator('.note-good[role=status]').filter({ hasText: /6/ }).waitFor();
    await shot(pc, 'persons-committed');

    // 4. The registry: households, a member list, an edit.
    await menu(pc, 'Sổ hộ, dòng họ, đơn vị').click();
    await pc.getByRole('cell', { name: 'Đặng Văn Hùng', exact: true }).waitFor();
    expect(await pc.getByRole('table').locator('tbody tr').count()).toBe(8);
    await pc.getByRole('button', { name: 'Nhân khẩu của hộ Nguyễn Văn An' }).click();
    await pc.getByRole('cell', { name: 'Nguyễn Minh Khôi', exact: true }).waitFor();
    await pc.getByRole('button', { name: 'Sửa hộ Võ Văn Em' }).click();
    await pc.getByLabel('Địa chỉ').fill('2 đường Võ Văn Kiệt, ấp Tân Hòa');
    await shot(pc, 'registry-edit');
    await pc.getByRole('button', { name: 'Lưu', exact: true }).click();
    await pc.getByRole('cell', { name: '2 đường Võ Văn Kiệt, ấp Tân Hòa', exact: true }).waitFor();
    await pc.getByRole('tab', { name: 'Ấp, tổ' }).click();
    await pc.getByRole('cell', { name: 'Tân Lập', exact: true }).waitFor();
    await shot(pc, 'registry-places');

    // 5. The invite sheet of Tổ 1, ấp Tân Lập.
    await menu(pc, 'In mã mời theo tổ').click();
    await pc.getByRole('combobox', { name: /^Ấp/ }).selectOption({ label: 'Tân Lập' });
    await pc.getByRole('combobox', { name: /^Tổ/ }).selectOption({ label: 'Tổ 1' });
    await pc.getByRole('button', { name: 'Tạo mã mời cho 3 hộ' }).click();
    const card = pc.locator('.invite-card', { hasText: 'Hộ Nguyễn Văn An' });
    await card.waitFor();
    expect(await pc.locator('.invite-card img').count()).toBe(3);
    const code = (await card.locator('.invite-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{6,12}$/);
    await shot(pc, 'invite-sheet');
    await pc.emulateMedia({ media: 'print' });
    await pc.screenshot({
      path: join(shots, `${String(++step).padStart(2, '0')}-invite-sheet-print.png`),
      fullPage: true,
    });
    await pc.emulateMedia({ media: 'screen' });

    // 6. The household claims the code on its phone.
    await insertUser(database.db, {
      id: randomUUID(),
      displayName: HOUSEHOLD_USER,
      zaloId: null,
      devLogin: true,
      at: new Date(),
    });
    const phone = await newPage(360, 640);
    await phone.goto(base);
    await phone.getByRole('button', { name: new RegExp(HOUSEHOLD_USER.replace(/[()]/g, '\\$&')) }).click();
    const consent = phone.getByRole('button', { name: 'Đồng ý và tiếp tục' });
    await consent.waitFor({ timeout: 30_000 });
    for (const box of await phone.getByRole('checkbox').all()) if (!(await box.isChecked())) await box.check();
    await consent.click();
    await phone.getByLabel('Mã mời').fill(code);
    await shot(phone, 'phone-enter-invite-code');
    await phone.getByRole('button', { name: 'Liên kết', exact: true }).click();
    await phone.getByText(/^Xin chào/).waitFor({ timeout: 30_000 });
    await shot(phone, 'phone-household-linked');

    // 7. The officer appoints that account as the leader of Tổ 1.
    await menu(pc, 'Phân công tổ trưởng, trưởng ấp').click();
    await pc.getByRole('combobox', { name: /^Vai trò/ }).selectOption({ label: 'Tổ trưởng' });
    await pc.getByRole('combobox', { name: /^Tại/ }).selectOption({ label: 'Tổ 1 — ấp Tân Lập' });
    await pc.getByLabel('Tìm tài khoản (tên hoặc số điện thoại)').fill('nguyen van an');
    await pc.getByRole('button', { name: 'Tìm', exact: true }).click();
    await pc.getByRole('radio', { name: `Chọn ${HOUSEHOLD_USER}` }).check();
    await shot(pc, 'roles-pick');
    await pc.getByRole('button', { name: /^Giao Tổ trưởng Tổ 1 — ấp Tân Lập/ }).click();
    await pc.getByRole('cell', { name: HOUSEHOLD_USER, exact: true }).waitFor();
    await shot(pc, 'roles-appointed');

    // The phone picks the new role up on its next start.
    await phone.reload();
    await phone.getByText('Tổ 1', { exact: true }).waitFor({ timeout: 30_000 });
    await shot(phone, 'phone-now-leader');
  });

  it('the demo officer sees progress charts and the phone screens in the wide layout; the admin sees the province', async () => {
    const pc = await newPage(1366, 768);
    const officerName = (await (await fetch(`${base}/api/v1/auth/dev-users`)).json()).items.find(
      (u: { id: string }) => u.id === DEMO.users.officer,
    ).displayName as string;
    await signInConsole(pc, officerName.split(' — ')[0]!);
    await pc.getByRole('heading', { name: 'Tỷ lệ công nhận theo danh hiệu, so với chỉ tiêu' }).waitFor();
    await pc.locator('canvas').first().waitFor();
    await shot(pc, 'progress-charts');
    await pc.getByRole('heading', { name: /^Theo ấp/ }).scrollIntoViewIfNeeded();
    await shot(pc, 'progress-by-hamlet');
    // Years side by side and the commendation proposals (docs/transparency.md §4–§5).
    await pc.getByRole('img', { name: /^Biểu đồ tỷ lệ công nhận theo năm/ }).scrollIntoViewIfNeeded();
    await shot(pc, 'progress-trend');
    await pc.getByText(/^Giữ danh hiệu liên tục/).scrollIntoViewIfNeeded();
    await shot(pc, 'progress-commendations');
    await menu(pc, 'Xác minh, bình xét, công nhận').click();
    await pc
      .getByRole('heading', { level: 1 })
      .filter({ hasText: /công nhận/i })
      .first()
      .waitFor();
    // Both loads (the campaign, then its lists) done: the first step's card is on screen.
    await pc.getByRole('heading', { name: '1. Chờ xác minh' }).waitFor();
    await pc.waitForFunction(() => !document.querySelector('.state-loading'));
    await shot(pc, 'recognition-wide');
    await menu(pc, 'Báo cáo, tải về').click();
    await pc.getByText('Tải báo cáo (Excel)').waitFor();
    await shot(pc, 'exports-wide');

    // Targets: a dot instead of the decimal comma is refused by the box; the fixed value is saved.
    await menu(pc, 'Chỉ tiêu').click();
    const gdht = pc.getByLabel('Mức riêng của xã (%): Tỷ lệ hộ đạt Gia đình học tập');
    await gdht.fill('77.5');
    await pc.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
    await pc.getByText('Dùng dấu phẩy cho phần thập phân, ví dụ 77,5.').waitFor();
    await shot(pc, 'targets-error');
    await gdht.fill('77,5');
    await pc.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
    await pc.getByRole('row', { name: /Gia đình học tập.*77,5 %.*Xã đặt/ }).waitFor();
    await shot(pc, 'targets-saved');
    await pc.getByRole('button', { name: 'Điền theo QĐ 387' }).click();
    expect(await gdht.inputValue()).toBe('70');
    await shot(pc, 'targets-qd387-filled');

    // Zalo groups: map ấp Mỹ Hòa (a link is not a group id), then stop sending to it.
    await menu(pc, 'Nhóm Zalo của ấp, xã').click();
    await pc.getByRole('button', { name: 'Gắn nhóm của Ấp Mỹ Hòa' }).click();
    await pc.getByLabel('Mã nhóm (group_id)').fill('https://zalo.me/g/abc');
    await pc.getByLabel('Tên nhóm').fill('Ấp Mỹ Hòa — học tập');
    await pc.getByRole('button', { name: 'Lưu', exact: true }).click();
    await pc.getByText(/^Mã nhóm gồm 6 đến 64 chữ cái/).waitFor();
    await shot(pc, 'zalo-groups-error');
    await pc.getByLabel('Mã nhóm (group_id)').fill('f0e1d2c3b4a59687');
    await pc.getByRole('button', { name: 'Lưu', exact: true }).click();
    await pc.getByRole('row', { name: /Ấp Mỹ Hòa.*f0e1d2c3b4a59687.*Đang gửi/ }).waitFor();
    await shot(pc, 'zalo-groups-mapped');
    await pc.getByRole('button', { name: 'Ngừng gửi vào nhóm của Ấp Mỹ Hòa' }).click();
    await pc
      .getByRole('row', { name: /Ấp Mỹ Hòa.*Ngừng gửi/ })
      .getByRole('button', { name: /Gửi lại/ })
      .waitFor();
    await shot(pc, 'zalo-groups-disabled');
    await pc.getByRole('link', { name: 'Xem tin nhắn đã gửi' }).click();
    await pc
      .getByRole('heading', { level: 1 })
      .filter({ hasText: /tin nhắn/i })
      .first()
      .waitFor();

    // A unit's staff: add one person.
    await menu(pc, 'Sổ hộ, dòng họ, đơn vị').click();
    await pc.getByRole('tab', { name: 'Đơn vị' }).click();
    await pc.getByRole('button', { name: 'Danh sách cán bộ của Trạm Y tế xã Mỹ An' }).click();
    await pc.getByRole('button', { name: 'Thêm người' }).click();
    await pc.getByLabel('Họ và tên').fill('Lê Thị Thu');
    await pc.getByLabel('Năm sinh').fill('1990');
    await pc.getByRole('button', { name: 'Thêm', exact: true }).click();
    await pc.getByRole('cell', { name: 'Lê Thị Thu', exact: true }).waitFor();
    await shot(pc, 'unit-staff');

    const admin = await newPage(1366, 768);
    await signInConsole(admin, 'Quản trị hệ thống');
    await menu(admin, 'Các xã trong tỉnh').click();
    await admin.getByRole('heading', { name: 'Số liệu từng xã' }).waitFor();
    expect(await admin.getByRole('row', { name: /Xã Tân Phú Đông/ }).textContent()).toContain('Chưa mở đợt đánh giá');
    await shot(admin, 'province-view');
    await admin.getByRole('button', { name: /^Xã/ }).click();
    await shot(admin, 'province-sorted-by-name');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: /Tải báo cáo tổng hợp/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bao-cao-tinh-\d{4}\.xlsx$/);
    await menu(admin, 'Nhập danh sách tỉnh, xã').click();
    await admin.getByLabel(/^Chọn tệp/).waitFor();
    await shot(admin, 'admin-units-import');

    // One commune by hand, then its officer's appointment screen.
    await menu(admin, 'Tỉnh, xã').click();
    await admin.getByRole('button', { name: 'Thêm xã' }).click();
    await admin.getByLabel(/^Tên xã/).fill('Xã Phong Mỹ');
    await admin.getByLabel(/^Mã đơn vị hành chính/).fill('29998');
    await admin.getByRole('button', { name: 'Thêm', exact: true }).click();
    await admin.getByRole('cell', { name: 'Xã Phong Mỹ', exact: true }).waitFor();
    await shot(admin, 'admin-units');
    await menu(admin, 'Bổ nhiệm cán bộ').click();
    await admin.getByRole('combobox', { name: /^Tại/ }).selectOption({ label: 'Xã Phong Mỹ' });
    await shot(admin, 'admin-appoint');
  });
});
