// @vitest-environment node
/**
 * Every title end to end on the real API and the built app in Debian's Chromium at 360×640:
 * Công dân học tập (tổ leader verifies), Dòng họ học tập (trưởng ấp returns → fix → re-review →
 * verify), Đơn vị học tập (trưởng ấp verifies, the commune records the review), Cộng đồng học tập
 * (the commune verifies the hamlet's own form) — each recognised by the commune's decision and the
 * result seen by the subject. Plus leaving a draft and recovering from a declined photo consent.
 * Screenshots of every step: mini-app/.screenshots/titles/ (gitignored).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { confirm, fillWizard, photoIfNeeded, startHarness, type Harness } from './harness.ts';

let h: Harness;
let officer: Page | undefined;
let decisionNo = 200;

/** The officer's phone, signed in on first use (expect.poll works inside tests only). */
async function officerPhone(): Promise<Page> {
  officer ??= await h.phoneOf(DEMO.users.officer);
  return officer;
}

/** The commune: the title's tab → (verify what waits for the commune) → hamlet review → decision. */
async function recognise(title: string, noun: string, shotPrefix: string): Promise<void> {
  const officer = await officerPhone();
  await officer.goto(h.base);
  await officer.getByRole('button', { name: 'Xác minh, bình xét và công nhận' }).click();
  // The recognition screen's tabs carry a count (the dashboard's, still leaving, do not).
  await officer.getByRole('tab', { name: new RegExp(`^${title} \\(\\d+\\)$`) }).click();
  const reviewBtn = officer.getByRole('button', { name: new RegExp(`^Ghi nhận bình xét .*\\(1 ${noun}\\)`) });
  await reviewBtn.waitFor({ timeout: 20_000 });
  await h.shot(officer, `${shotPrefix}-officer-recognition`);
  await reviewBtn.click();
  await officer.locator('.zaui-modal-content', { hasText: 'Ghi nhận bình xét' }).waitFor();
  await h.shot(officer, `${shotPrefix}-officer-review-confirm`);
  await confirm(officer, /Ghi nhận bình xét/, 'Ghi nhận bình xét');
  await officer.getByRole('heading', { name: '4. Quyết định công nhận' }).waitFor({ timeout: 20_000 });
  const number = `${decisionNo++}/QĐ-UBND`;
  await officer.getByLabel('Số quyết định').fill(number);
  await officer.getByLabel(/^Người ký/).fill('Nguyễn Văn Hùng');
  await officer.getByRole('button', { name: 'Ban hành quyết định' }).click();
  await officer.locator('.zaui-modal-content', { hasText: `Ban hành QĐ số ${number}?` }).waitFor();
  await h.shot(officer, `${shotPrefix}-officer-decision-preview`);
  await confirm(officer, `Ban hành QĐ số ${number}?`, 'Ban hành quyết định');
  await officer.getByText(`Đã ban hành QĐ số ${number}`).waitFor({ timeout: 30_000 });
  await h.shot(officer, `${shotPrefix}-officer-decision-done`);
}

/** The subject opens the app again and sees the decision on its card and in the overview. */
async function seesResult(page: Page, cardName: RegExp, shotPrefix: string): Promise<string> {
  await page.goto(h.base);
  const card = page.getByRole('region', { name: cardName });
  await card.getByRole('button', { name: 'Xem kết quả' }).waitFor({ timeout: 20_000 });
  await card.scrollIntoViewIfNeeded();
  await h.shot(page, `${shotPrefix}-home-result`);
  await card.getByRole('button', { name: 'Xem kết quả' }).click();
  const kicker = page.locator('.result-kicker');
  await kicker.waitFor({ timeout: 20_000 });
  await h.shot(page, `${shotPrefix}-result`);
  return (await kicker.textContent()) ?? '';
}

async function submitForm(page: Page, shotPrefix: string, resubmit = false): Promise<void> {
  const label = resubmit ? 'Gửi lại' : 'Gửi hồ sơ';
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.locator('.zaui-modal-content', { hasText: resubmit ? 'Gửi lại hồ sơ?' : 'Gửi hồ sơ?' }).waitFor();
  await h.shot(page, `${shotPrefix}-submit-confirm`);
  await confirm(page, resubmit ? 'Gửi lại hồ sơ?' : 'Gửi hồ sơ?', label);
  await page.getByText(/^Đã gửi, chờ/).waitFor({ timeout: 20_000 });
  await h.shot(page, `${shotPrefix}-submitted`);
}

describe('every title, end to end', () => {
  beforeAll(async () => {
    h = await startHarness('titles');
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [i, p] of h.pages.entries()) await h.shot(p, `fail-${i}`).catch(() => undefined);
  });

  afterAll(async () => {
    await h?.close();
  });

  it(
    'Công dân học tập: submit → the tổ leader verifies → the commune recognises → the citizen sees it',
    {
      timeout: 600_000,
    },
    async () => {
      const citizen = await h.phoneOf(DEMO.users.citizen.userId);
      const card = citizen.getByRole('region', { name: /^Công dân học tập:/ });
      await card.waitFor({ timeout: 20_000 });
      await card.getByRole('radio').first().check();
      await h.shot(citizen, 'citizen-home-group');
      await card.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await fillWizard(citizen, 'max', async (i) => {
        if (i === 0) await h.shot(citizen, 'citizen-indicator');
      });
      await h.shot(citizen, 'citizen-review');
      await submitForm(citizen, 'citizen');

      // The tổ leader of the citizen's household: the citizen is in the queue.
      const a = (
        await h.api<{ items: { id: string; groupId: string | null }[] }>(
          DEMO.users.citizen.userId,
          '/assessments?subjectType=citizen',
        )
      ).items[0]!;
      const leaderId = DEMO.users.leaders[DEMO.groups.findIndex((g) => g.id === a.groupId)]!;
      const leader = await h.phoneOf(leaderId);
      await leader.getByText('Hồ sơ cần xác minh').waitFor();
      const item = leader.locator('.list-item', { hasText: 'Công dân học tập' }).first();
      await item.waitFor({ timeout: 20_000 });
      await h.shot(leader, 'citizen-leader-queue');
      // Sharing the tổ's progress works (the server answers for the tổ's hamlet).
      await leader.getByRole('button', { name: 'Chia sẻ vào nhóm Zalo' }).click();
      await leader
        .getByText(/Đã chép nội dung|Đã chia sẻ|chưa chia sẻ được/)
        .first()
        .waitFor({ timeout: 20_000 });
      expect(await leader.getByText('Không tìm thấy dữ liệu.').count()).toBe(0);
      await leader.getByRole('button', { name: 'Chia sẻ vào nhóm Zalo' }).scrollIntoViewIfNeeded();
      await h.shot(leader, 'citizen-leader-shared');
      await item.click();
      await leader.getByRole('button', { name: 'Xác minh hồ sơ' }).click();
      await leader.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });
      await h.shot(leader, 'citizen-leader-verified-snackbar');

      await recognise('Công dân học tập', 'công dân', 'citizen');
      const kicker = await seesResult(citizen, /^Công dân học tập:/, 'citizen');
      expect(kicker).toMatch(/công nhận/);
    },
  );

  it(
    'Gia đình học tập: submit → the tổ leader verifies → the commune recognises → the household sees it',
    {
      timeout: 600_000,
    },
    async () => {
      const user = DEMO.users.households[3]!.userId;
      const hh = await h.phoneOf(user);
      await hh.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await fillWizard(hh, 'max', async (i) => {
        if (i === 0) await h.shot(hh, 'household-indicator');
      });
      await submitForm(hh, 'household');
      const me = await h.api<{ household: { groupId: string } }>(user, '/me');
      const leader = await h.phoneOf(DEMO.users.leaders[DEMO.groups.findIndex((g) => g.id === me.household.groupId)]!);
      const item = leader.locator('.list-item', { hasText: 'Đã nộp' }).first();
      await item.waitFor({ timeout: 20_000 });
      await item.click();
      await leader.getByRole('button', { name: 'Xác minh và chuyển lên ấp' }).click();
      await leader.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });
      await recognise('Gia đình học tập', 'hộ', 'household');
      // The household is told the real next steps before, and its title after.
      const kicker = await seesResult(hh, /^Gia đình học tập:/, 'household');
      expect(kicker).toBe('Đã được công nhận');
    },
  );

  it(
    'Dòng họ học tập: submit → trưởng ấp returns → fix → re-review → verify → ấp review → decision',
    {
      timeout: 600_000,
    },
    async () => {
      const clanHead = await h.phoneOf(DEMO.users.clanHeads[0]!);
      const card = clanHead.getByRole('region', { name: /^Dòng họ học tập:/ });
      await card.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await fillWizard(clanHead, 'Đạt', async (i) => {
        if (i === 0) await h.shot(clanHead, 'clan-condition');
      });
      await clanHead.locator('.prereq').scrollIntoViewIfNeeded();
      await h.shot(clanHead, 'clan-review-rules-provisional');
      await submitForm(clanHead, 'clan');

      // Clans sit in a hamlet: its trưởng ấp verifies.
      const head = await h.phoneOf(DEMO.users.hamletHeads[0]!);
      const item = head.locator('.list-item', { hasText: 'Dòng họ học tập' }).first();
      await item.waitFor({ timeout: 20_000 });
      await h.shot(head, 'clan-hamlet-head-queue');
      await item.click();
      const n1 = head.getByRole('article', { name: 'Chỉ số N1' });
      await n1.getByRole('checkbox').check();
      await n1.getByRole('textbox').fill('Cần ảnh quy ước của dòng họ có chữ ký trưởng họ.');
      await n1.scrollIntoViewIfNeeded();
      await h.shot(head, 'clan-return');
      await head.getByRole('button', { name: /Trả lại cho dòng họ sửa \(1 chỉ số\)/ }).click();
      await head.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });

      // The clan head sees the comment, fixes N1 (one more photo) and sends it again.
      await clanHead.goto(h.base);
      await card.getByRole('button', { name: 'Xem góp ý, sửa và gửi lại' }).click();
      await clanHead.getByText('Cần ảnh quy ước của dòng họ').first().waitFor({ timeout: 20_000 });
      await h.shot(clanHead, 'clan-returned-overview');
      await clanHead.getByRole('button', { name: 'Sửa chỉ số N1' }).click();
      const [chooser] = await Promise.all([
        clanHead.waitForEvent('filechooser'),
        clanHead.getByRole('button', { name: /Thêm ảnh|Chụp hoặc chọn ảnh/ }).click(),
      ]);
      await chooser.setFiles(`${__dirname}/../../tests/fixtures/photos/plain.png`);
      await clanHead.getByText('Đã gửi ảnh minh chứng.').waitFor({ timeout: 30_000 });
      await h.shot(clanHead, 'clan-fix-photo-snackbar');
      await clanHead.getByRole('button', { name: 'Sửa xong, đến phần gửi lại' }).click();
      await submitForm(clanHead, 'clan-again', true);

      // Re-review: what was returned, the earlier reason and what changed.
      await head.goto(h.base);
      await head.locator('.list-item', { hasText: 'Dòng họ học tập' }).first().click();
      const again = head.getByRole('article', { name: 'Chỉ số N1' });
      await again.getByText('Đã trả lại lần trước:').waitFor({ timeout: 20_000 });
      await expect(again.locator('.rereview-changed').textContent()).resolves.toContain('đã gửi thêm 1 ảnh');
      await again.scrollIntoViewIfNeeded();
      await h.shot(head, 'clan-rereview');
      await head.getByRole('button', { name: 'Xác minh hồ sơ' }).click();
      await head.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });

      // The trưởng ấp records the hamlet review (with a confirmation).
      await head.getByRole('button', { name: /^Bình xét hồ sơ của/ }).click();
      const clans = head.getByRole('region', { name: 'Dòng họ học tập' });
      await clans.getByText('1 dòng họ chờ bình xét').waitFor({ timeout: 20_000 });
      await h.shot(head, 'clan-hamlet-review-list');
      await clans.getByRole('button', { name: 'Ghi nhận bình xét (1 dòng họ)' }).click();
      await head.locator('.zaui-modal-content', { hasText: 'Ghi nhận kết quả họp bình xét?' }).waitFor();
      await h.shot(head, 'clan-hamlet-review-confirm');
      await confirm(head, 'Ghi nhận kết quả họp bình xét?', 'Ghi nhận bình xét');
      await clans.getByText('Đã ghi nhận bình xét 1 dòng họ.').waitFor({ timeout: 20_000 });

      // The commune decides (no hamlet review left to record for clans: straight to the decision).
      await officer.goto(h.base);
      await officer.getByRole('button', { name: 'Xác minh, bình xét và công nhận' }).click();
      await officer.getByRole('tab', { name: /^Dòng họ học tập \(\d+\)$/ }).click();
      await officer.getByRole('heading', { name: '4. Quyết định công nhận' }).waitFor({ timeout: 20_000 });
      const number = `${decisionNo++}/QĐ-UBND`;
      await officer.getByLabel('Số quyết định').fill(number);
      await officer.getByLabel(/^Người ký/).fill('Nguyễn Văn Hùng');
      await officer.getByRole('button', { name: 'Ban hành quyết định' }).click();
      await officer.locator('.zaui-modal-content', { hasText: `Ban hành QĐ số ${number}?` }).waitFor();
      await h.shot(officer, 'clan-officer-decision-preview');
      await confirm(officer, `Ban hành QĐ số ${number}?`, 'Ban hành quyết định');
      await officer.getByText(`Đã ban hành QĐ số ${number}`).waitFor({ timeout: 30_000 });
      await h.shot(officer, 'clan-officer-decision-done');

      // No household of the clan holds the title yet: not recognised, and the reason says why.
      const kicker = await seesResult(clanHead, /^Dòng họ học tập:/, 'clan');
      expect(kicker).toMatch(/công nhận/);
    },
  );

  it(
    'Đơn vị học tập: submit → trưởng ấp verifies → the commune reviews and decides → the unit sees it',
    {
      timeout: 600_000,
    },
    async () => {
      const unitHead = await h.phoneOf(DEMO.users.unitHeads[0]!);
      const card = unitHead.getByRole('region', { name: /^Đơn vị học tập:/ });
      await card.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await fillWizard(unitHead, 'max');
      await unitHead.locator('.bands').scrollIntoViewIfNeeded();
      await h.shot(unitHead, 'unit-review-bands');
      await submitForm(unitHead, 'unit');

      const head = await h.phoneOf(DEMO.users.hamletHeads[0]!);
      const item = head.locator('.list-item', { hasText: 'Đơn vị học tập' }).first();
      await item.waitFor({ timeout: 20_000 });
      await item.click();
      await head.getByRole('button', { name: 'Xác minh hồ sơ' }).waitFor();
      await h.shot(head, 'unit-hamlet-head-review');
      await head.getByRole('button', { name: 'Xác minh hồ sơ' }).click();
      await head.getByText('Hồ sơ cần xác minh').waitFor({ timeout: 20_000 });

      await recognise('Đơn vị học tập', 'đơn vị', 'unit');
      const kicker = await seesResult(unitHead, /^Đơn vị học tập:/, 'unit');
      expect(kicker).toMatch(/công nhận/);
    },
  );

  it(
    'Cộng đồng học tập: the hamlet submits → the commune verifies, reviews, decides → the hamlet sees it',
    {
      timeout: 600_000,
    },
    async () => {
      const head = await h.phoneOf(DEMO.users.hamletHeads[1]!);
      const card = head.getByRole('region', { name: /^Cộng đồng học tập:/ });
      await card.scrollIntoViewIfNeeded();
      await card.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await fillWizard(head, 'Đạt');
      await h.shot(head, 'community-review');
      await submitForm(head, 'community');
      // Their own form is not in their verification queue.
      await head.goto(h.base);
      await head.getByText('Hồ sơ cần xác minh').waitFor();
      expect(await head.locator('.list-item', { hasText: 'Cộng đồng học tập' }).count()).toBe(0);

      await officer.goto(h.base);
      await officer.getByRole('button', { name: 'Xác minh, bình xét và công nhận' }).click();
      await officer.getByRole('tab', { name: /^Cộng đồng học tập \(\d+\)$/ }).click();
      const waiting = officer.getByRole('region', { name: 'Chờ xác minh' }).locator('.list-item').first();
      await waiting.waitFor({ timeout: 20_000 });
      await h.shot(officer, 'community-officer-waiting');
      await waiting.click();
      await officer.getByRole('button', { name: 'Xác minh hồ sơ' }).click();
      await officer.getByRole('tab', { name: /^Cộng đồng học tập \(\d+\)$/ }).click();
      await recognise('Cộng đồng học tập', 'ấp', 'community');
      const kicker = await seesResult(head, /^Cộng đồng học tập:/, 'community');
      expect(kicker).toMatch(/công nhận/);
    },
  );

  it('leaving a draft: "Thoát" and the header ‹ return home, the answers are kept', { timeout: 300_000 }, async () => {
    const hh = await h.phoneOf(DEMO.users.households[1]!.userId);
    await hh.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
    await hh.getByText('Chỉ số 1/10').waitFor({ timeout: 20_000 });
    await hh.getByRole('radio', { name: '10 điểm' }).click();
    await hh.getByText('✓ Đã lưu').waitFor();
    await hh.getByRole('button', { name: 'Thoát' }).click();
    await hh.getByRole('button', { name: 'Tiếp tục tự đánh giá' }).waitFor({ timeout: 20_000 });
    await h.shot(hh, 'draft-left-home');
    await hh.getByRole('button', { name: 'Tiếp tục tự đánh giá' }).click();
    await hh.getByText('Chỉ số 1/10').waitFor({ timeout: 20_000 });
    await expect(hh.getByRole('radio', { name: '10 điểm' }).getAttribute('aria-checked')).resolves.toBe('true');
    await hh.getByRole('button', { name: 'Tiếp ›' }).click();
    await hh.getByText('Chỉ số 2/10').waitFor();
    await h.shot(hh, 'draft-step-2');
    await hh.getByRole('button', { name: 'Quay lại' }).click();
    await hh.getByRole('button', { name: 'Tiếp tục tự đánh giá' }).waitFor({ timeout: 20_000 });
    await h.shot(hh, 'draft-left-by-header');
  });

  it(
    'declined photo consent: the server says why, consent is given in place, the photo goes',
    {
      timeout: 300_000,
    },
    async () => {
      const hh = await h.phoneOf(DEMO.users.households[2]!.userId);
      // The account screen: withdraw the photo consent.
      await hh.getByRole('button', { name: 'Tài khoản và sự đồng ý' }).click();
      await hh.getByText('Sự đồng ý sử dụng thông tin').waitFor({ timeout: 20_000 });
      await h.shot(hh, 'consent-account');
      // A controlled switch: it turns off when the server confirms, so a plain click (not uncheck()).
      await hh.getByRole('checkbox', { name: /^Ảnh minh chứng/ }).click({ force: true });
      await hh.getByText(/Đã rút lại đồng ý: Ảnh minh chứng/).waitFor({ timeout: 20_000 });
      await h.shot(hh, 'consent-withdrawn');
      await hh.getByRole('button', { name: 'Quay lại' }).click();

      await hh.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
      await hh.getByText('Chỉ số 1/10').waitFor({ timeout: 20_000 });
      await hh.getByRole('radio', { name: '10 điểm' }).click();
      const [chooser] = await Promise.all([
        hh.waitForEvent('filechooser'),
        hh.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }).click(),
      ]);
      await chooser.setFiles(`${__dirname}/../../tests/fixtures/photos/different.jpg`);
      await hh.getByText('Bạn cần đồng ý cho phép gửi ảnh minh chứng trước khi tải ảnh.').first().waitFor({
        timeout: 30_000,
      });
      expect(await hh.getByText('Bạn không có quyền thực hiện việc này.').count()).toBe(0);
      await hh.locator('.consent-recover').scrollIntoViewIfNeeded();
      await h.shot(hh, 'consent-photo-refused');
      await hh.locator('[data-testid="photo-failed"]').scrollIntoViewIfNeeded();
      await h.shot(hh, 'consent-photo-failed-tile');
      await hh.getByRole('button', { name: 'Đồng ý lưu ảnh và gửi lại' }).click();
      await hh.getByText('✓ Đã gửi').first().waitFor({ timeout: 30_000 });
      await h.shot(hh, 'consent-photo-sent');
      await photoIfNeeded(hh);
    },
  );
});
