// @vitest-environment node
/**
 * Issue 19 end to end on the real API and the built app in Debian's Chromium at 360×640: a
 * household's verified and reviewed assessment is posted (niêm yết) in its hamlet → a resident of
 * the hamlet, told by the inbox, objects to it in the app → the commune officer keeps it with a
 * reason in the app → the posting ends and the decision is issued → the certificate's QR code,
 * decoded from the PDF page rendered to an image (pdftoppm + jsqr), opens the public /v/<code>
 * page. The workflow steps before the posting go through the API (other e2e files drive them in
 * the app). Screenshots: mini-app/.screenshots/transparency/ (gitignored).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { qrOnPdfPage } from '../../tests/integration/transparency/qr.ts';
import { root, startHarness, type Harness } from './harness.ts';

const GDHT = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2'];
const DAY = 24 * 3600_000;
// Household #110 lives in Tổ 3 ấp Mỹ Hòa (household i is in group i mod 12); tổ 3's leader verifies.
const subject = DEMO.users.households.find((x) => x.householdId === DEMO.householdId(110))!;
const verifier = DEMO.users.leaders[2]!;
// The resident who objects: Tổ 1's leader also heads household #0 of ấp Mỹ Hòa, so the posting
// reaches their inbox (the hamlet's leaders are told) and they may object as a resident.
const resident = DEMO.users.leaderWithOwnHousehold.userId;
const hamletId = DEMO.hamlets[0].id;

let h: Harness;

async function call(userId: string, path: string, init: { method?: string; body?: unknown; headers?: object } = {}) {
  const res = await fetch(`${h.base}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${await h.token(userId)}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

describe('issue 19: posting, objection, decision, verifiable certificate', () => {
  beforeAll(async () => {
    h = await startHarness('transparency');
  }, 300_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      for (const [i, p] of h.pages.entries())
        await p.screenshot({ path: join(root, '.screenshots', 'transparency', `fail-${i}.png`) }).catch(() => {});
  });
  afterAll(async () => h?.close());

  it('a resident objects, the officer keeps the entry, the certificate QR opens the verification page', async () => {
    const officer = DEMO.users.officer;
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    // The demo seeds this year's campaign; its milestones are moved around today.
    const campaigns = await call(officer, `/campaigns?communeId=${DEMO.communeId}`);
    const list = (Array.isArray(campaigns) ? campaigns : campaigns.items) as { id: string; year: number }[];
    const campaign = list.find((c) => c.year === new Date(now).getUTCFullYear())!;
    await call(officer, `/campaigns/${campaign.id}`, {
      method: 'PATCH',
      body: {
        registrationOpensAt: iso(-DAY),
        selfAssessmentDueAt: iso(10 * DAY),
        verificationDueAt: iso(20 * DAY),
        recognitionDueAt: iso(30 * DAY),
        reportDueAt: iso(31 * DAY),
      },
    });
    const id = randomUUID();
    await call(subject.userId, '/assessments', {
      method: 'POST',
      body: { id, campaignId: campaign.id, subjectType: 'household', subjectId: subject.householdId },
    });
    for (const code of GDHT)
      await call(subject.userId, `/assessments/${id}/answers/${code}`, { method: 'PUT', body: { points: 10 } });
    await call(subject.userId, `/assessments/${id}/submit`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
    });
    await call(verifier, `/assessments/${id}/verify`, { method: 'POST', body: { answers: [] } });
    await call(officer, '/assessments/review', {
      method: 'POST',
      body: { campaignId: campaign.id, hamletId, subjectType: 'household' },
    });
    const posting = await call(officer, '/postings', {
      method: 'POST',
      body: { campaignId: campaign.id, hamletId, subjectType: 'household' },
    });
    const subjectName = (await call(officer, `/assessments/${id}`)).subjectName as string;

    // The resident: inbox → the posted list → an objection about the household.
    const phone = await h.phoneOf(resident);
    await phone.getByRole('button', { name: /Hộp thư/ }).click();
    const message = phone.getByRole('button', { name: /niêm yết/i }).first();
    await message.waitFor({ timeout: 20_000 });
    await h.shot(phone, 'resident-inbox');
    await message.click();
    await phone.getByRole('heading', { name: /Danh sách đề nghị công nhận/ }).waitFor({ timeout: 20_000 });
    await expect.poll(() => phone.getByText(subjectName).first().isVisible()).toBe(true);
    await h.shot(phone, 'resident-posted-list');
    await phone.getByRole('button', { name: 'Gửi ý kiến về trường hợp này' }).first().click();
    const form = phone.getByRole('form', { name: `Ý kiến về ${subjectName}` });
    await form.getByLabel('Lý do').fill('Nhà này năm nay có cháu bỏ học giữa chừng, đề nghị xã xem lại.');
    await h.shot(phone, 'resident-objection-form');
    await form.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await phone.getByText('Bạn đã gửi ý kiến — đang chờ xã xử lý').waitFor({ timeout: 20_000 });
    await h.shot(phone, 'resident-objection-sent');

    // The officer: the queue → keep the entry with a reason.
    const desk = await h.phoneOf(officer);
    await desk.getByRole('button', { name: 'Niêm yết danh sách và ý kiến người dân' }).click();
    const queue = desk.getByRole('region', { name: 'Ý kiến chờ xử lý' });
    await queue.getByText(subjectName).waitFor({ timeout: 20_000 });
    await h.shot(desk, 'officer-objection-queue');
    await queue.getByLabel(/Kết quả xem xét/).fill('Tổ trưởng xác nhận cháu đã đi học lại từ tháng 9, giữ nguyên.');
    await queue.getByRole('button', { name: 'Giữ nguyên trong danh sách' }).click();
    await queue.getByText('Không có ý kiến nào đang chờ.').waitFor({ timeout: 20_000 });
    await h.shot(desk, 'officer-objection-resolved');

    // The resident sees the outcome on the list.
    await phone.reload();
    await phone.getByRole('button', { name: /Hộp thư/ }).click();
    await phone
      .getByRole('button', { name: /niêm yết/i })
      .first()
      .click();
    await phone.getByText('Xã đã xử lý: giữ nguyên trong danh sách').waitFor({ timeout: 20_000 });
    await h.shot(phone, 'resident-sees-outcome');

    // The window ends; the decision is issued; the certificate's QR opens the public page.
    await call(officer, `/postings/${posting.id}/close`, { method: 'POST' });
    const decision = await call(officer, `/campaigns/${campaign.id}/decisions`, {
      method: 'POST',
      body: {
        subjectType: 'household',
        number: '19/QĐ-UBND',
        decidedOn: new Date(now).toISOString().slice(0, 10),
        signer: 'Nguyễn Văn Hùng',
      },
    });
    expect(decision.results).toEqual([expect.objectContaining({ assessmentId: id, recognised: true })]);
    const pdf = (await call(officer, `/decisions/${decision.id}/certificates.pdf`)) as Buffer;
    const qr = await qrOnPdfPage(pdf, 1);
    expect(qr).toMatch(/\/v\/[0-9A-Z]{26}$/);
    // The QR carries PUBLIC_URL (unset here: localhost); the same path on this server.
    const page = h.pages[0]!;
    const res = await page.goto(`${h.base}${new URL(qr!).pathname}`);
    expect(res?.status()).toBe(200);
    await page.getByText('Giấy chứng nhận hợp lệ').waitFor();
    expect(await page.getByText(subjectName.replace(/^Hộ /, '')).first().isVisible()).toBe(true);
    // Plain screenshot: the page's CSP (default-src 'none') refuses the injected axe-core script.
    await page.screenshot({ path: join(root, '.screenshots', 'transparency', '99-public-verification-page.png') });
  });
});
