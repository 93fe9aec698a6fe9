import type { Client, Reply } from '../../helpers/workflow-fixtures.ts';

/** The workflow test client over real HTTP (same shape as the app.inject one). */
export async function httpClientFor(baseUrl: string, userId: string): Promise<Client & { token: string }> {
  const login = await fetch(`${baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (login.status !== 200) throw new Error(`dev-login ${login.status}: ${await login.text()}`);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const auth = { authorization: `Bearer ${token}` };
  const call = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    request(baseUrl, method, `/api/v1${url}`, { ...auth, ...headers }, payload);
  return {
    token,
    auth,
    get: (url, headers) => call('GET', url, undefined, headers),
    post: (url, payload, headers) => call('POST', url, payload ?? {}, headers),
    put: (url, payload, headers) => call('PUT', url, payload, headers),
    patch: (url, payload, headers) => call('PATCH', url, payload, headers),
    del: (url, headers) => call('DELETE', url, undefined, headers),
  };
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: unknown,
): Promise<Reply> {
  const isBuffer = Buffer.isBuffer(payload);
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: payload === undefined || isBuffer ? headers : { 'content-type': 'application/json', ...headers },
    ...(payload === undefined ? {} : { body: isBuffer ? (payload as Buffer) : JSON.stringify(payload) }),
  });
  const text = await res.text();
  let body: Reply['body'] = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (images, zips)
  }
  return { status: res.status, body, headers: Object.fromEntries(res.headers.entries()) };
}
