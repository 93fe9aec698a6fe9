/**
 * Standalone fake Zalo for the demo: `tsx tests/fakes/zalo/main.ts` prints its URL, the fake
 * credentials to put into the server config, and a seeded user token / OA token pair / group.
 * Environment: FAKE_ZALO_PORT (default 0 = any), FAKE_ZALO_HOST (default 127.0.0.1),
 * ZALO_APP_ID, ZALO_APP_SECRET, ZALO_MINIAPP_ID, ZALO_MINIAPP_API_KEY.
 * More tokens on demand: POST <url>/__fake/users, /__fake/oa-tokens, … (see control-routes.ts).
 */
import { startFakeZalo } from './fake-zalo.ts';

const fake = await startFakeZalo({
  appId: process.env['ZALO_APP_ID'] ?? '1234567890123456789',
  appSecret: process.env['ZALO_APP_SECRET'] ?? 'fake-app-secret',
  miniAppId: process.env['ZALO_MINIAPP_ID'] ?? '3055443322110099887',
  miniAppApiKey: process.env['ZALO_MINIAPP_API_KEY'] ?? 'fake-miniapp-api-key',
  host: process.env['FAKE_ZALO_HOST'] ?? '127.0.0.1',
  port: Number(process.env['FAKE_ZALO_PORT'] ?? 0),
});

const { accessToken, user } = fake.issueUserToken({ name: 'Nguyễn Thị Demo' }, { ttlMs: 24 * 60 * 60 * 1000 });
fake.setMiniAppUser(user.id, { allowedNotifications: true, lastOpenedAt: fake.clock.now() });
const oa = fake.issueOaTokens();
const group = fake.addGroup({ name: 'Ấp Demo — Khuyến học' });

console.log(`fake-zalo listening on ${fake.url}`);
console.log(
  JSON.stringify(
    {
      url: fake.url,
      appId: fake.options.appId,
      appSecret: fake.options.appSecret,
      oaId: fake.options.oaId,
      oaSecretKey: fake.options.oaSecretKey,
      miniAppId: fake.options.miniAppId,
      miniAppApiKey: fake.options.miniAppApiKey,
      demoUser: { id: user.id, accessToken },
      oaTokens: oa,
      group: { groupId: group.groupId, name: group.name },
    },
    null,
    2,
  ),
);

const stop = async () => {
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
