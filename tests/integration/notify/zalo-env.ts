import { createFakeClock, type FakeClock } from '../../fakes/zalo/clock.ts';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo/fake-zalo.ts';

/** Credentials of the fake app; the server gets the same values through its config. */
export const APP = {
  appId: '1234567890123456789',
  appSecret: 'test-app-secret-do-not-use',
  miniAppId: '3055443322110099887',
  miniAppApiKey: 'test-miniapp-api-key',
  oaId: '1032900368069209999',
  oaSecretKey: 'test-oa-secret-key',
} as const;

export const ZBS_TEMPLATES =
  'assessment_returned=zbs0returned,deadline_reminder=zbs0reminder,assessment_decided=zbs0decided';

export async function startFake(
  start: Date,
  extra: Record<string, unknown> = {},
): Promise<{ fake: FakeZalo; clock: FakeClock }> {
  const clock = createFakeClock(start);
  const fake = await startFakeZalo({ ...APP, clock, ...extra });
  return { fake, clock };
}

/** Every Zalo base URL pointed at the fake, every channel configured. */
export function zaloEnv(fake: FakeZalo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_APP_ID: APP.appId,
    ZALO_APP_SECRET: APP.appSecret,
    ZALO_GRAPH_BASE_URL: fake.url,
    ZALO_OAUTH_BASE_URL: fake.url,
    ZALO_OA_BASE_URL: fake.url,
    ZALO_MINIAPP_OPENAPI_BASE_URL: fake.url,
    ZALO_MINIAPP_ID: APP.miniAppId,
    ZALO_MINIAPP_API_KEY: APP.miniAppApiKey,
    ZALO_MINIAPP_NOTIFY_TEMPLATE_ID: 'miniapp0tmpl',
    ZALO_OA_ID: APP.oaId,
    ZALO_OA_SECRET_KEY: APP.oaSecretKey,
    ZALO_ZBS_TEMPLATE_IDS: ZBS_TEMPLATES,
    ZALO_HTTP_TIMEOUT_MS: '2000',
    ...extra,
  };
}
