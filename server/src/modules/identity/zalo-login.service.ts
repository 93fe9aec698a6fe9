import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.ts';
import { users } from '../../db/schema/index.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, serviceUnavailable, unauthorized } from '../../lib/errors.ts';
import { isZaloError, type GraphClient } from '../../zalo/index.ts';
import type { SessionService, SessionTokens } from './sessions.service.ts';

/**
 * Zalo login: the mini app sends the Zalo access token it got from getAccessToken(); we never
 * trust a user id from the client. Zalo verifies the token (with appsecret_proof), we upsert the
 * identity by Zalo id (a string: ids exceed 2^53) and issue OUR session.
 */
export function createZaloLoginService(deps: { db: Db; clock: Clock; graph: GraphClient | null; sessions: SessionService }) {
  const { db, clock } = deps;

  function graph(): GraphClient {
    if (!deps.graph) throw serviceUnavailable('Đăng nhập bằng Zalo chưa được cấu hình trên máy chủ này.', 'ZALO_NOT_CONFIGURED');
    return deps.graph;
  }

  /** Turns Zalo's answers into errors a user (or an operator) can act on. */
  function mapZaloError(err: unknown): never {
    if (!isZaloError(err)) throw err;
    if (err.code === -216 || err.code === -220) {
      throw unauthorized('Phiên Zalo đã hết hạn. Vui lòng đóng và mở lại ứng dụng.', 'ZALO_TOKEN_EXPIRED');
    }
    if (err.code === -242 || err.alert) {
      // Our app secret is wrong: the user can do nothing about it, an operator must.
      throw new AppError(502, 'ZALO_MISCONFIGURED', 'Máy chủ chưa kết nối đúng với Zalo. Cán bộ kỹ thuật đã được báo.');
    }
    if (err.kind === 'timeout' || err.kind === 'network' || err.kind === 'http' || err.retryable) {
      throw serviceUnavailable('Không kết nối được với Zalo. Vui lòng thử lại sau ít phút.', 'ZALO_UNAVAILABLE');
    }
    throw unauthorized('Không xác thực được tài khoản Zalo. Vui lòng mở lại ứng dụng.', 'ZALO_TOKEN_INVALID');
  }

  return {
    async login(zaloAccessToken: string): Promise<SessionTokens & { userId: string }> {
      const profile = await graph().getMe(zaloAccessToken).catch(mapZaloError);
      const now = clock.now();
      const [row] = await db
        .insert(users)
        .values({
          id: randomUUID(),
          zaloId: profile.id,
          displayName: profile.name ?? 'Người dùng Zalo',
          avatarUrl: profile.pictureUrl,
          lastOpenedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: users.zaloId,
          // Keep a name the user or an officer set when Zalo withholds the name scope.
          set: {
            displayName: sql`coalesce(${profile.name}, ${users.displayName})`,
            avatarUrl: sql`coalesce(${profile.pictureUrl}, ${users.avatarUrl})`,
            lastOpenedAt: now,
            updatedAt: now,
          },
        })
        .returning({ id: users.id, status: users.status });
      if (!row || row.status !== 'active') throw unauthorized('Tài khoản này đã bị khóa. Vui lòng liên hệ cán bộ xã.', 'USER_INACTIVE');
      const tokens = await deps.sessions.start(row.id);
      return { ...tokens, userId: row.id };
    },

    /** Phone number through Zalo's phone-token exchange, stored with the time the user agreed. */
    async linkPhone(actor: Actor, zaloAccessToken: string, phoneToken: string): Promise<{ phone: string }> {
      const result = await graph().getPhoneNumber(zaloAccessToken, phoneToken).catch(mapZaloError);
      const now = clock.now();
      await db.update(users).set({ phone: result.phone, phoneConsentAt: now, updatedAt: now }).where(eq(users.id, actor.userId));
      return { phone: result.phone };
    },
  };
}

export type ZaloLoginService = ReturnType<typeof createZaloLoginService>;
