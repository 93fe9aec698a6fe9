import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOaClient } from '@hoctap/server/zalo/oa-client.ts';
import { createOaTokenManager } from '@hoctap/server/zalo/oa-token-manager.ts';
import { createMemoryTokenStore } from '@hoctap/server/zalo/token-store.ts';
import { createZbsClient } from '@hoctap/server/zalo/zbs-client.ts';
import { vnTime } from '../../fakes/zalo/clock.ts';
import type { FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { APP, rejectionOf, startTestFake } from './fixtures.ts';

let fake: FakeZalo;
let oa: ReturnType<typeof createOaClient>;
let zbs: ReturnType<typeof createZbsClient>;

beforeAll(async () => {
  fake = await startTestFake({ znsDailyQuota: 2 });
  const pair = fake.issueOaTokens({ accessTtlSec: 10 * 365 * 24 * 3600 }); // no refresh noise here
  const tokens = createOaTokenManager({
    oauthBaseUrl: fake.url,
    appId: APP.appId,
    appSecret: APP.appSecret,
    clock: fake.clock,
    store: createMemoryTokenStore({ ...pair, expiresAt: new Date(fake.clock.nowMs() + pair.expiresIn * 1000) }),
  });
  oa = createOaClient({ baseUrl: fake.url, tokens, timeoutMs: 2000 });
  zbs = createZbsClient({ oaBaseUrl: fake.url, businessBaseUrl: fake.url, tokens, timeoutMs: 2000 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.record.clear();
  fake.script.reset();
  fake.clock.set(vnTime('2026-12-01T09:00'));
});

describe('GMF group message (docs/zalo.md §4)', () => {
  it('posts {recipient:{group_id}, message:{text}} with the OA access_token header', async () => {
    const g = fake.addGroup({ name: 'Ấp Tân Hòa' });
    // NFD input ("Hội" typed with combining marks) is sent as NFC.
    const res = await oa.sendGroupMessage({ groupId: g.groupId, text: 'Ho\u0302\u0323i khuye\u0302\u0301n ho\u0323c' });
    const [req] = fake.record.for('/v3.0/oa/group/message');
    expect(req?.method).toBe('POST');
    expect(req?.headers['access_token']).toMatch(/^oa_at_/);
    expect(req?.body).toEqual({ recipient: { group_id: g.groupId }, message: { text: 'Hội khuyến học' } });
    expect(res.groupId).toBe(g.groupId);
    expect(res.messageId).toBe(fake.delivered.at(-1)?.messageId);
    expect(res.rateLimit).toEqual({ limit: 4000, remaining: expect.any(Number) });
  });

  it('disabled group → -237: dead for this message AND an ops alert', async () => {
    const g = fake.addGroup();
    fake.setGroupStatus(g.groupId, 'disabled');
    const err = await rejectionOf(oa.sendGroupMessage({ groupId: g.groupId, text: 'x' }));
    expect(err).toMatchObject({ code: -237, httpStatus: 200, action: 'dead', alert: true, retryable: false });
  });

  it('over-long text is refused locally without a request', async () => {
    const g = fake.addGroup();
    const err = await rejectionOf(oa.sendGroupMessage({ groupId: g.groupId, text: 'a'.repeat(2001) }));
    expect(err).toMatchObject({ kind: 'invalid_request', action: 'dead' });
    expect(fake.record.for('/v3.0/oa/group/message')).toHaveLength(0);
  });

  it('-32 with rate-limit headers → rate_limited with a retry-after', async () => {
    const g = fake.addGroup();
    fake.script.failNext('/v3.0/oa/group/message', -32);
    const err = await rejectionOf(oa.sendGroupMessage({ groupId: g.groupId, text: 'x' }));
    expect(err).toMatchObject({ code: -32, action: 'rate_limited', retryable: true, retryAfterMs: 60_000 });
    fake.script.failNext('/v3.0/oa/group/message', { error: -32, retryAfterSec: 7 });
    expect(await rejectionOf(oa.sendGroupMessage({ groupId: g.groupId, text: 'x' }))).toMatchObject({
      retryAfterMs: 7000,
    });
  });

  it('HTTP 500 → retry', async () => {
    const g = fake.addGroup();
    fake.script.failNext('/v3.0/oa/group/message', { httpStatus: 500 });
    expect(await rejectionOf(oa.sendGroupMessage({ groupId: g.groupId, text: 'x' }))).toMatchObject({
      httpStatus: 500,
      action: 'retry',
      retryable: true,
    });
  });
});

describe('consultation message (docs/zalo.md §4)', () => {
  it('reaches a user who interacted within 7 days; -230 otherwise', async () => {
    fake.setOaInteraction('5550001112223334445', new Date(fake.clock.nowMs() - 2 * 86_400_000));
    await oa.sendConsultationMessage({ userId: '5550001112223334445', text: 'Chào bạn' });
    expect(fake.record.for('/v3.0/oa/message/cs')[0]?.body).toEqual({
      recipient: { user_id: '5550001112223334445' },
      message: { text: 'Chào bạn' },
    });
    fake.setOaInteraction('5550001112223334446', new Date(fake.clock.nowMs() - 8 * 86_400_000));
    const err = await rejectionOf(oa.sendConsultationMessage({ userId: '5550001112223334446', text: 'x' }));
    expect(err).toMatchObject({ code: -230, action: 'dead' });
  });
});

describe('ZBS template (docs/zalo.md §6)', () => {
  it('by UID: {user_id, template_id, template_data}', async () => {
    const res = await zbs.sendTemplateByUid({
      userId: '7412589632147896325',
      templateId: '7895417a7d3f9461cd2e',
      templateData: { ho_ten: 'Lê Văn C', han_nop: '20/12/2026' },
    });
    const [req] = fake.record.for('/v3.0/oa/message/template');
    expect(req?.headers['access_token']).toMatch(/^oa_at_/);
    expect(req?.body).toEqual({
      user_id: '7412589632147896325',
      template_id: '7895417a7d3f9461cd2e',
      template_data: { ho_ten: 'Lê Văn C', han_nop: '20/12/2026' },
    });
    expect(res).toMatchObject({ userId: '7412589632147896325', quotaRemaining: expect.any(Number) });
    expect(fake.delivered.at(-1)).toMatchObject({ channel: 'zbs_uid', recipient: '7412589632147896325' });
  });

  it('disabled template → -131: dead + alert the template owner', async () => {
    fake.disableTemplate('tpl-off');
    const err = await rejectionOf(zbs.sendTemplateByUid({ userId: '1', templateId: 'tpl-off', templateData: {} }));
    expect(err).toMatchObject({ code: -131, action: 'dead', alert: true });
  });

  it('by phone: tracking_id carried; invalid phone -108; night ban -133; daily quota -144', async () => {
    const send = (phone: string, trackingId: string) =>
      zbs.sendTemplateByPhone({ phone, templateId: 'tpl1', templateData: { k: 'v' }, trackingId });
    const ok = await send('84987654321', 'reminder-hh123-2026w49');
    expect(fake.record.for('/message/template')[0]?.body).toMatchObject({
      phone: '84987654321',
      tracking_id: 'reminder-hh123-2026w49',
    });
    expect(ok).toMatchObject({ dailyQuota: 2, remainingQuota: 1 });

    expect(await rejectionOf(send('0987654321', 't2'))).toMatchObject({ code: -108, action: 'dead' });

    fake.setZnsNightBan(true);
    fake.clock.set(vnTime('2026-12-01T23:30'));
    expect(await rejectionOf(send('84987654321', 't3'))).toMatchObject({ code: -133, action: 'reschedule_morning' });
    fake.setZnsNightBan(false);

    await send('84987654322', 't4');
    expect(await rejectionOf(send('84987654323', 't5'))).toMatchObject({ code: -144, action: 'reschedule_tomorrow' });
  });
});
