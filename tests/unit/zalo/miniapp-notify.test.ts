import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMiniAppNotifyClient } from '@hoctap/server/zalo/miniapp-notify-client.ts';
import { vnTime } from '../../fakes/zalo/clock.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { APP, rejectionOf, startTestFake } from './fixtures.ts';

const DAY = 86_400_000;
let fake: FakeZalo;
let client: ReturnType<typeof createMiniAppNotifyClient>;
let nextId = 0;
let dayOffset = 0;

beforeAll(async () => {
  fake = await startTestFake({ miniAppDailyCap: 3 });
  client = createMiniAppNotifyClient({
    baseUrl: fake.url,
    apiKey: APP.miniAppApiKey,
    miniAppId: APP.miniAppId,
    timeoutMs: 2000,
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.record.clear();
  // A fresh Vietnam day per test, 09:00: per-user and app-wide counters start at zero.
  fake.clock.set(vnTime('2026-12-01T09:00'));
  fake.clock.advance(dayOffset++ * DAY);
});

/** A user who allowed notifications and opened the app yesterday. */
function eligibleUser(): string {
  const id = `66600011122233344${String(nextId++).padStart(2, '0')}`;
  fake.setMiniAppUser(id, { allowedNotifications: true, lastOpenedAt: new Date(fake.clock.nowMs() - DAY) });
  return id;
}

const send = (userId: string, title = 'Kết quả đánh giá') =>
  client.sendNotification({
    userId,
    templateId: '00126fd75392bacce383',
    templateData: { title, buttonText: 'Xem chi tiết', buttonUrl: `https://zalo.me/s/${APP.miniAppId}/` },
  });

describe('Mini App notification (docs/zalo.md §5)', () => {
  it('sends with X-Api-Key: Bearer, X-User-Id, X-MiniApp-Id and {templateId, templateData}', async () => {
    const userId = eligibleUser();
    await send(userId);
    const [req] = fake.record.for('/notification/template');
    expect(req?.headers['x-api-key']).toBe(`Bearer ${APP.miniAppApiKey}`);
    expect(req?.headers['x-user-id']).toBe(userId);
    expect(req?.headers['x-miniapp-id']).toBe(APP.miniAppId);
    expect(req?.body).toMatchObject({
      templateId: '00126fd75392bacce383',
      templateData: { title: 'Kết quả đánh giá' },
    });
    expect(fake.delivered.at(-1)).toMatchObject({ channel: 'miniapp', recipient: userId });
  });

  it('one per user per day; the next day works again', async () => {
    const userId = eligibleUser();
    await send(userId);
    expect(await rejectionOf(send(userId))).toMatchObject({
      code: -2103,
      channel: 'miniapp',
      action: 'reschedule_tomorrow',
    });
    fake.clock.advance(DAY);
    fake.setMiniAppUser(userId, { allowedNotifications: true, lastOpenedAt: fake.clock.now() });
    await send(userId);
  });

  it('user did not allow notifications → dead', async () => {
    fake.setMiniAppUser('6660000000000000001', { allowedNotifications: false, lastOpenedAt: fake.clock.now() });
    expect(await rejectionOf(send('6660000000000000001'))).toMatchObject({ code: -2101, action: 'dead' });
    expect(await rejectionOf(send('6660000000000000999'))).toMatchObject({ code: -2101 }); // never seen
  });

  it('user did not open the app in the last 7 days → dead', async () => {
    fake.setMiniAppUser('6660000000000000002', {
      allowedNotifications: true,
      lastOpenedAt: new Date(fake.clock.nowMs() - 8 * DAY),
    });
    expect(await rejectionOf(send('6660000000000000002'))).toMatchObject({ code: -2102, action: 'dead' });
  });

  it('only 06:00–22:00 Vietnam time → reschedule_morning', async () => {
    const userId = eligibleUser();
    const day = fake.clock.now().toISOString().slice(0, 10);
    fake.clock.set(vnTime(`${day}T22:00`));
    expect(await rejectionOf(send(userId))).toMatchObject({ code: -2104, action: 'reschedule_morning' });
    fake.clock.set(vnTime(`${day}T05:59`));
    expect(await rejectionOf(send(userId))).toMatchObject({ code: -2104 });
    fake.clock.set(vnTime(`${day}T06:00`));
    await send(userId);
  });

  it('app-wide daily cap → reschedule_tomorrow', async () => {
    for (let i = 0; i < 3; i++) await send(eligibleUser());
    expect(await rejectionOf(send(eligibleUser()))).toMatchObject({ code: -2105, action: 'reschedule_tomorrow' });
  });

  it('title over 32 characters → dead; wrong API key → alert_human', async () => {
    expect(await rejectionOf(send(eligibleUser(), 'x'.repeat(33)))).toMatchObject({ code: -2106, action: 'dead' });
    const wrong = createMiniAppNotifyClient({ baseUrl: fake.url, apiKey: 'nope', miniAppId: APP.miniAppId });
    expect(
      await rejectionOf(wrong.sendNotification({ userId: eligibleUser(), templateId: 't', templateData: {} })),
    ).toMatchObject({
      code: -2100,
      action: 'alert_human',
    });
  });
});
