import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createFakeClock, type FakeClock } from './clock.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { registerMiniAppRoutes } from './miniapp-routes.ts';
import { createOauthModel, registerOauthRoutes, type OaTokenPair } from './oauth-routes.ts';
import { registerOaRoutes } from './oa-routes.ts';
import { createRecorder, type RecordedRequest, type Recorder } from './recorder.ts';
import { createScript, describeFailure, type FakeFailure, type Script } from './script.ts';
import {
  bigId,
  createState,
  hexId,
  token,
  type DeliveredMessage,
  type FakeGroup,
  type FakeState,
  type FakeUser,
  type FakeZaloOptions,
  type MiniAppUserState,
} from './state.ts';
import { createWebhookEmitter } from './webhook.ts';

/**
 * A fake of every Zalo host we call (graph, oauth, openapi, business.openapi, openapi.mini),
 * served from ONE loopback Fastify instance: point every configured base URL at `url`
 * (docs/zalo.md §10). Behaviour and codes follow docs/zalo.md; where a fact is UNVERIFIED the choice is
 * commented at the route.
 */

export type { FakeZaloOptions } from './state.ts';

export interface FakeZalo {
  /** Base URL for every Zalo base (graph, OA oauth, OA openapi, business, mini app open-api). */
  url: string;
  options: Readonly<FakeZaloOptions>;
  clock: FakeClock;
  record: Recorder;
  script: Script;
  /** Direct access for unusual assertions; prefer the helpers below. */
  state: FakeState;
  close(): Promise<void>;
  /**
   * Resolves once no request is being handled (e.g. a delayed answer the client gave up on has
   * been executed): lets a test wait for the fake without sleeping.
   */
  idle(): Promise<void>;

  // Identity (docs/zalo.md §2)
  addUser(input?: Partial<FakeUser>): FakeUser;
  /** Mint a user access token like the Mini App's getAccessToken(); creates the user if needed. */
  issueUserToken(user?: Partial<FakeUser> | string, opts?: { ttlMs?: number }): { accessToken: string; user: FakeUser };
  revokeUserToken(accessToken: string): void;
  /** Like getPhoneNumber() → token: single use, 2 minutes by default. */
  issuePhoneToken(input: { userId: string; phone?: string; ttlMs?: number }): string;
  issueLocationToken(input: { userId: string; latitude?: string; longitude?: string; ttlMs?: number }): string;

  // OA (docs/zalo.md §3, §4, §6)
  /** A fresh OA access/refresh pair, as the API Explorer would give (seed the TokenStore with it). */
  issueOaTokens(opts?: { accessTtlSec?: number }): OaTokenPair;
  issueOaAuthCode(): string;
  /** Zalo-side revocation of every OA access token issued so far (→ -220 on next use). */
  revokeOaAccessTokens(): void;
  addGroup(input?: Partial<FakeGroup>): FakeGroup;
  setGroupStatus(groupId: string, status: FakeGroup['status']): void;
  /** Record an interaction of an OA-scoped user id (follow / message), for the CS 7-day window. */
  setOaInteraction(userId: string, at?: Date): void;
  disableTemplate(templateId: string): void;
  setZnsNightBan(on: boolean): void;

  // Mini App (docs/zalo.md §5)
  setMiniAppUser(userId: string, s: MiniAppUserState): void;

  /** What actually got "delivered" to users/groups, in order. */
  readonly delivered: DeliveredMessage[];
  webhook: ReturnType<typeof createWebhookEmitter>;
}

export async function startFakeZalo(options: FakeZaloOptions): Promise<FakeZalo> {
  const opts: FakeZaloOptions = {
    oaId: '1032900368069209999',
    oaSecretKey: 'fake-oa-secret-key',
    miniAppId: '3055443322110099887',
    miniAppApiKey: 'fake-miniapp-api-key',
    ...options,
  };
  const clock = opts.clock ?? createFakeClock();
  const state = createState(opts);
  const record = createRecorder();
  const script = createScript();
  const oauth = createOauthModel({ opts, state, clock });
  const entries = new WeakMap<FastifyRequest, RecordedRequest>();
  const sleepers = new Set<() => void>();
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const done = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async () => {
    inFlight += 1;
  });
  // A client that gave up aborts the request, yet its handler still runs (the delayed answer):
  // the request counts as done once, when the handler has finished.
  const requestDone = async (req: FastifyRequest) => {
    if (done.has(req)) return;
    done.add(req);
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };
  app.addHook('onResponse', requestDone);

  app.addHook('preHandler', async (req, reply) => {
    const [path = '/', qs = ''] = req.url.split('?');
    if (path.startsWith('/__fake/')) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const entry = record.push({
      at: clock.now(),
      method: req.method,
      path,
      query: Object.fromEntries(new URLSearchParams(qs)),
      headers,
      body: req.body ?? null,
    });
    entries.set(req, entry);

    const failure = script.take(path);
    if (!failure) return;
    entry.scripted = describeFailure(failure);
    if ('delayMs' in failure) {
      await sleep(failure.delayMs);
      return; // then handle normally: the request WAS executed, the client just gave up
    }
    if ('afterClientGivesUp' in failure) {
      if (!req.raw.socket.destroyed)
        await new Promise<void>((resolve) => req.raw.socket.once('close', () => resolve()));
      return; // then handle normally: executed although nobody is listening any more
    }
    if ('dropConnection' in failure) {
      await requestDone(req);
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    return sendFailure(failure, reply);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const entry = entries.get(req);
    if (entry) entry.response = { statusCode: reply.statusCode, body: typeof payload === 'string' ? payload : '' };
    // The handler has finished (its effects are in the state), even if nobody reads the answer.
    await requestDone(req);
    return payload;
  });

  function sendFailure(
    f: Exclude<FakeFailure, { delayMs: number } | { dropConnection: true } | { afterClientGivesUp: true }>,
    reply: FastifyReply,
  ) {
    const headers: Record<string, string> = { ...(f.headers ?? {}) };
    if ('error' in f) {
      if (f.error === -32 && !f.headers) {
        headers['X-RateLimit-Limit'] = String(opts.rateLimitPerMinute ?? 4000);
        headers['X-RateLimit-Remain'] = '0';
      }
      if (f.retryAfterSec !== undefined) headers['Retry-After'] = String(f.retryAfterSec);
      return reply
        .code(f.httpStatus ?? 200)
        .headers(headers)
        .send({ error: f.error, message: f.message ?? `Scripted Zalo error ${f.error}` });
    }
    return reply
      .code(f.httpStatus)
      .headers({ 'content-type': 'text/html', ...headers })
      .send(f.body ?? `<html><body>${f.httpStatus}</body></html>`);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      sleepers.add(done);
    });
  }

  const ctx = { opts, state, clock };
  registerGraphRoutes(app, ctx);
  registerOauthRoutes(app, { ...ctx, model: oauth });
  registerOaRoutes(app, ctx);
  registerMiniAppRoutes(app, ctx);

  const userTtl = opts.userTokenTtlMs ?? 60 * 60 * 1000;

  const fake: FakeZalo = {
    url: '',
    options: opts,
    clock,
    record,
    script,
    state,
    async close() {
      for (const wake of [...sleepers]) wake();
      await app.close();
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    addUser(input = {}) {
      const id = input.id ?? bigId();
      const user: FakeUser = {
        id,
        name: input.name ?? 'Nguyễn Văn A',
        pictureUrl: input.pictureUrl ?? `https://s120-ava-talk.zadn.vn/fake/${id}.jpg`,
        denyName: input.denyName ?? false,
        isSensitive: input.isSensitive ?? false,
        idAsNumber: input.idAsNumber ?? false,
      };
      state.users.set(id, user);
      return user;
    },
    issueUserToken(user, o = {}) {
      const u =
        typeof user === 'string'
          ? (state.users.get(user) ?? fake.addUser({ id: user }))
          : user?.id && state.users.has(user.id)
            ? state.users.get(user.id)!
            : fake.addUser(user);
      const accessToken = token('user_at');
      state.userTokens.set(accessToken, {
        userId: u.id,
        expiresAt: clock.nowMs() + (o.ttlMs ?? userTtl),
        revoked: false,
      });
      return { accessToken, user: u };
    },
    revokeUserToken(accessToken) {
      const rec = state.userTokens.get(accessToken);
      if (rec) rec.revoked = true;
    },
    issuePhoneToken({ userId, phone = '84912345678', ttlMs = 120_000 }) {
      const code = token('phone');
      state.infoCodes.set(code, { userId, kind: 'phone', value: phone, expiresAt: clock.nowMs() + ttlMs });
      return code;
    },
    issueLocationToken({ userId, latitude = '10.7769', longitude = '106.7009', ttlMs = 120_000 }) {
      const code = token('loc');
      const value = { latitude, longitude, provider: 'gps', timestamp: String(clock.nowMs()) };
      state.infoCodes.set(code, { userId, kind: 'location', value, expiresAt: clock.nowMs() + ttlMs });
      return code;
    },

    issueOaTokens(o = {}) {
      return oauth.issuePair(o.accessTtlSec);
    },
    issueOaAuthCode() {
      return oauth.issueAuthCode();
    },
    revokeOaAccessTokens() {
      for (const rec of state.oaAccessTokens.values()) rec.revoked = true;
    },
    addGroup(input = {}) {
      const groupId = input.groupId ?? hexId();
      const group: FakeGroup = {
        groupId,
        name: input.name ?? 'Ấp 1 — Khuyến học',
        status: input.status ?? 'enabled',
        groupLink: input.groupLink ?? `https://zalo.me/g/${groupId.slice(0, 10)}`,
        totalMember: input.totalMember ?? 12,
      };
      state.groups.set(groupId, group);
      return group;
    },
    setGroupStatus(groupId, status) {
      const g = state.groups.get(groupId);
      if (!g) throw new Error(`fake-zalo: unknown group ${groupId}`);
      g.status = status;
    },
    setOaInteraction(userId, at) {
      state.oaInteractions.set(userId, (at ?? clock.now()).getTime());
    },
    disableTemplate(templateId) {
      state.disabledTemplates.add(templateId);
    },
    setZnsNightBan(on) {
      state.znsNightBan = on;
    },
    setMiniAppUser(userId, s) {
      state.miniAppUsers.set(userId, { ...s });
    },
    get delivered() {
      return state.delivered;
    },
    webhook: createWebhookEmitter(opts, clock),
  };

  registerControlRoutes(app, () => fake);

  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  fake.url = address;
  return fake;
}
