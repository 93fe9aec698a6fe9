import { z } from 'zod';
import { computeAppSecretProof } from './appsecret-proof.ts';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';

/**
 * Graph API identity calls (zalo.md §2.2, §3.1): verify a Mini App user's access token and
 * exchange a phone token. Only the server calls these — they need the app secret.
 */

export interface GraphClientConfig {
  /** e.g. https://graph.zalo.me (tests: the fake server URL). */
  baseUrl: string;
  /** Zalo App secret key (used for appsecret_proof and /me/info `secret_key`). */
  appSecret: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export interface ZaloUserProfile {
  /** User id by Zalo App — a numeric STRING beyond 2^53; never convert to number. */
  id: string;
  /** Null when the user has not granted scope.userInfo (zalo.md §3.1). */
  name: string | null;
  pictureUrl: string | null;
}

export interface ZaloPhoneResult {
  /** As Zalo returns it (`84…`, zalo.md §2.2). */
  raw: string;
  /** Normalised to `84…` digits (leading `+` or `0` fixed). */
  phone: string;
}

/** Ids may arrive as strings (documented) or — defensively — as numbers preserved as strings. */
const zaloId = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const meSchema = z.object({
  id: zaloId,
  name: z.string().optional(),
  picture: z.object({ data: z.object({ url: z.string() }).partial().optional() }).partial().optional(),
});

const meInfoSchema = z.object({
  data: z.object({ number: z.union([z.string().min(1), z.number()]).transform((v) => String(v)) }),
});

export interface GraphClient {
  getMe(accessToken: string): Promise<ZaloUserProfile>;
  getPhoneNumber(accessToken: string, phoneToken: string): Promise<ZaloPhoneResult>;
}

export function createGraphClient(cfg: GraphClientConfig): GraphClient {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    async getMe(accessToken) {
      const { data } = await callZalo({
        channel: 'graph',
        endpoint: 'GET /v2.0/me',
        method: 'GET',
        url: joinUrl(cfg.baseUrl, '/v2.0/me?fields=id,name,picture'),
        // Bare `access_token` header (no Bearer) + appsecret_proof, as the official PHP SDK sends.
        headers: {
          access_token: accessToken,
          appsecret_proof: computeAppSecretProof(accessToken, cfg.appSecret),
        },
        schema: meSchema,
        timeoutMs,
        fetch: cfg.fetch,
      });
      return { id: data.id, name: data.name ?? null, pictureUrl: data.picture?.data?.url ?? null };
    },

    async getPhoneNumber(accessToken, phoneToken) {
      const { data } = await callZalo({
        channel: 'graph',
        endpoint: 'GET /v2.0/me/info',
        method: 'GET',
        url: joinUrl(cfg.baseUrl, '/v2.0/me/info'),
        // zalo.md §2.2: `code` = token from getPhoneNumber(), `secret_key` = raw app secret.
        // appsecret_proof is not required here but S18 recommends sending it (harmless).
        headers: {
          access_token: accessToken,
          code: phoneToken,
          secret_key: cfg.appSecret,
          appsecret_proof: computeAppSecretProof(accessToken, cfg.appSecret),
        },
        schema: meInfoSchema,
        timeoutMs,
        fetch: cfg.fetch,
      });
      return { raw: data.data.number, phone: normalizeVnPhone(data.data.number) };
    },
  };
}

/** `+84…` / `84…` / `0…` → `84…` digits. */
export function normalizeVnPhone(input: string): string {
  const digits = input.replace(/[^\d]/g, '');
  if (digits.startsWith('84')) return digits;
  if (digits.startsWith('0')) return `84${digits.slice(1)}`;
  return digits;
}
