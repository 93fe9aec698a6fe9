import type { FastifyInstance } from 'fastify';
import type { FakeZalo } from './fake-zalo.ts';
import type { ScriptedFailure } from './script.ts';

/**
 * `/__fake/*`: the same controls as the TypeScript API, over HTTP, for the standalone demo
 * (`tsx tests/fakes/zalo/main.ts`) where nothing can call functions on the fake.
 * Not part of Zalo's API; never recorded.
 */
export function registerControlRoutes(app: FastifyInstance, fake: () => FakeZalo) {
  app.post('/__fake/users', async (req) => {
    const b = (req.body ?? {}) as { id?: string; name?: string; denyName?: boolean; ttlMs?: number };
    const { ttlMs, ...user } = b;
    return fake().issueUserToken(user, ttlMs === undefined ? {} : { ttlMs });
  });
  app.post('/__fake/phone-tokens', async (req) => {
    const b = (req.body ?? {}) as { userId: string; phone?: string };
    return { token: fake().issuePhoneToken(b) };
  });
  app.post('/__fake/oa-tokens', async () => fake().issueOaTokens());
  app.post('/__fake/groups', async (req) => fake().addGroup((req.body ?? {}) as { name?: string }));
  app.post('/__fake/miniapp-users', async (req) => {
    const b = (req.body ?? {}) as { userId: string; allowedNotifications?: boolean; lastOpenedAt?: string };
    fake().setMiniAppUser(b.userId, {
      allowedNotifications: b.allowedNotifications ?? true,
      lastOpenedAt: b.lastOpenedAt ? new Date(b.lastOpenedAt) : fake().clock.now(),
    });
    return { ok: true };
  });
  app.post('/__fake/script', async (req) => {
    const b = req.body as { path: string; failure: ScriptedFailure | number };
    fake().script.failNext(b.path, b.failure);
    return { ok: true, pending: fake().script.pending(b.path) };
  });
  app.post('/__fake/clock', async (req) => {
    const b = (req.body ?? {}) as { at?: string; advanceMs?: number; real?: boolean };
    const c = fake().clock;
    if (b.real) c.useRealTime();
    if (b.at) c.set(b.at);
    if (b.advanceMs) c.advance(b.advanceMs);
    return { now: c.now().toISOString() };
  });
  app.get('/__fake/record', async () => fake().record.requests);
  app.get('/__fake/delivered', async () => fake().delivered);
}
