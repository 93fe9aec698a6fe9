import { z } from 'zod';
import { roleSchema, unitLevelSchema } from './identity.ts';

/**
 * Registry: the administrative tree, households, clans, units, persons, role assignments,
 * invites and bulk imports. Request bodies are strict (no mass assignment); response schemas are
 * the allow-list of what leaves the server.
 */

const name = z.string().trim().min(1).max(200);
const cursorQuery = {
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

// ---- administrative units -------------------------------------------------------------------

export const adminUnitSchema = z.object({
  id: z.uuid(),
  level: unitLevelSchema,
  kind: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  parentId: z.uuid().nullable(),
  legacyParentId: z.uuid().nullable(),
  /** Set on a commune/province that ended in a merger: its successor. */
  mergedIntoId: z.uuid().nullable(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});
export type AdminUnitDto = z.infer<typeof adminUnitSchema>;

export const adminUnitListQuerySchema = z.strictObject({ parentId: z.uuid().optional() });
export const adminUnitListSchema = z.object({ items: z.array(adminUnitSchema) });

// ---- households -----------------------------------------------------------------------------

export const householdSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid(),
  hamletId: z.uuid(),
  groupId: z.uuid(),
  hamletName: z.string(),
  groupName: z.string(),
  headName: z.string(),
  address: z.string(),
  memberCount: z.number().int(),
  /** Full for officers and the household itself; masked ("091…678") for other roles. */
  phone: z.string().nullable(),
  clanId: z.uuid().nullable(),
  /** "mã hộ" key or the normalised import key; only officers see it. */
  externalKey: z.string().optional(),
  updatedAt: z.string(),
});
export type HouseholdDto = z.infer<typeof householdSchema>;

export const householdListQuerySchema = z.strictObject({
  unitId: z.uuid().optional(),
  /** The clan's member households (its membership list). */
  clanId: z.uuid().optional(),
  q: z.string().max(100).optional(),
  ...cursorQuery,
});
export const householdListSchema = z.object({ items: z.array(householdSchema), nextCursor: z.string().nullable() });

const phoneInput = z.string().trim().max(30);

export const householdCreateSchema = z.strictObject({
  groupId: z.uuid(),
  headName: name,
  address: z.string().trim().max(300).default(''),
  memberCount: z.number().int().min(1).max(99).default(1),
  phone: phoneInput.nullable().optional(),
  clanId: z.uuid().nullable().optional(),
  /** "mã hộ" of the commune's list, when it has one. */
  code: z.string().trim().min(1).max(50).optional(),
});
export const householdPatchSchema = z
  .strictObject({
    groupId: z.uuid(),
    headName: name,
    address: z.string().trim().max(300),
    memberCount: z.number().int().min(1).max(99),
    phone: phoneInput.nullable(),
    clanId: z.uuid().nullable(),
  })
  .partial();

// ---- clans, units, persons ------------------------------------------------------------------

export const clanSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid(),
  hamletId: z.uuid().nullable(),
  name: z.string(),
  headName: z.string(),
  headUserId: z.uuid().nullable(),
  householdCount: z.number().int(),
  version: z.number().int(),
});
export const clanCreateSchema = z.strictObject({
  communeId: z.uuid(),
  hamletId: z.uuid().nullable().optional(),
  name,
  headName: z.string().trim().max(200).default(''),
  headUserId: z.uuid().nullable().optional(),
});

export const UNIT_TYPES = ['school', 'agency', 'enterprise', 'cooperative', 'other'] as const;
export const orgUnitSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid(),
  hamletId: z.uuid().nullable(),
  name: z.string(),
  type: z.enum(UNIT_TYPES),
  headName: z.string(),
  headUserId: z.uuid().nullable(),
  staffCount: z.number().int(),
  version: z.number().int(),
});
export const orgUnitCreateSchema = z.strictObject({
  communeId: z.uuid(),
  hamletId: z.uuid().nullable().optional(),
  name,
  type: z.enum(UNIT_TYPES),
  headName: z.string().trim().max(200).default(''),
  headUserId: z.uuid().nullable().optional(),
  staffCount: z.number().int().min(0).max(100_000).default(0),
});

export const personSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid(),
  householdId: z.uuid().nullable(),
  unitId: z.uuid().nullable(),
  fullName: z.string(),
  birthYear: z.number().int().nullable(),
  relation: z.string().nullable(),
  inSchool: z.boolean().nullable(),
  cdhtGroup: z.string().nullable(),
  isWorker: z.boolean(),
  /** Full for officers and the person themself; masked ("091…678") for other roles. */
  phone: z.string().nullable(),
  version: z.number().int(),
});
export const personCreateSchema = z
  .strictObject({
    householdId: z.uuid().optional(),
    unitId: z.uuid().optional(),
    fullName: name,
    birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
    relation: z.string().trim().max(50).nullable().optional(),
    inSchool: z.boolean().nullable().optional(),
    cdhtGroup: z.string().trim().max(50).nullable().optional(),
    isWorker: z.boolean().default(false),
    phone: phoneInput.nullable().optional(),
  })
  .refine((b) => !!b.householdId !== !!b.unitId, { message: 'Cần đúng một trong householdId hoặc unitId' });

export const communeListQuerySchema = z.strictObject({ communeId: z.uuid().optional(), ...cursorQuery });
export const personListQuerySchema = z.strictObject({
  householdId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  ...cursorQuery,
});
export const clanListSchema = z.object({ items: z.array(clanSchema), nextCursor: z.string().nullable() });
export const orgUnitListSchema = z.object({ items: z.array(orgUnitSchema), nextCursor: z.string().nullable() });
export const personListSchema = z.object({ items: z.array(personSchema), nextCursor: z.string().nullable() });

// ---- role assignments -----------------------------------------------------------------------

export const roleAssignmentSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  userDisplayName: z.string(),
  role: roleSchema,
  unitId: z.uuid(),
  unitLevel: unitLevelSchema,
  unitName: z.string(),
  createdAt: z.string(),
});
export const roleAssignmentCreateSchema = z.strictObject({ userId: z.uuid(), role: roleSchema, unitId: z.uuid() });
export const roleAssignmentListQuerySchema = z.strictObject({
  unitId: z.uuid().optional(),
  userId: z.uuid().optional(),
});
export const roleAssignmentListSchema = z.object({ items: z.array(roleAssignmentSchema) });

// ---- invites and linking --------------------------------------------------------------------

export const inviteIssuedSchema = z.object({
  id: z.uuid(),
  /** The household linked by the code; for a person invite, the person's household (if any). */
  householdId: z.uuid().nullable(),
  /** Set for a person invite (a citizen or unit staff links to their own person record). */
  personId: z.uuid().nullable(),
  /** Shown once; only its sha256 is stored. */
  code: z.string(),
  expiresAt: z.string(),
  /** What the QR code encodes and what the mini app opens: `hoctap://invite/<code>`. */
  qrPayload: z.string(),
  /** Mini app path that claims the code: `/invite?code=<code>`. */
  deepLinkPath: z.string(),
});
export const inviteCodeParamsSchema = z.strictObject({ code: z.string().min(1).max(40) });
export const householdLinkResultSchema = z.object({
  /** Null only when a person without a household (unit staff) was linked. */
  householdId: z.uuid().nullable(),
  headName: z.string(),
  hamletName: z.string(),
  groupName: z.string(),
  /** Set when the code or phone linked a person (GET /me then carries personId). */
  personId: z.uuid().nullable(),
  personName: z.string().nullable(),
});

// ---- imports --------------------------------------------------------------------------------

export const IMPORT_ACTIONS = ['create', 'update', 'unchanged', 'error'] as const;
export const importRowSchema = z.object({
  row: z.number().int(),
  action: z.enum(IMPORT_ACTIONS),
  messages: z.array(z.string()),
  headName: z.string(),
  hamletName: z.string(),
  groupName: z.string(),
  changes: z.array(z.string()).optional(),
});
export const importSummarySchema = z.object({
  total: z.number().int(),
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  error: z.number().int(),
  newHamlets: z.array(z.string()),
  newGroups: z.array(z.string()),
  newClans: z.array(z.string()),
  /** Human summary in Vietnamese, including what will be created. */
  notes: z.array(z.string()),
});
export const importPreviewSchema = z.object({
  id: z.uuid(),
  communeId: z.uuid().nullable(),
  fileName: z.string(),
  status: z.enum(['previewed', 'committed']),
  /** Commit policy: all-or-nothing, refused while any row has an error. */
  committable: z.boolean(),
  summary: importSummarySchema,
  /** Every row that is not "unchanged" (those are only counted). */
  rows: z.array(importRowSchema),
});
export const importUploadQuerySchema = z.strictObject({
  communeId: z.uuid().optional(),
  /** Create unknown tổ inside ấp that already have tổ (default: such rows are errors). */
  allowNewGroups: z.enum(['true', 'false']).optional(),
});
export const importCommitResultSchema = z.object({
  id: z.uuid(),
  status: z.literal('committed'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  createdHamlets: z.number().int(),
  createdGroups: z.number().int(),
  createdClans: z.number().int(),
  message: z.string(),
});

export const idParamsSchema = z.strictObject({ id: z.uuid() });
