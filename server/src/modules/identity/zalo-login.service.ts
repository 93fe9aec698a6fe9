import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, serviceUnavailable, unauthorized } from '../../lib/errors.ts';
import { isZaloError, type GraphClient } from '../../zalo/index.ts';
import type { WebLoginClient } from '../../zalo/web-login-client.ts';
import type { SessionService, SessionTokens } from './sessions.service.ts';
import { setPhone, upsertZaloUser } from './users.repo.ts';

/**
 * Zalo login: the mini app sends the Zalo access token it got from getAccessToken(); we never
 * trust a user id from the client. Zalo verifies the token (with appsecret_proof), we upsert the
 * identity by Zalo id (a string: ids exceed 2^53) and issue OUR session.
 */
// Zalo's tokens are printable ASCII. Anything else (non-Latin-1, CR/LF) cannot travel in the
// header we send to Zalo, so it cannot be a token Zalo issued: the caller is not authenticated.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
function assertTokenShape(...tokens: string[]): void {
  if (!tokens.every((t) => TOKEN_CHARS.test(t)))
    throw unauthorized('Không xác thực được tài khoản Zalo. Vui lòng mở lại ứng dụng.', 'ZALO_TOKEN_INVALID');
}

export function createZaloLoginService(deps: {
  db: Db;
  clock: Clock;
  graph: GraphClient | null;
  /** Zalo sign-in on the web (OAuth v4 + PKCE); null where Zalo is not configured. */
  webLogin?: WebLoginClient | null;
  sessions: Pick<SessionService, 'start'>;
}) {
  const { db, clock } = deps;

  function graph(): GraphClient {
    if (!deps.graph)
      throw serviceUnavailable('Đăng nhập bằng Zalo chưa được cấu hình trên máy chủ này.', 'ZALO_NOT_CONFIGURED');
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

  function webLogin(): WebLoginClient {
    if (!deps.webLogin)
      throw serviceUnavailable('Đăng nhập bằng Zalo chưa được cấu hình trên máy chủ này.', 'ZALO_NOT_CONFIGURED');
    return deps.webLogin;
  }

  const service = {
    /** Zalo's permission page for the console's PKCE challenge (docs/zalo.md §13). */
    webAuthorizeUrl(p: { redirectUri: string; codeChallenge: string; state: string }): { authorizeUrl: string } {
      return { authorizeUrl: webLogin().authorizeUrl(p) };
    },

    /** The code Zalo sent back to the console + the browser's verifier → our session. */
    async webLogin(code: string, codeVerifier: string): Promise<SessionTokens & { userId: string }> {
      assertTokenShape(code, codeVerifier);
      const accessToken = await webLogin()
        .exchangeCode({ code, codeVerifier })
        .catch((err: unknown) => {
          // A used, expired or foreign code, or a verifier that does not match the challenge, is the
          // user's to redo; a refused app id or secret (-14002) is the operator's (502 below).
          if (isZaloError(err) && err.kind === 'api' && err.code !== -14002)
            throw unauthorized(
              'Mã đăng nhập Zalo không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.',
              'ZALO_TOKEN_INVALID',
            );
          return mapZaloError(err);
        });
      return service.login(accessToken);
    },

    async login(zaloAccessToken: string): Promise<SessionTokens & { userId: string }> {
      assertTokenShape(zaloAccessToken);
      const profile = await graph().getMe(zaloAccessToken).catch(mapZaloError);
      const now = clock.now();
      const row = await upsertZaloUser(db, {
        id: randomUUID(),
        zaloId: profile.id,
        name: profile.name ?? null,
        pictureUrl: profile.pictureUrl ?? null,
        at: now,
      });
      if (!row || row.status !== 'active')
        throw unauthorized('Tài khoản này đã bị khóa. Vui lòng liên hệ cán bộ xã.', 'USER_INACTIVE');
      const tokens = await deps.sessions.start(row.id);
      return { ...tokens, userId: row.id };
    },

    /** Phone number through Zalo's phone-token exchange, stored with the time the user agreed. */
    async linkPhone(actor: Actor, zaloAccessToken: string, phoneToken: string): Promise<{ phone: string }> {
      assertTokenShape(zaloAccessToken, phoneToken);
      const result = await graph().getPhoneNumber(zaloAccessToken, phoneToken).catch(mapZaloError);
      const now = clock.now();
      await setPhone(db, actor.userId, result.phone, now);
      return { phone: result.phone };
    },
  };
  return service;
}

export type ZaloLoginService = ReturnType<typeof createZaloLoginService>;
