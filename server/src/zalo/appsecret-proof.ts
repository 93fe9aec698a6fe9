import { createHmac } from 'node:crypto';

/**
 * `appsecret_proof` = hex(HMAC-SHA256(key = app secret, message = access token)), lowercase.
 * Same computation as the official PHP SDK (`hash_hmac('sha256', $accessToken, $appSecret)`) and
 * Java SDK `AppSecretProofUtil` — docs/zalo.md §2. Mandatory on Graph `/v2.0/me` since 2024.
 */
export function computeAppSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken, 'utf8').digest('hex');
}
