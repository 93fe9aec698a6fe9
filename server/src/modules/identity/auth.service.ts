import type { LoginResult, MeDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import { notFound, unauthorized } from '../../lib/errors.ts';
import type { MeService } from './me.service.ts';
import type { AccessClaims, SessionService } from './sessions.service.ts';
import { findDevUser, listDevUsers, loadActor, loadActorWithMe, type ActorRecord } from './users.repo.ts';
import type { ZaloLoginService } from './zalo-login.service.ts';

const ROLE_LABELS: Record<string, string> = {
  leader: 'Tổ trưởng',
  hamlet_head: 'Trưởng ấp',
  officer: 'Cán bộ xã',
  province_viewer: 'Cán bộ tỉnh',
  admin: 'Quản trị hệ thống',
};

/**
 * Who is calling: the actor behind a verified access token (every authenticated request), and the
 * logins that start a session and answer with the caller's "me".
 */
export function createAuthService(deps: {
  db: Db;
  sessions: Pick<SessionService, 'start'>;
  zaloLogin: Pick<ZaloLoginService, 'login' | 'webLogin' | 'webAuthorizeUrl'>;
  me: Pick<MeService, 'me' | 'meOf'>;
}) {
  const { db } = deps;

  /** Refuses a deactivated user and a revoked token (`ver`); the actor without those fields. */
  function liveActor(a: ActorRecord | null, claims: AccessClaims): Actor {
    if (!a || a.status !== 'active') throw unauthorized('Tài khoản không tồn tại hoặc đã bị khóa.', 'USER_INACTIVE');
    if (a.authVersion !== claims.ver)
      throw unauthorized('Phiên đăng nhập đã bị thu hồi. Vui lòng đăng nhập lại.', 'TOKEN_REVOKED');
    const { status: _s, authVersion: _v, ...actor } = a;
    return actor;
  }

  async function actorOf(userId: string): Promise<Actor> {
    const a = await loadActor(db, userId);
    if (!a) throw unauthorized();
    const { status: _s, authVersion: _v, ...actor } = a;
    return actor;
  }

  return {
    /**
     * The actor of a verified token, re-read on every request so deactivation and role changes
     * take effect at once; `ver` revokes every token of a user at once. One round trip.
     */
    async authenticate(claims: AccessClaims): Promise<Actor> {
      return liveActor(await loadActor(db, claims.sub), claims);
    },

    /**
     * GET /me: authentication and the answer in ONE round trip (the most frequent request of
     * the mini app, issue 15), with the same checks as `authenticate`.
     */
    async me(claims: AccessClaims): Promise<MeDto> {
      const row = await loadActorWithMe(db, claims.sub);
      return deps.me.meOf(liveActor(row?.actor ?? null, claims), row!.me);
    },

    loadActor: actorOf,

    /** The console's Zalo sign-in: where to send the browser (PKCE challenge and state are the browser's). */
    zaloWebAuthorizeUrl(p: { redirectUri: string; codeChallenge: string; state: string }) {
      return deps.zaloLogin.webAuthorizeUrl(p);
    },

    async loginWithZaloWeb(code: string, codeVerifier: string): Promise<LoginResult> {
      const { userId, ...tokens } = await deps.zaloLogin.webLogin(code, codeVerifier);
      return { ...tokens, user: await deps.me.me(await actorOf(userId)) };
    },

    async loginWithZalo(zaloAccessToken: string): Promise<LoginResult> {
      const { userId, ...tokens } = await deps.zaloLogin.login(zaloAccessToken);
      return { ...tokens, user: await deps.me.me(await actorOf(userId)) };
    },

    async devUsers() {
      const rows = await listDevUsers(db);
      return {
        items: rows.map((r) => ({ ...r, roleLabel: r.role ? (ROLE_LABELS[r.role] ?? r.role) : 'Hộ gia đình' })),
      };
    },

    async devLogin(userId: string): Promise<LoginResult> {
      const user = await findDevUser(db, userId);
      if (!user) throw notFound('Không có người dùng thử nghiệm này.');
      const tokens = await deps.sessions.start(user.id);
      return { ...tokens, user: await deps.me.me(await actorOf(user.id)) };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
