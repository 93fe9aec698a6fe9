import { sql } from 'drizzle-orm';
import { FOLD_FROM_TO } from '../../modules/registry/text.ts';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Administrative tree: province → commune/ward → ấp/khóm/thôn → tổ nhân dân tự quản.
 * Units are effective-dated because the 2025 reform merged communes and removed districts;
 * `legacyParentId` keeps the pre-reform parent so older years still roll up.
 * `path` is the chain of ancestor ids ("/p/c/h/g/") so scope checks are one prefix comparison.
 */
export const adminUnits = pgTable(
  'admin_units',
  {
    id: uuid('id').primaryKey(),
    level: text('level', { enum: ['province', 'commune', 'hamlet', 'group'] }).notNull(),
    /** What the unit calls itself: xã / phường; ấp / khóm / thôn / tổ dân phố; tổ nhân dân tự quản. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    code: text('code'),
    parentId: uuid('parent_id'),
    legacyParentId: uuid('legacy_parent_id'),
    /** A commune or province that ended in a merger points at its successor (history walks it back). */
    mergedIntoId: uuid('merged_into_id'),
    path: text('path').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull().default('2000-01-01'),
    effectiveTo: date('effective_to', { mode: 'string' }),
    /** Commune-level settings, e.g. { phoneMatch: true, clanConflictCheck: true }. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('admin_units_parent_idx').on(t.parentId),
    index('admin_units_path_idx').on(t.path),
    index('admin_units_merged_into_idx').on(t.mergedIntoId),
    // Official codes (tỉnh 2 digits, xã 5 digits) are unique among live units; an ended unit may
    // hand its code to its successor.
    uniqueIndex('admin_units_live_code_uq')
      .on(t.level, t.code)
      .where(sql`${t.code} is not null and ${t.effectiveTo} is null`),
  ],
);

export const clans = pgTable(
  'clans',
  {
    id: uuid('id').primaryKey(),
    communeId: uuid('commune_id').notNull(),
    /** Hamlet of the clan's head; a clan's households may live in several hamlets of the commune. */
    hamletId: uuid('hamlet_id'),
    name: text('name').notNull(),
    headName: text('head_name').notNull(),
    headUserId: uuid('head_user_id'),
    /** Optimistic concurrency for PATCH: bumped on every edit. */
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('clans_commune_name_uq').on(t.communeId, t.name)],
);

/** A SQL string literal (the fold tables hold no quote, but say so explicitly). */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const households = pgTable(
  'households',
  {
    id: uuid('id').primaryKey(),
    communeId: uuid('commune_id').notNull(),
    hamletId: uuid('hamlet_id').notNull(),
    groupId: uuid('group_id').notNull(),
    headName: text('head_name').notNull(),
    address: text('address').notNull().default(''),
    memberCount: smallint('member_count').notNull().default(1),
    phone: text('phone'),
    clanId: uuid('clan_id'),
    /** Stable identity for re-imports ("mã hộ" or a normalised hamlet+group+head+address key). */
    externalKey: text('external_key').notNull(),
    /**
     * The head's name folded for accent-insensitive search, computed by the database on write:
     * folding 8,000 names per search with translate() cost ~150 ms a commune.
     */
    headNameFold: text('head_name_fold').generatedAlwaysAs(
      sql`translate(head_name, ${sql.raw(quote(FOLD_FROM_TO.from))}, ${sql.raw(quote(FOLD_FROM_TO.to))})`,
    ),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('households_commune_key_uq').on(t.communeId, t.externalKey),
    // The officer's list and search: one commune, in name order (LIMIT stops the walk early).
    index('households_commune_name_idx').on(t.communeId, t.headName, t.id),
    index('households_group_idx').on(t.groupId),
    index('households_hamlet_idx').on(t.hamletId),
    index('households_clan_idx').on(t.clanId),
    index('households_phone_idx').on(t.phone),
  ],
);

export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey(),
    communeId: uuid('commune_id').notNull(),
    hamletId: uuid('hamlet_id'),
    name: text('name').notNull(),
    type: text('type', { enum: ['school', 'agency', 'enterprise', 'cooperative', 'other'] }).notNull(),
    headName: text('head_name').notNull(),
    headUserId: uuid('head_user_id'),
    staffCount: integer('staff_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('units_commune_name_uq').on(t.communeId, t.name)],
);

/** Household members and unit staff: the subjects of Công dân học tập. */
export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey(),
    communeId: uuid('commune_id').notNull(),
    householdId: uuid('household_id'),
    unitId: uuid('unit_id'),
    fullName: text('full_name').notNull(),
    birthYear: smallint('birth_year'),
    relation: text('relation'),
    /** Children: attending school or not, where known (criterion 1.1 of GĐHT). */
    inSchool: boolean('in_school'),
    /** Adults: the CDHT subject group of QĐ 244 where known. */
    cdhtGroup: text('cdht_group'),
    isWorker: boolean('is_worker').notNull().default(false),
    /** Stored "0…" form (see normalizePhone); lets a citizen link by their verified Zalo phone. */
    phone: text('phone'),
    /** Stable identity for re-imports ("mã người" or household/unit + name + birth year). */
    externalKey: text('external_key'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('persons_household_idx').on(t.householdId),
    index('persons_unit_idx').on(t.unitId),
    index('persons_phone_idx').on(t.phone),
    uniqueIndex('persons_commune_key_uq').on(t.communeId, t.externalKey),
  ],
);

/**
 * One-time codes a leader or officer gives a household (or one person: a citizen or unit staff) to
 * link a Zalo account. Stored hashed. A person invite also carries the person's household, if any.
 */
export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey(),
    codeHash: text('code_hash').notNull(),
    householdId: uuid('household_id'),
    personId: uuid('person_id'),
    issuedBy: uuid('issued_by').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    usedBy: uuid('used_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invites_code_uq').on(t.codeHash)],
);

/** Bulk imports: the dry-run report is stored so the commit applies exactly what was previewed. */
export const imports = pgTable('imports', {
  id: uuid('id').primaryKey(),
  /** What the file lists: a commune's households or persons, or the province/commune list (no commune). */
  kind: text('kind', { enum: ['households', 'persons', 'units'] })
    .notNull()
    .default('households'),
  communeId: uuid('commune_id'),
  createdBy: uuid('created_by').notNull(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  status: text('status', { enum: ['previewed', 'committed'] }).notNull(),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
  rows: jsonb('rows').$type<unknown[]>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  committedAt: ts('committed_at'),
});
