import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loggerOptions, serializeError } from '@hoctap/server/plugins/logging.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo/fake-zalo.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { buildWorld, clientsFor, openCampaign, T0, type Client, type World } from '../../helpers/workflow-fixtures.ts';

/**
 * Hostile input on the real app: NUL characters, unknown body fields, Zalo tokens that cannot be
 * HTTP header values, and what reaches the log (no query strings, no SQL parameters).
 */

const APP_ID = '1234567890123456789';
const APP_SECRET = 'hardening-test-app-secret';
const NUL = '\u0000';

let fake: FakeZalo;
let t: TestApp;
let w: World;
let hh: Client, officer: Client;
let campaignId: string;
let assessmentId: string;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET });
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  t = await createTestApp(
    { ZALO_APP_ID: APP_ID, ZALO_APP_SECRET: APP_SECRET, ZALO_GRAPH_BASE_URL: fake.url },
    { clock: manualClock(T0), logger: { ...loggerOptions('info'), stream } },
  );
  w = await buildWorld(t.db.database.db);
  [hh, officer] = await clientsFor(t.app, [w.u.hhA1, w.u.officer]);
  campaignId = await openCampaign(officer, w.commune.id);
  assessmentId = randomUUID();
  const reg = await hh.post('/assessments', {
    id: assessmentId,
    campaignId,
    subjectType: 'household',
    subjectId: w.hh.hhA1,
  });
  expect(reg.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

function expectNulRefused(res: { status: number; body: { code?: string; message?: string } }, where: string) {
  expect(res.status, where).toBe(400);
  expect(res.body.code, where).toBe('NUL_CHARACTER');
  expect(res.body.message, where).toMatch(/ký tự không hợp lệ/);
}

describe('NUL characters (U+0000)', () => {
  it('are refused with 400 and a Vietnamese message in every text field a user can reach', async () => {
    expectNulRefused(
      await hh.put(`/assessments/${assessmentId}/answers/1.1`, { points: 10, note: `ghi chú${NUL}` }),
      'answer note',
    );
    expectNulRefused(await hh.post(`/assessments/${assessmentId}/comments`, { body: `a${NUL}b` }), 'comment');
    expectNulRefused(await officer.post('/households', { groupId: w.groupA.id, headName: `Hộ${NUL}` }), 'head name');
    expectNulRefused(
      await officer.post('/households', { groupId: w.groupA.id, headName: 'Hộ mới', address: `${NUL}` }),
      'address',
    );
    expectNulRefused(
      await officer.post('/persons', { householdId: w.hh.hhA1, fullName: `Lê${NUL}Văn` }),
      'person name',
    );
    expectNulRefused(await officer.patch(`/campaigns/${campaignId}`, { title: `Năm${NUL}` }), 'campaign title');
    expectNulRefused(
      await officer.put(`/zalo-groups/${w.hamlet1.id}`, { groupId: 'group123', name: `Nhóm${NUL}` }),
      'group name',
    );
    // In an object key, deep in an array, in the query string and in a path parameter.
    expectNulRefused(await officer.post('/households', { [`k${NUL}`]: 1 }), 'key');
    expectNulRefused(
      await officer.put(`/targets?unitId=${w.commune.id}&year=2026`, { targets: [{ indicator: `x${NUL}`, share: 1 }] }),
      'array',
    );
    expectNulRefused(await officer.get('/households?q=Nguy%00n'), 'query');
    expectNulRefused(await officer.get('/households/abc%00'), 'path');
    // Nothing was written and nothing answered 500.
    expect(logLines.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});

describe('lone UTF-16 surrogates (text that is not valid Unicode)', () => {
  it('are refused with 400 and a Vietnamese message, never a 500', async () => {
    logLines.length = 0;
    for (const [label, res] of [
      ['answer note', await hh.put(`/assessments/${assessmentId}/answers/1.1`, { points: 10, note: 'lý do \ud800' })],
      ['comment', await hh.post(`/assessments/${assessmentId}/comments`, { body: '\udc00 sau' })],
      ['unit name', await officer.patch(`/admin-units/${w.hamlet1.id}`, { name: '\ud800' })],
      ['key', await officer.post('/households', { ['k\udfff']: 1 })],
    ] as const) {
      expect(res.status, label).toBe(400);
      expect(res.body.message, label).toMatch(/ký tự không hợp lệ/);
    }
    // A well-formed pair (an emoji) is ordinary text.
    const ok = await hh.post(`/assessments/${assessmentId}/comments`, { body: 'Cảm ơn 👍' });
    expect(ok.status).toBe(201);
    expect(logLines.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});

describe('strict bodies: unknown fields → 400', () => {
  const extra = { unexpected: true };
  it.each([
    ['POST', '/auth/zalo', { accessToken: 'x'.repeat(20) }],
    ['POST', '/auth/refresh', { refreshToken: 'x'.repeat(30) }],
    ['POST', '/auth/logout', { refreshToken: 'x'.repeat(30) }],
    ['POST', '/auth/dev-login', { userId: randomUUID() }],
    ['POST', '/me/phone', { accessToken: 'x'.repeat(20), phoneToken: 'abcdef' }],
    ['POST', '/me/consents', { purposes: ['evaluation'], textVersion: '2026-09' }],
    ['POST', '/me/consents/withdraw', { purposes: ['notifications'] }],
    ['PUT', `/targets?unitId=${randomUUID()}&year=2026`, { targets: [{ indicator: 'households_gdht', share: 0.9 }] }],
  ] as const)('%s %s', async (method, url, body) => {
    const res = await t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: officer.auth,
      payload: { ...body, ...extra },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('a validation message is Vietnamese from end to end (no "body.userId: Invalid UUID")', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-login',
      payload: { userId: 'not-a-uuid' },
    });
    expect(res.statusCode, res.body).toBe(400);
    const { message } = res.json() as { message: string };
    expect(message).toMatch(/^Dữ liệu gửi lên không hợp lệ — Nội dung \(userId\): /);
    expect(message).not.toMatch(/Invalid|Expected|body\./);
  });

  it('PUT /targets items are strict too', async () => {
    const res = await officer.put(`/targets?unitId=${w.commune.id}&year=2026`, {
      targets: [{ indicator: 'households_gdht', share: 0.9, note: 'x' }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('targets');
  });
});

describe('Zalo access tokens that cannot be HTTP header values', () => {
  it.each([
    ['non-Latin-1', 'tokenĐặcBiệt-1234567890'],
    ['CR/LF', 'abcdefghij\r\nX-Injected: 1'],
    ['a space', 'abcdefghij klmnop'],
  ])('%s → 401 without calling Zalo', async (_label, accessToken) => {
    const before = fake.record.requests.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/zalo', payload: { accessToken } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ZALO_TOKEN_INVALID');
    expect(fake.record.requests.length).toBe(before);
  });

  it('the phone-number exchange checks both tokens the same way', async () => {
    const res = await hh.post('/me/phone', { accessToken: 'abcdefghijkl\n', phoneToken: 'phone-token' });
    expect(res.status).toBe(401);
  });
});

describe('logs', () => {
  it('never carry the query string (tokens, search terms)', async () => {
    logLines.length = 0;
    await officer.get('/households?q=Nguy%E1%BB%85n%20B%C3%ACnh&access_token=SECRET-TOKEN-123');
    await t.app.inject({ method: 'GET', url: '/health?token=SECRET-TOKEN-456' });
    const all = logLines.join('');
    expect(all).toContain('/api/v1/households?…');
    expect(all).not.toContain('SECRET-TOKEN');
    expect(all).not.toMatch(/Nguy|%E1/);
  });

  it('database errors are logged without SQL parameters or quoted values', async () => {
    const phone = '0901234567';
    const name = 'Nguyễn Văn Bí Mật';
    const errors: unknown[] = [];
    for (const query of [
      sql`select ${phone}::text as phone, ${`${name}${NUL}`}::text as name`,
      sql`select ${name}::int`,
    ]) {
      errors.push(
        await t.db.database.db.execute(query).then(
          () => null,
          (e: unknown) => e,
        ),
      );
    }
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    // The raw errors do carry the values (so this test can fail)…
    expect(
      errors.map((e) => JSON.stringify({ m: (e as Error).message, c: String((e as Error).cause) })).join(''),
    ).toMatch(/0901234567|Bí Mật/);
    // …the serialised ones, through the app's own logger, do not.
    logLines.length = 0;
    for (const err of errors) t.app.log.error({ err }, 'unhandled error');
    const logged = logLines.join('');
    expect(logged).toContain('unhandled error');
    expect(logged).not.toContain(phone);
    expect(logged).not.toContain('Bí Mật');
    expect(JSON.stringify(errors.map(serializeError))).not.toMatch(/0901234567|Bí Mật/);
  });
});
