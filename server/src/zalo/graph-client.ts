import { z } from 'zod';
import { computeAppSecretProof } from './appsecret-proof.ts';
import { callZalo, DEFAULT_TIMEOUT_MS, joinUrl, type FetchLike } from './http.ts';

/**
 * Graph API identity calls (docs/zalo.md §2): verify a Mini App user's access token and
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
  /** Null when the user has not granted scope.userInfo (docs/zalo.md §2). */
  name: string | null;
  pictureUrl: string | null;
}

export interface ZaloPhoneResult {
  /** As Zalo returns it (`84…`, docs/zalo.md §2). */
  raw: string;
  /** Normalised to `84…` digits (leading `+` or `0` fixed). */
  phone: string;
}

/** Ids may arrive as strings (documented) or — defensively — as numbers preserved as strings. */
const zaloId = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const meSchema = z.object({
  id: zaloId,
  name: z.string().optional(),
  picture: z
    .object({ data: z.object({ url: z.string() }).partial().optional() })
    .partial()
    .optional(),
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
  /**
   * The one Graph request: the bare `access_token` header (no Bearer) and appsecret_proof, as the
   * official PHP SDK sends them, plus what the endpoint adds.
   */
  const get = <S extends z.ZodType>(path: string, accessToken: string, schema: S, extra: Record<string, string> = {}) =>
    callZalo({
      channel: 'graph',
      endpoint: `GET ${path.split('?')[0]}`,
      method: 'GET',
      url: joinUrl(cfg.baseUrl, path),
      headers: {
        access_token: accessToken,
        appsecret_proof: computeAppSecretProof(accessToken, cfg.appSecret),
        ...extra,
      },
      schema,
      timeoutMs,
      fetch: cfg.fetch,
    });

  return {
    async getMe(accessToken) {
      const { data } = await get('/v2.0/me?fields=id,name,picture', accessToken, meSchema);
      return { id: data.id, name: data.name ?? null, pictureUrl: data.picture?.data?.url ?? null };
    },

    async getPhoneNumber(accessToken, phoneToken) {
      // docs/zalo.md §2: `code` = token from getPhoneNumber(), `secret_key` = raw app secret.
      // appsecret_proof is not required here but a secondary source recommends sending it (harmless).
      const { data } = await get('/v2.0/me/info', accessToken, meInfoSchema, {
        code: phoneToken,
        secret_key: cfg.appSecret,
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
