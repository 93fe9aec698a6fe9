// @vitest-environment node
/**
 * Carry-over (docs/transparency.md §6) on the real API and the built app at 360×640: a household
 * answered last year's campaign (through the API, with a photo for 3.2); this year it opens the
 * wizard, sees "Dùng lại câu trả lời năm <year>", ticks two indicators "Vẫn đúng năm nay" and the
 * draft starts from them, last year's photo linked and marked for the verifier.
 * Screenshots: mini-app/.screenshots/carry-over/ (gitignored).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';
import { photos, root, startHarness, type Harness } from './harness.ts';

const GDHT = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2'];
const DAY = 24 * 3600_000;
const household = DEMO.users.households[4]!;

let h: Harness;

async function call(userId: string, path: string, init: { method?: string; body?: unknown; headers?: object } = {}) {
  const res = await fetch(`${h.base}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${await h.token(userId)}`,
      ...(init.body !== undefined && !(init.body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body instanceof FormData
      ? { body: init.body }
      : init.body !== undefined
        ? { body: JSON.stringify(init.body) }
        : {}),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

describe('carry-over from last year', () => {
  beforeAll(async () => {
    // Photos are processed in the background here (off by default under NODE_ENV=test).
    h = await startHarness('carry-over', { EVIDENCE_PROCESSING: 'true' });
  }, 300_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      for (const [i, p] of h.pages.entries())
        await p.screenshot({ path: join(root, '.screenshots', 'carry-over', `fail-${i}.png`) }).catch(() => {});
  });
  afterAll(async () => h?.close());

  it('the household ticks "Vẫn đúng năm nay" and the draft starts from last year', async () => {
    const officer = DEMO.users.officer;
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    const year = new Date(now).getUTCFullYear();
    // Last year's campaign, answered and submitted, then closed.
    const last = await call(officer, '/campaigns', {
      method: 'POST',
      body: {
        communeId: DEMO.communeId,
        year: year - 1,
        title: `Đánh giá năm ${year - 1}`,
        registrationOpensAt: iso(-DAY),
        selfAssessmentDueAt: iso(10 * DAY),
        verificationDueAt: iso(20 * DAY),
        recognitionDueAt: iso(30 * DAY),
        reportDueAt: iso(31 * DAY),
      },
    });
    const prev = randomUUID();
    await call(household.userId, '/assessments', {
      method: 'POST',
      body: { id: prev, campaignId: last.id, subjectType: 'household', subjectId: household.householdId },
    });
    for (const code of GDHT)
      await call(household.userId, `/assessments/${prev}/answers/${code}`, { method: 'PUT', body: { points: 10 } });
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(photos, 'plain.png'))], { type: 'image/png' }), 'tu-sach.png');
    const photo = await call(household.userId, `/assessments/${prev}/evidence?indicatorCode=3.2`, {
      method: 'POST',
      body: form,
    });
    await expect
      .poll(async () => (await call(household.userId, `/evidence/${photo.id}`)).state, { timeout: 60_000 })
      .toBe('ready');
    await call(household.userId, `/assessments/${prev}/submit`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
    });
    await call(officer, `/campaigns/${last.id}/close`, { method: 'POST', body: {} });

    // This year: the household opens the wizard and is offered last year's answers.
    const phone = await h.phoneOf(household.userId);
    await phone.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
    const card = phone.getByRole('region', { name: `Dùng lại câu trả lời năm ${year - 1}` });
    await card.waitFor({ timeout: 20_000 });
    await h.shot(phone, 'wizard-carry-over-offer');
    const item = (code: string) => card.locator('li', { hasText: new RegExp(`^${code.replace('.', '\\.')}\\.`) });
    await item('1.1').getByRole('checkbox', { name: 'Vẫn đúng năm nay' }).check();
    await item('3.2').getByRole('checkbox', { name: 'Vẫn đúng năm nay' }).check();
    await item('3.2').scrollIntoViewIfNeeded();
    await h.shot(phone, 'wizard-carry-over-ticked');
    await card.getByRole('button', { name: 'Dùng lại 2 chỉ số đã chọn' }).click();
    await card.waitFor({ state: 'detached', timeout: 20_000 });
    await phone.getByText('Chỉ số 1/10').waitFor();
    expect(await phone.getByRole('radio', { name: '10 điểm' }).getAttribute('aria-checked')).toBe('true');
    await h.shot(phone, 'wizard-after-carry-over');

    const mine = (await call(household.userId, '/assessments')) as { items: { id: string; campaignId: string }[] };
    const current = mine.items.find((x) => x.campaignId !== last.id)!;
    const detail = await call(household.userId, `/assessments/${current.id}`);
    expect(detail.layers.self.map((a: { indicatorCode: string }) => a.indicatorCode)).toEqual(['1.1', '3.2']);
    expect(detail.evidence).toEqual([expect.objectContaining({ indicatorCode: '3.2', reusedFromYear: year - 1 })]);
  });
});
