import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { unauthorized } from '../../lib/errors.ts';
import { findRefreshToken, insertRefreshToken, lockRefreshToken, markRotated, revokeFamily } from './sessions.repo.ts';
import { findUserStatus } from './users.repo.ts';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface AccessClaims {
  sub: string;
  ver: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Our own sessions: a short-lived access JWT plus a rotating refresh token stored hashed.
 * Presenting a refresh token that was already rotated means it leaked (or a replay): the whole
 * family is revoked, so the thief and the victim both have to log in again.
 */
export function createSessionService(deps: {
  db: Db;
  clock: Clock;
  signAccess: (claims: AccessClaims) => string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
}) {
  const { db, clock } = deps;

  async function mint(tx: Db, userId: string, authVersion: string, familyId: string): Promise<SessionTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = clock.now();
    await insertRefreshToken(tx, {
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: hash(refreshToken),
      expiresAt: new Date(now.getTime() + deps.refreshTtlDays * 86_400_000),
      createdAt: now,
    });
    return {
      accessToken: deps.signAccess({ sub: userId, ver: authVersion }),
      refreshToken,
      expiresIn: deps.accessTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  return {
    async start(userId: string): Promise<SessionTokens> {
      const user = await findUserStatus(db, userId);
      if (!user || user.status !== 'active')
        throw unauthorized('Tài khoản không tồn tại hoặc đã bị khóa.', 'USER_INACTIVE');
      return mint(db, user.id, user.authVersion, randomUUID());
    },

    async rotate(presented: string): Promise<SessionTokens> {
      const outcome = await db.transaction(async (tx) => {
        const row = await lockRefreshToken(tx, hash(presented));
        if (!row || row.revokedAt) return { error: 'INVALID' as const };
        if (row.rotatedAt) {
          await revokeFamily(tx, row.familyId, clock.now());
          return { error: 'REUSED' as const };
        }
        if (row.expiresAt.getTime() <= clock.now().getTime()) return { error: 'EXPIRED' as const };
        const user = await findUserStatus(tx, row.userId);
        if (!user || user.status !== 'active') return { error: 'INACTIVE' as const };
        await markRotated(tx, row.id, clock.now());
        return { tokens: await mint(tx, user.id, user.authVersion, row.familyId) };
      });
      if (outcome.tokens) return outcome.tokens;
      // Errors are raised after the transaction so a family revocation is committed, not rolled back.
      switch (outcome.error) {
        case 'REUSED':
          throw unauthorized(
            'Phiên đăng nhập đã bị thu hồi vì lý do an toàn. Vui lòng đăng nhập lại.',
            'REFRESH_REUSED',
          );
        case 'EXPIRED':
          throw unauthorized('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', 'REFRESH_EXPIRED');
        case 'INACTIVE':
          throw unauthorized('Tài khoản không tồn tại hoặc đã bị khóa.', 'USER_INACTIVE');
        default:
          throw unauthorized('Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.', 'REFRESH_INVALID');
      }
    },

    /** Logout: revoke the presented token's family (this device's session). */
    async end(presented: string): Promise<void> {
      const row = await findRefreshToken(db, hash(presented));
      if (!row) return;
      await revokeFamily(db, row.familyId, clock.now());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
