import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FakeClock } from './clock.ts';

/** Options of the fake (secrets are the FAKE app's; tests pass the same values to the clients). */
export interface FakeZaloOptions {
  appId: string;
  appSecret: string;
  oaId?: string;
  /** Secret used to sign webhooks (docs/zalo.md §7). */
  oaSecretKey?: string;
  miniAppId?: string;
  /** Mini App Open API key: requests must send `X-Api-Key: Bearer <key>`. */
  miniAppApiKey?: string;
  clock?: FakeClock;
  /**
   * Code returned for an EXPIRED (not revoked) access token. docs/zalo.md §8 lists -216 "invalid" and
   * -220 "expired or removed"; which one Zalo sends for plain expiry is UNVERIFIED. Default -216.
   */
  expiredTokenCode?: number;
  userTokenTtlMs?: number;
  /** OA access-token lifetime, returned as the STRING `expires_in` (docs/zalo.md §3). Default 90000. */
  oaAccessTtlSec?: number;
  miniAppDailyCap?: number;
  znsDailyQuota?: number;
  zbsUidQuota?: number;
  /** App-level OA limit per minute (docs/zalo.md §8). Default 4000. */
  rateLimitPerMinute?: number;
  host?: string;
  port?: number;
}

export interface FakeUser {
  /** User id by app: a numeric string > 2^53. */
  id: string;
  name: string;
  pictureUrl: string;
  /** User refused scope.userInfo: /me returns the id only. */
  denyName: boolean;
  isSensitive: boolean;
  /** Emit `id` as a bare JSON NUMBER (not a string) to test precision handling in clients. */
  idAsNumber: boolean;
}

export interface FakeGroup {
  groupId: string;
  name: string;
  status: 'enabled' | 'disabled';
  groupLink: string;
  totalMember: number;
}

export type DeliveredChannel = 'gmf' | 'cs' | 'zbs_uid' | 'zbs_phone' | 'miniapp';

export interface DeliveredMessage {
  channel: DeliveredChannel;
  recipient: string;
  messageId: string;
  at: Date;
  payload: unknown;
}

export interface MiniAppUserState {
  allowedNotifications: boolean;
  lastOpenedAt: Date | null;
}

export interface FakeState {
  users: Map<string, FakeUser>;
  userTokens: Map<string, { userId: string; expiresAt: number; revoked: boolean }>;
  infoCodes: Map<string, { userId: string; kind: 'phone' | 'location'; value: unknown; expiresAt: number }>;
  oaAccessTokens: Map<string, { expiresAt: number; revoked: boolean }>;
  oaRefreshTokens: Map<string, { used: boolean; expiresAt: number }>;
  oaAuthCodes: Map<string, { used: boolean; expiresAt: number }>;
  groups: Map<string, FakeGroup>;
  /** OA-scoped user id → last interaction with the OA (CS 7-day window). */
  oaInteractions: Map<string, number>;
  disabledTemplates: Set<string>;
  miniAppUsers: Map<string, MiniAppUserState>;
  miniAppSentDay: Map<string, number>;
  miniAppDayCount: { day: number; count: number };
  znsDayCount: { day: number; count: number };
  znsNightBan: boolean;
  zbsUidQuotaLeft: number;
  rate: { minute: number; count: number };
  delivered: DeliveredMessage[];
}

export function createState(opts: FakeZaloOptions): FakeState {
  return {
    users: new Map(),
    userTokens: new Map(),
    infoCodes: new Map(),
    oaAccessTokens: new Map(),
    oaRefreshTokens: new Map(),
    oaAuthCodes: new Map(),
    groups: new Map(),
    oaInteractions: new Map(),
    disabledTemplates: new Set(),
    miniAppUsers: new Map(),
    miniAppSentDay: new Map(),
    miniAppDayCount: { day: -1, count: 0 },
    znsDayCount: { day: -1, count: 0 },
    znsNightBan: false,
    zbsUidQuotaLeft: opts.zbsUidQuota ?? 5000,
    rate: { minute: -1, count: 0 },
    delivered: [],
  };
}

/** A Zalo-like big numeric id (19 digits, > 2^53). */
export function bigId(): string {
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 18; i++) s += String(randomInt(0, 10));
  return s;
}

export function hexId(bytes = 10): string {
  return randomBytes(bytes).toString('hex');
}

export function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

/** Zalo's failure style: HTTP 200 with `error != 0` (docs/zalo.md §8). */
export function zaloError(reply: FastifyReply, error: number, message: string, httpStatus = 200): FastifyReply {
  return reply.code(httpStatus).send({ error, message });
}

export function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}
