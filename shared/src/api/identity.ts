import { z } from 'zod';

export const ROLE_VALUES = ['leader', 'hamlet_head', 'officer', 'province_viewer', 'admin'] as const;
export const roleSchema = z.enum(ROLE_VALUES);
export const unitLevelSchema = z.enum(['province', 'commune', 'hamlet', 'group']);
export const consentPurposeSchema = z.enum(['evaluation', 'photos', 'notifications']);

export const sessionTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});
export type SessionTokensDto = z.infer<typeof sessionTokensSchema>;

export const devUserSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  roleLabel: z.string(),
  unitName: z.string(),
});

export const devLoginBodySchema = z.strictObject({ userId: z.uuid() });
export const zaloLoginBodySchema = z.strictObject({ accessToken: z.string().min(10).max(2048) });
/** PKCE (RFC 7636): a 43–128 character verifier of [A-Za-z0-9-._~]; the challenge is its S256 (43 characters). */
const pkce = z.string().regex(/^[A-Za-z0-9\-._~]{43,128}$/);
export const zaloWebAuthorizeQuerySchema = z.strictObject({
  /** Where Zalo sends the browser back: the console (must be registered in the Zalo app). */
  redirectUri: z.url().max(500),
  codeChallenge: pkce,
  state: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});
export const zaloWebAuthorizeSchema = z.object({ authorizeUrl: z.string() });
export const zaloWebLoginBodySchema = z.strictObject({ code: z.string().min(1).max(2048), codeVerifier: pkce });
export const refreshBodySchema = z.strictObject({ refreshToken: z.string().min(20).max(200) });

export const roleGrantSchema = z.object({
  role: roleSchema,
  unitId: z.uuid(),
  unitLevel: unitLevelSchema,
  unitName: z.string(),
});

export const meSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  phone: z.string().nullable(),
  roles: z.array(roleGrantSchema),
  householdId: z.uuid().nullable(),
  /** The person record for Công dân học tập, when the user is linked to one. */
  personId: z.uuid().nullable(),
  household: z
    .object({
      id: z.uuid(),
      headName: z.string(),
      address: z.string(),
      communeId: z.uuid(),
      hamletId: z.uuid(),
      groupId: z.uuid(),
      hamletName: z.string(),
      groupName: z.string(),
    })
    .nullable(),
  consents: z.object({ evaluation: z.boolean(), photos: z.boolean(), notifications: z.boolean() }),
});
export type MeDto = z.infer<typeof meSchema>;

export const loginResultSchema = sessionTokensSchema.extend({ user: meSchema });
export type LoginResult = z.infer<typeof loginResultSchema>;
export type DevUserDto = z.infer<typeof devUserSchema>;

/** GET/POST /me/consents: the texts to show, what is live now and the append-only log. */
export const consentStateSchema = z.object({
  version: z.string(),
  texts: z.record(consentPurposeSchema, z.object({ title: z.string(), text: z.string() })),
  live: z.object({ evaluation: z.boolean(), photos: z.boolean(), notifications: z.boolean() }),
  log: z.array(
    z.object({
      purpose: consentPurposeSchema,
      action: z.enum(['grant', 'withdraw']),
      textVersion: z.string(),
      at: z.string(),
    }),
  ),
});
export type ConsentStateDto = z.infer<typeof consentStateSchema>;
export type ConsentPurposeDto = z.infer<typeof consentPurposeSchema>;
export const consentGrantBodySchema = z.strictObject({
  purposes: z.array(consentPurposeSchema).min(1).max(3),
  textVersion: z.string().max(50),
});
export const consentWithdrawBodySchema = z.strictObject({ purposes: z.array(consentPurposeSchema).min(1).max(3) });
export const phoneLinkBodySchema = z.strictObject({
  accessToken: z.string().min(10).max(2048),
  phoneToken: z.string().min(4).max(2048),
});
