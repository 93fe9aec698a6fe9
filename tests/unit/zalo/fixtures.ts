import { createFakeClock } from '../../fakes/zalo/clock.ts';
import { startFakeZalo, type FakeZalo, type FakeZaloOptions } from '../../fakes/zalo/fake-zalo.ts';

/** The fake app's credentials; the clients under test get the same values from "config". */
export const APP = {
  appId: '1234567890123456789',
  appSecret: 'test-app-secret-do-not-use',
  miniAppId: '3055443322110099887',
  miniAppApiKey: 'test-miniapp-api-key',
  oaId: '1032900368069209999',
  oaSecretKey: 'test-oa-secret-key',
} as const;

/** Start a fake on loopback with a frozen clock (2026-12-01 09:00 Vietnam time). */
export function startTestFake(extra: Partial<FakeZaloOptions> = {}): Promise<FakeZalo> {
  return startFakeZalo({ ...APP, clock: createFakeClock('2026-12-01T02:00:00Z'), ...extra });
}

/** Await a promise expected to reject and return the rejection. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
