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

export const devLoginBodySchema = z.object({ userId: z.uuid() });
export const zaloLoginBodySchema = z.object({ accessToken: z.string().min(10).max(2048) });
export const refreshBodySchema = z.object({ refreshToken: z.string().min(20).max(200) });

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
