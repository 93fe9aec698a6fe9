// Zalo sign-in on the web for the console: OAuth v4 with PKCE (docs/zalo.md §13). The verifier and
// the state never leave this tab (sessionStorage) except to our own API, which exchanges the code.
import type { Endpoints } from '../services/api.ts';
import type { LoginResponse } from '../services/types.ts';

const KEY = 'hoctap:zalo-web-pkce';

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

const redirectUri = () => `${window.location.origin}/console`;

/** Ask our API for Zalo's permission page and go there. */
export async function startZaloWebLogin(api: Endpoints): Promise<void> {
  const verifier = random(32);
  const state = random(18);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const challenge = base64url(new Uint8Array(digest));
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state }));
  const { authorizeUrl } = await api.request<{ authorizeUrl: string }>('/api/v1/auth/zalo/web', {
    auth: false,
    query: { redirectUri: redirectUri(), codeChallenge: challenge, state },
  });
  window.location.assign(authorizeUrl);
}

/** Back from Zalo with ?code=&state=: check the state, exchange, and clean the address bar. */
export async function finishZaloWebLogin(api: Endpoints): Promise<LoginResponse | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (!code) return null;
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(KEY);
  window.history.replaceState(null, '', '/console');
  if (!saved || saved.state !== params.get('state'))
    throw new Error('Phiên đăng nhập Zalo không khớp với trang này. Vui lòng bấm “Đăng nhập bằng Zalo” lại.');
  return api.request<LoginResponse>('/api/v1/auth/zalo/web', {
    method: 'POST',
    auth: false,
    json: { code, codeVerifier: saved.verifier },
  });
}
