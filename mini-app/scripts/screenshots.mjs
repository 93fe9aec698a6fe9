// Screenshots at 360×640 of the production build (vite preview) with the API mocked by route
// interception: login → consent → household home → wizard (+ a failed save, the review step).
// Uses Debian's Chromium through playwright-core (never `playwright install`).
//   pnpm --filter @hoctap/mini-app run build && pnpm --filter @hoctap/mini-app run screenshots
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.screenshots');
mkdirSync(out, { recursive: true });
if (!existsSync(join(root, 'www/index.html'))) throw new Error('Run the build first: pnpm run build');

process.chdir(root);
const server = await preview({
  configFile: join(root, 'vite.config.mts'),
  preview: { port: 4173, host: 'localhost', strictPort: false },
});
const base = server.resolvedUrls.local[0];

const meBase = {
  id: 'u-hoa',
  displayName: 'Nguyễn Thị Hoa',
  phone: null,
  roles: [],
  householdId: 'hh-1',
  household: {
    id: 'hh-1',
    headName: 'Nguyễn Văn Bình',
    address: '12 ấp Mỹ Hòa',
    hamletName: 'ấp Mỹ Hòa',
    groupName: 'Tổ 3',
    communeId: 'xa-my-hoa',
  },
};
let consented = false;
// Who is signed in: the household flow first, then a Công dân học tập (me.personId) and their group form.
let persona = 'household';
const meCitizen = {
  id: 'u-khoa',
  displayName: 'Lê Minh Khoa',
  phone: null,
  roles: [],
  householdId: null,
  household: null,
  personId: 'p-khoa',
};
let citizen = null;
let failSaves = 0;
const deadline = new Date(Date.now() + 12 * 86_400_000).toISOString();
const assessment = {
  id: '7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c',
  campaignId: 'camp-2026',
  subjectType: 'household',
  subjectId: 'hh-1',
  subjectName: 'Hộ Nguyễn Văn Bình',
  state: 'draft',
  stateLabel: 'Nháp',
  version: 1,
  criteriaSetId: 'gdht-448-2015-v1',
  layers: { self: [], verifier: [], commune: [] },
  evidence: [],
  comments: [],
};

function json(route, status, body, headers = {}) {
  return route.fulfill({ status, contentType: 'application/json', headers, body: JSON.stringify(body) });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
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
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    locale: 'vi-VN',
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('[console]', m.text()));

  await page.route('**/api/v1/**', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const p = url.pathname;
    const m = req.method();
    if (p === '/api/v1/auth/dev-users')
      return json(route, 200, {
        items: [
          { id: 'u-hoa', displayName: 'Nguyễn Thị Hoa', roleLabel: 'Hộ gia đình', unitName: 'Tổ 3, ấp Mỹ Hòa' },
          {
            id: 'u-tam',
            displayName: 'Trần Văn Tâm',
            roleLabel: 'Tổ trưởng',
            unitName: 'Tổ 3 – Khuyến học, ấp Mỹ Hòa',
          },
          { id: 'u-lan', displayName: 'Lê Thị Lan', roleLabel: 'Cán bộ xã', unitName: 'Xã Mỹ Hòa' },
          { id: 'u-khoa', displayName: 'Lê Minh Khoa', roleLabel: 'Công dân học tập', unitName: 'ấp Mỹ Hòa' },
        ],
      });
    if (p === '/api/v1/auth/dev-login')
      return json(route, 200, {
        accessToken: 'acc',
        refreshToken: 'ref',
        expiresIn: 900,
        user: { id: 'u-hoa', displayName: 'Nguyễn Thị Hoa' },
      });
    if (p === '/api/v1/me' && persona === 'citizen')
      return json(route, 200, { ...meCitizen, consents: { evaluation: true, photos: true, notifications: false } });
    if (p === '/api/v1/me')
      return json(route, 200, {
        ...meBase,
        consents: { evaluation: consented, photos: consented, notifications: false },
      });
    if (p === '/api/v1/clans' || p === '/api/v1/units') return json(route, 200, { items: [], nextCursor: null });
    if (p === '/api/v1/inbox') return json(route, 200, { items: [], nextCursor: null, unread: 0 });
    if (persona === 'citizen') {
      if (p === '/api/v1/assessments' && m === 'GET')
        return json(route, 200, {
          items: citizen && url.searchParams.get('subjectType') === 'citizen' ? [citizen] : [],
        });
      if (p === '/api/v1/assessments' && m === 'POST') {
        const b = JSON.parse(req.postData() ?? '{}');
        citizen = {
          ...assessment,
          id: b.id,
          subjectType: 'citizen',
          subjectId: b.subjectId,
          subjectName: 'Lê Minh Khoa',
          subjectGroup: b.subjectGroup,
          criteriaSetId: 'cdht-244-2022-v1',
        };
        return json(route, 201, citizen);
      }
      if (citizen && p === `/api/v1/assessments/${citizen.id}`) return json(route, 200, citizen);
      if (citizen && p.startsWith(`/api/v1/assessments/${citizen.id}/answers/`)) return json(route, 200, { ok: true });
    }
    if (p === '/api/v1/me/consents' && m === 'POST') {
      consented = true;
      return json(route, 201, {});
    }
    if (p === '/api/v1/campaigns')
      return json(route, 200, {
        items: [
          {
            id: 'camp-2026',
            title: 'Đánh giá danh hiệu học tập năm 2026',
            year: 2026,
            communeId: 'xa-my-hoa',
            status: 'open',
            selfAssessmentDueAt: deadline,
            verificationDueAt: deadline,
            criteriaSetIds: { household: 'gdht-448-2015-v1', citizen: 'cdht-244-2022-v1' },
          },
        ],
      });
    if (p === '/api/v1/assessments' && m === 'GET') return json(route, 200, { items: [assessment] });
    if (p === `/api/v1/assessments/${assessment.id}`) return json(route, 200, assessment);
    if (p.startsWith(`/api/v1/assessments/${assessment.id}/answers/`)) {
      if (failSaves > 0) {
        failSaves--; // the client retries 3 times with backoff before it shows the error
        return json(
          route,
          503,
          { statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable', reqId: 'req-8f2a' },
          { 'Retry-After': '0' },
        );
      }
      return json(route, 200, { ok: true });
    }
    if (p === `/api/v1/assessments/${assessment.id}/evidence`)
      return json(route, 201, {
        id: `ev-${Date.now()}`,
        assessmentId: assessment.id,
        indicatorCode: url.searchParams.get('indicatorCode'),
        width: 1600,
        height: 1200,
        bytes: 250000,
        capturedAt: null,
        gpsLat: null,
        gpsLon: null,
        nearDuplicates: [],
        createdAt: new Date().toISOString(),
      });
    return json(route, 404, { statusCode: 404, error: 'Not Found', message: 'Not mocked', reqId: 'mock' });
  });

  const shot = async (name, fullPage = false) => {
    await page.waitForTimeout(400);
    // zmp-ui's Page scrolls inside the viewport: for a full-page shot it grows to its content.
    const grown =
      fullPage &&
      (await page.addStyleTag({
        content:
          'html,body{height:auto!important;overflow:visible!important}' +
          '.zaui-routes-item{max-height:none!important}.zaui-page.screen{height:auto!important}',
      }));
    await page.screenshot({ path: join(out, `${name}.png`), fullPage });
    if (grown) await grown.evaluate((el) => el.remove());
    console.log('saved', name);
  };

  await page.goto(base);
  await page.getByText('Nguyễn Thị Hoa').waitFor();
  await shot('01-login');

  await page.getByRole('button', { name: /Nguyễn Thị Hoa/ }).click();
  await page.getByText('Đồng ý sử dụng thông tin').waitFor();
  await shot('02-consent');
  await page.getByRole('checkbox', { name: /Đánh giá danh hiệu/ }).check();
  await page.getByRole('checkbox', { name: /Ảnh minh chứng/ }).check();
  await shot('03-consent-ticked');
  await page.getByRole('button', { name: 'Đồng ý và tiếp tục' }).click();

  await page.getByText('Tiếp tục tự đánh giá').waitFor();
  await shot('04-home-household');
  await page.getByText('Tiếp tục tự đánh giá').click();

  await page.getByText('Chỉ số 1/10').waitFor();
  await shot('05-wizard-start');
  await page.getByRole('radio', { name: '10 điểm' }).click();
  await page.getByText('✓ Đã lưu').waitFor();
  await shot('06-wizard-points', true);

  const photoPath = join(root, '../tests/fixtures/photos/different.jpg');
  if (existsSync(photoPath)) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /Chụp hoặc chọn ảnh/ }).click();
    await (
      await chooser
    ).setFiles({ name: 'the-hoc-sinh.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photoPath) });
    await page.getByText('Ảnh minh chứng (cần 1 ảnh, đã có 1)').waitFor();
    await shot('07-wizard-photo', true);
  }

  failSaves = 4;
  await page.getByRole('button', { name: 'Tiếp ›' }).click();
  await page.getByRole('radio', { name: '8 điểm' }).click();
  await page.getByText('Chưa lưu lên máy chủ (đã giữ trên máy).').waitFor();
  await shot('08-wizard-save-failed');

  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Tiếp ›' }).click();
  await page.getByText('Chỉ số 6/10').waitFor();
  await shot('09-wizard-provisional');

  await context.setOffline(true);
  await page.evaluate(() => window.dispatchEvent(new Event('offline')));
  await shot('10-wizard-offline');
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));

  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }).click();
  await page.getByText('Xem lại và gửi', { exact: true }).waitFor();
  await shot('11-wizard-review');

  // Công dân học tập: the group picker on the card, the group's form, the floor reason at once.
  persona = 'citizen';
  const shotAt = async (name, locator) => {
    await locator.scrollIntoViewIfNeeded();
    await shot(name);
  };
  await page.evaluate(() => localStorage.clear());
  await page.goto(base);
  await page.getByRole('button', { name: /Lê Minh Khoa/ }).click();
  await page.getByText('Bạn thuộc nhóm đối tượng nào?').waitFor();
  await shot('12-citizen-home');
  await page.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
  await page.getByText('Hãy chọn nhóm đối tượng trước khi bắt đầu.').waitFor();
  await page.getByLabel('Nông dân, lao động nông thôn').check();
  await shotAt('13-citizen-group-picked', page.getByRole('button', { name: 'Bắt đầu tự đánh giá' }));
  await page.getByRole('button', { name: 'Bắt đầu tự đánh giá' }).click();
  await page.getByText('Chỉ số 1/10').waitFor();
  await shot('14-citizen-wizard');
  await page.getByRole('radio', { name: '4 điểm' }).click();
  await page.getByText('✓ Đã lưu').waitFor();
  await page.getByText('Chỉ số 1.1 dưới 5 điểm (mới đạt 4 điểm)').waitFor();
  await shotAt('15-citizen-floor-reason', page.locator('.verdict'));
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: /Tiếp ›|Xem lại ›/ }).click();
  await page.getByText('Xem lại và gửi', { exact: true }).waitFor();
  await shotAt('16-citizen-review-rules', page.locator('.rules'));
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}
