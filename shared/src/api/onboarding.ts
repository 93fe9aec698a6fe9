import { z } from 'zod';
import { unitLevelSchema } from './identity.ts';
import { adminUnitSchema, IMPORT_ACTIONS, UNIT_TYPES } from './registry.ts';

/**
 * Onboarding a province: administrative units as data (create, rename, merge, list import),
 * edits of clans, units and persons, and the person-list and unit-list imports (dry run → commit).
 */

const name = z.string().trim().min(1).max(200);
const isoDate = z.iso.date();
const code = z
  .string()
  .trim()
  .regex(/^\d{1,6}$/, 'Mã đơn vị gồm 1–6 chữ số');
/** Optimistic concurrency: the version the caller read; a stale one answers 409 VERSION_CONFLICT. */
const version = z.number().int().min(1).optional();
const nonEmpty = (o: Record<string, unknown>) => Object.keys(o).some((k) => k !== 'version');
const nothingToChange = { message: 'Không có trường nào để sửa' };

// ---- administrative units -------------------------------------------------------------------

export const adminUnitCreateSchema = z.strictObject({
  level: unitLevelSchema,
  /** Required except for a province. */
  parentId: z.uuid().nullable().optional(),
  name,
  /** tỉnh/thành phố; xã/phường/đặc khu; ấp/khóm/thôn/tổ dân phố; tổ nhân dân tự quản. Defaulted by level. */
  kind: z.string().trim().min(1).max(50).optional(),
  code: code.nullable().optional(),
  effectiveFrom: isoDate.optional(),
});

export const adminUnitPatchSchema = z
  .strictObject({ name, kind: z.string().trim().min(1).max(50), code: code.nullable() })
  .partial()
  .refine(nonEmpty, nothingToChange);

export const adminUnitMergeSchema = z.strictObject({
  /** Communes (or provinces) that end and fold into the unit in the path. */
  sourceIds: z.array(z.uuid()).min(1).max(30),
  /** First day of the merged unit; the sources end the day before. */
  effectiveFrom: isoDate,
});
export const adminUnitMergeResultSchema = z.object({
  unit: adminUnitSchema,
  predecessors: z.array(adminUnitSchema),
  movedChildren: z.number().int(),
  movedHouseholds: z.number().int(),
  message: z.string(),
});

// ---- edits of clans, units and persons ------------------------------------------------------

export const clanPatchSchema = z
  .strictObject({
    hamletId: z.uuid().nullable().optional(),
    name: name.optional(),
    headName: z.string().trim().max(200).optional(),
    headUserId: z.uuid().nullable().optional(),
    version,
  })
  .refine(nonEmpty, nothingToChange);

export const orgUnitPatchSchema = z
  .strictObject({
    hamletId: z.uuid().nullable().optional(),
    name: name.optional(),
    type: z.enum(UNIT_TYPES).optional(),
    headName: z.string().trim().max(200).optional(),
    headUserId: z.uuid().nullable().optional(),
    staffCount: z.number().int().min(0).max(100_000).optional(),
    version,
  })
  .refine(nonEmpty, nothingToChange);

export const personPatchSchema = z
  .strictObject({
    householdId: z.uuid().nullable().optional(),
    /** Unit membership (staff of a school, agency, co-op …); a household member may also be staff. */
    unitId: z.uuid().nullable().optional(),
    fullName: name.optional(),
    birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
    relation: z.string().trim().max(50).nullable().optional(),
    inSchool: z.boolean().nullable().optional(),
    cdhtGroup: z.string().trim().max(50).nullable().optional(),
    isWorker: z.boolean().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    version,
  })
  .refine(nonEmpty, nothingToChange);

// ---- person and unit list imports -----------------------------------------------------------

export const onboardingImportRowSchema = z.object({
  row: z.number().int(),
  action: z.enum(IMPORT_ACTIONS),
  messages: z.array(z.string()),
  /** What the row is about, as the officer reads it: "Nguyễn Văn An (1980)", "Xã Mỹ Hòa (29281)". */
  label: z.string(),
  changes: z.array(z.string()).optional(),
});
export const onboardingImportPreviewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['persons', 'units']),
  communeId: z.uuid().nullable(),
  fileName: z.string(),
  status: z.enum(['previewed', 'committed']),
  committable: z.boolean(),
  summary: z.object({
    total: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    error: z.number().int(),
    notes: z.array(z.string()),
  }),
  /** Every row that is not "unchanged". */
  rows: z.array(onboardingImportRowSchema),
});
export const personImportQuerySchema = z.strictObject({ communeId: z.uuid().optional() });
export const onboardingImportCommitSchema = z.object({
  id: z.uuid(),
  status: z.literal('committed'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  message: z.string(),
});

// ---- accounts an officer may appoint (the officer console's user picker) ---------------------

export const userListQuerySchema = z.strictObject({
  /** Accounts of one commune (an admin may also pick a province's communes one by one). */
  communeId: z.uuid().optional(),
  /** Part of the name (accents optional) or of the phone number. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const userCandidateSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  /** Masked ("091…678"): enough to tell two namesakes apart. */
  phone: z.string().nullable(),
  householdId: z.uuid().nullable(),
  /** "Hộ Nguyễn Văn An · Tổ 1 · Ấp Mỹ Hòa" for an account linked to a household. */
  householdLabel: z.string().nullable(),
  personId: z.uuid().nullable(),
  personName: z.string().nullable(),
});
export const userListSchema = z.object({ items: z.array(userCandidateSchema) });
