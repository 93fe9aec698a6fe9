import { bigserial, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * People who use the app. Zalo ids are strings: they exceed 2^53. A user may be linked to one
 * household (householdId) and to one person record (personId, for Công dân học tập).
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    zaloId: text('zalo_id'),
    displayName: text('display_name').notNull(),
    avatarUrl: text('avatar_url'),
    phone: text('phone'),
    phoneConsentAt: ts('phone_consent_at'),
    householdId: uuid('household_id'),
    personId: uuid('person_id'),
    status: text('status', { enum: ['active', 'deactivated'] })
      .notNull()
      .default('active'),
    /** Bumped on deactivation or role change: access tokens minted before it stop working. */
    authVersion: text('auth_version').notNull().default('1'),
    /** Last time the user opened the mini app; Mini App notifications need < 7 days (docs/zalo.md §5). */
    lastOpenedAt: ts('last_opened_at'),
    notificationsAllowed: boolean('notifications_allowed').notNull().default(false),
    followsOa: boolean('follows_oa').notNull().default(false),
    /** Seed/demo users the development login may pick. */
    devLogin: boolean('dev_login').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_zalo_id_uq').on(t.zaloId),
    index('users_household_idx').on(t.householdId),
    // One account per person: two claims racing for the same person cannot both link.
    uniqueIndex('users_person_uq').on(t.personId),
    index('users_phone_idx').on(t.phone),
  ],
);

export const ROLES = ['leader', 'hamlet_head', 'officer', 'province_viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role held in a place: leader of a tổ (or ấp), officer of a commune, viewer of a province. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    unitId: uuid('unit_id').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by'),
  },
  (t) => [index('role_assignments_user_idx').on(t.userId), index('role_assignments_unit_idx').on(t.unitId)],
);

/** Rotating refresh tokens, stored hashed. A reused token revokes its whole family. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: ts('expires_at').notNull(),
    rotatedAt: ts('rotated_at'),
    revokedAt: ts('revoked_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
);

export const CONSENT_PURPOSES = ['evaluation', 'photos', 'notifications'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Append-only consent log: the latest row per user and purpose says whether consent is live. */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey(),
    /** Insertion order: several entries can share a timestamp, the latest still has to win. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    userId: uuid('user_id').notNull(),
    purpose: text('purpose', { enum: CONSENT_PURPOSES }).notNull(),
    action: text('action', { enum: ['grant', 'withdraw'] }).notNull(),
    textVersion: text('text_version').notNull(),
    textHash: text('text_hash').notNull(),
    channel: text('channel').notNull().default('mini_app'),
    at: ts('at').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('consents_user_idx').on(t.userId, t.purpose, t.at)],
);
