import { createHmac } from 'node:crypto';
import { BENCH_JWT_SECRET } from './server-process.ts';

const b64url = (x: Buffer | string) => Buffer.from(x).toString('base64url');

/**
 * Access tokens for benchmark users, signed like the server signs them (HS256, iss/aud/exp/sub/
 * ver), so thousands of distinct users need no login round trip before the measured run.
 */
export function benchToken(userId: string, authVersion = '1', ttlSeconds = 3600): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: userId,
    ver: authVersion,
    iss: 'hoctap',
    aud: 'hoctap-mini-app',
    iat: now,
    exp: now + ttlSeconds,
  };
  const body = `${header}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', BENCH_JWT_SECRET).update(body).digest('base64url')}`;
}
