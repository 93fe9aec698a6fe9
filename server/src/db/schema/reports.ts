import { TARGET_INDICATORS } from '@hoctap/shared/api';
import {
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

// One list of target indicators, shared with the API schemas and the mini app.
export { TARGET_INDICATORS, type TargetIndicator } from '@hoctap/shared/api';

/**
 * Targets are data per unit and year (plan 415: 85/80/90/90 %, QĐ 387: 70/65/65/80 %).
 * A commune's own row wins over its province's, which wins over the built-in default.
 */
export const targets = pgTable(
  'targets',
  {
    unitId: uuid('unit_id').notNull(),
    year: smallint('year').notNull(),
    indicator: text('indicator', { enum: TARGET_INDICATORS }).notNull(),
    /** Share 0..1. */
    share: doublePrecision('share').notNull(),
    source: text('source').notNull().default(''),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.year, t.indicator] })],
);

/** One registry count: per commune × hamlet (null: commune-level subjects) × subject type. */
export interface DenominatorRow {
  communeId: string;
  hamletId: string | null;
  subjectType: 'household' | 'clan' | 'community' | 'unit' | 'citizen';
  n: number;
}

/** CDHT populations and holders per hamlet (null: units without a hamlet). */
export interface CdhtRow {
  hamletId: string | null;
  workers: { population: number; holders: number };
  staff: { population: number; holders: number };
}

/**
 * The denominators of a campaign as they were when it closed: a past year's figures never move
 * when the registry changes afterwards. Written once (first close), never updated.
 */
export const campaignDenominators = pgTable('campaign_denominators', {
  campaignId: uuid('campaign_id').primaryKey(),
  takenAt: timestamp('taken_at', { withTimezone: true, mode: 'date' }).notNull(),
  registry: jsonb('registry').$type<DenominatorRow[]>().notNull(),
  cdht: jsonb('cdht').$type<CdhtRow[]>().notNull(),
});

/** hamlet_key of subjects without a hamlet (a commune-level unit): primary keys cannot hold null. */
export const NO_HAMLET = '00000000-0000-0000-0000-000000000000';

/**
 * The report denominators, maintained by triggers on households, persons, clans and units (the
 * migration that creates this table holds them), so every writer keeps them right and a
 * dashboard reads ~one row per hamlet and title instead of scanning the registry.
 */
export const registryCounts = pgTable(
  'registry_counts',
  {
    communeId: uuid('commune_id').notNull(),
    /** The hamlet, or NO_HAMLET. */
    hamletKey: uuid('hamlet_key').notNull(),
    subjectType: text('subject_type', { enum: ['household', 'clan', 'unit', 'citizen'] }).notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.hamletKey, t.subjectType] })],
);

/**
 * CDHT figures (workers of learning families and staff of learning units who hold Công dân học
 * tập) per campaign, cached: computing them walks every member of the commune's recognised
 * households (~150 ms a commune, 100 communes for a province dashboard). A row is valid while
 * `version` equals the commune's `cdht_stamps.version`, which triggers change with every write
 * that can move the figure (a person's household, unit or worker flag, a household's clan or
 * hamlet, a unit's hamlet, a subject entering or leaving `recognised`).
 */
export const cdhtCache = pgTable('cdht_cache', {
  campaignId: uuid('campaign_id').primaryKey(),
  communeId: uuid('commune_id').notNull(),
  version: text('version').notNull(),
  rows: jsonb('rows').$type<CdhtRow[]>().notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Per commune: changes with every write that can move its CDHT figures (see cdht_cache). */
export const cdhtStamps = pgTable('cdht_stamps', {
  communeId: uuid('commune_id').primaryKey(),
  version: text('version').notNull(),
});
