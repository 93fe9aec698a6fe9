import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';
import {
  adminUnits,
  assessments,
  campaignDenominators,
  campaigns,
  decisions,
  NO_HAMLET,
  targets,
  type CdhtRow,
  type DenominatorRow,
  type SubjectType,
  type TargetIndicator,
} from '../../db/schema/index.ts';

/**
 * SQL of reports. Figures come from two cheap sources only:
 *  - `assessment_counts` (maintained by the workflow in the same transaction as each state change),
 *    read through `readCounts` and nothing else;
 *  - registry totals, counted per hamlet over indexed columns (households_hamlet_idx, the
 *    commune-leading unique indexes of clans and units).
 * The per-campaign queries at the bottom (timeliness, CDHT shares, lists) read assessments of ONE
 * campaign through `assessments_hamlet_idx` / `assessments_subject_uq`.
 */

export type AdminUnitRow = typeof adminUnits.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;

export const pathIds = (path: string) => path.split('/').filter(Boolean);

/*
 * The dashboards' hot reads (places, campaigns, counts, registry totals, targets, snapshots) are
 * hand-written SQL through `db.execute`: building them with the query builder cost more CPU than
 * the database spent answering them (~2 ms of a 6 ms commune view). A list of ids is ONE array
 * parameter (`= any(...::uuid[])`), never one parameter per id; dates come back as text and
 * timestamps as epoch milliseconds, so both engines' drivers give the same values.
 */

/** Ids as one uuid[] literal parameter. Ids here come from the database or from validated input. */
export const uuidArray = (ids: Iterable<string>) => `{${[...new Set(ids)].join(',')}}`;

const toDate = (ms: unknown) => new Date(Number(ms));

const UNIT_COLUMNS = sql.raw(`u.id, u.level, u.kind, u.name, u.code, u.parent_id, u.legacy_parent_id, u.merged_into_id,
  u.path, u.effective_from::text effective_from, u.effective_to::text effective_to, u.settings,
  extract(epoch from u.created_at) * 1000 created_at_ms`);

function unitOf(r: Record<string, unknown>): AdminUnitRow {
  return {
    id: r['id'] as string,
    level: r['level'] as AdminUnitRow['level'],
    kind: r['kind'] as string,
    name: r['name'] as string,
    code: (r['code'] as string | null) ?? null,
    parentId: (r['parent_id'] as string | null) ?? null,
    legacyParentId: (r['legacy_parent_id'] as string | null) ?? null,
    mergedIntoId: (r['merged_into_id'] as string | null) ?? null,
    path: r['path'] as string,
    effectiveFrom: r['effective_from'] as string,
    effectiveTo: (r['effective_to'] as string | null) ?? null,
    settings: (r['settings'] as Record<string, unknown>) ?? {},
    createdAt: toDate(r['created_at_ms']),
  };
}

const CAMPAIGN_COLUMNS = sql.raw(`c.id, c.commune_id, c.year, c.title, c.criteria_set_ids,
  extract(epoch from c.registration_opens_at) * 1000 registration_opens_at_ms,
  extract(epoch from c.self_assessment_due_at) * 1000 self_assessment_due_at_ms,
  extract(epoch from c.verification_due_at) * 1000 verification_due_at_ms,
  extract(epoch from c.recognition_due_at) * 1000 recognition_due_at_ms,
  extract(epoch from c.report_due_at) * 1000 report_due_at_ms,
  c.status, c.reopened_until, c.settings, c.created_by,
  extract(epoch from c.created_at) * 1000 created_at_ms, extract(epoch from c.updated_at) * 1000 updated_at_ms`);

function campaignOf(r: Record<string, unknown>): CampaignRow {
  return {
    id: r['id'] as string,
    communeId: r['commune_id'] as string,
    year: Number(r['year']),
    title: r['title'] as string,
    criteriaSetIds: r['criteria_set_ids'] as CampaignRow['criteriaSetIds'],
    registrationOpensAt: toDate(r['registration_opens_at_ms']),
    selfAssessmentDueAt: toDate(r['self_assessment_due_at_ms']),
    verificationDueAt: toDate(r['verification_due_at_ms']),
    recognitionDueAt: toDate(r['recognition_due_at_ms']),
    reportDueAt: toDate(r['report_due_at_ms']),
    status: r['status'] as CampaignRow['status'],
    reopenedUntil: (r['reopened_until'] as Record<string, string>) ?? {},
    settings: (r['settings'] as Record<string, unknown>) ?? {},
    createdBy: r['created_by'] as string,
    createdAt: toDate(r['created_at_ms']),
    updatedAt: toDate(r['updated_at_ms']),
  };
}

export async function findUnits(db: Executor, ids: string[]): Promise<AdminUnitRow[]> {
  if (ids.length === 0) return [];
  const r = await db.execute(
    sql`select ${UNIT_COLUMNS} from admin_units u where u.id = any(${uuidArray(ids)}::uuid[])`,
  );
  return rowsOf<Record<string, unknown>>(r).map(unitOf);
}

/** A unit and every unit above it (its path), in one statement. */
export async function unitWithAncestors(db: Executor, id: string): Promise<AdminUnitRow[]> {
  const r = await db.execute(sql`select ${UNIT_COLUMNS} from admin_units u
    where u.id in (select unnest(string_to_array(trim(both '/' from x.path), '/'))::uuid
      from admin_units x where x.id = ${id}::uuid)`);
  return rowsOf<Record<string, unknown>>(r).map(unitOf);
}

/** Children of units that are in force on `day` (hamlets of a commune, communes of a province). */
export async function childUnits(db: Executor, parentIds: string[], day: string): Promise<AdminUnitRow[]> {
  if (parentIds.length === 0) return [];
  const r = await db.execute(sql`select ${UNIT_COLUMNS} from admin_units u
    where u.parent_id = any(${uuidArray(parentIds)}::uuid[])
      and u.effective_from <= ${day}::date and (u.effective_to is null or u.effective_to >= ${day}::date)
    order by u.name`);
  return rowsOf<Record<string, unknown>>(r).map(unitOf);
}

/**
 * What merged into `ids`: units whose current children name them as legacy parent, and units
 * that point at them with merged_into_id (a merger through the API records both; a commune that
 * had no hamlets left is reachable only by the latter).
 */
export async function legacyParentsOf(db: Executor, ids: string[]): Promise<AdminUnitRow[]> {
  if (ids.length === 0) return [];
  const kids = await db
    .selectDistinct({ legacyParentId: adminUnits.legacyParentId })
    .from(adminUnits)
    .where(and(inArray(adminUnits.parentId, ids), isNotNull(adminUnits.legacyParentId)));
  const merged = await db.select({ id: adminUnits.id }).from(adminUnits).where(inArray(adminUnits.mergedIntoId, ids));
  const legacy = [...new Set([...kids.map((k) => k.legacyParentId!), ...merged.map((m) => m.id)])].filter(
    (id) => !ids.includes(id),
  );
  return findUnits(db, legacy);
}

export async function findCampaign(db: Executor, id: string): Promise<CampaignRow | undefined> {
  const r = await db.execute(sql`select ${CAMPAIGN_COLUMNS} from campaigns c where c.id = ${id}::uuid`);
  const [row] = rowsOf<Record<string, unknown>>(r);
  return row ? campaignOf(row) : undefined;
}

export async function campaignsOf(db: Executor, communeIds: string[], years: number[]): Promise<CampaignRow[]> {
  if (communeIds.length === 0 || years.length === 0) return [];
  const r = await db.execute(sql`select ${CAMPAIGN_COLUMNS} from campaigns c
    where c.commune_id = any(${uuidArray(communeIds)}::uuid[]) and c.year = any(${`{${years.join(',')}}`}::int[])`);
  return rowsOf<Record<string, unknown>>(r).map(campaignOf);
}

/** Per unit and subject type, summed over campaigns and slots: how many reached each stage. */
export interface TotalsRow {
  unitId: string;
  subjectType: SubjectType;
  registered: number;
  submitted: number;
  verified: number;
  recognised: number;
}

/**
 * The maintained counts added up by the database per unit and subject type (a province's view:
 * ~500 rows instead of ~8,000 state rows). Which states make each stage is the caller's rule.
 */
export async function readTotals(
  db: Executor,
  campaignIds: string[],
  unitIds: string[],
  stages: { submitted: string[]; verified: string[] },
): Promise<TotalsRow[]> {
  if (campaignIds.length === 0 || unitIds.length === 0) return [];
  const list = (xs: string[]) => `{${xs.join(',')}}`;
  const r = await db.execute(sql`select unit_id "unitId", subject_type "subjectType",
      coalesce(sum(n) filter (where state <> 'withdrawn'), 0)::int registered,
      coalesce(sum(n) filter (where state = any(${list(stages.submitted)}::text[])), 0)::int submitted,
      coalesce(sum(n) filter (where state = any(${list(stages.verified)}::text[])), 0)::int verified,
      coalesce(sum(n) filter (where state = 'recognised'), 0)::int recognised
    from assessment_counts
    where campaign_id = any(${uuidArray(campaignIds)}::uuid[]) and unit_id = any(${uuidArray(unitIds)}::uuid[])
    group by unit_id, subject_type`);
  return rowsOf<TotalsRow>(r).map((x) => ({
    ...x,
    registered: Number(x.registered),
    submitted: Number(x.submitted),
    verified: Number(x.verified),
    recognised: Number(x.recognised),
  }));
}

export interface CountRow {
  campaignId: string;
  unitId: string;
  subjectType: SubjectType;
  state: string;
  n: number;
}

/** THE one reader of the maintained aggregate: counts per campaign × unit × subject type × state. */
export async function readCounts(db: Executor, campaignIds: string[], unitIds: string[]): Promise<CountRow[]> {
  if (campaignIds.length === 0 || unitIds.length === 0) return [];
  // Summed over the count's slots (see assessment_counts).
  const r = await db.execute(sql`select campaign_id "campaignId", unit_id "unitId", subject_type "subjectType",
      state, sum(n)::int n
    from assessment_counts
    where campaign_id = any(${uuidArray(campaignIds)}::uuid[]) and unit_id = any(${uuidArray(unitIds)}::uuid[])
    group by campaign_id, unit_id, subject_type, state`);
  return rowsOf<CountRow>(r).map((x) => ({ ...x, n: Number(x.n) }));
}

export type RegistryRow = DenominatorRow;

/**
 * Registry totals per commune × hamlet × subject type: the denominators. Households, clans, units
 * and citizens come from `registry_counts` (maintained by triggers, so never a scan of the
 * registry); hamlets (community) are counted from the administrative tree in force on `day`.
 */
export async function registryTotals(
  db: Executor,
  communeIds: string[],
  day: string,
  opts: { perCommune?: boolean } = {},
): Promise<RegistryRow[]> {
  if (communeIds.length === 0) return [];
  // perCommune (a province's view): one row per commune and title, summed by the database, not
  // ~100 rows per commune for the API to add up.
  const per = opts.perCommune ?? false;
  const communes = uuidArray(communeIds);
  // One after the other: `db` may be a transaction (a campaign's close takes its snapshot in one).
  const counted =
    await db.execute(sql`select commune_id, ${per ? sql.raw(`'${NO_HAMLET}'::uuid`) : sql.raw('hamlet_key')} hamlet_key,
        subject_type, sum(n)::int n
      from registry_counts where commune_id = any(${communes}::uuid[]) and n <> 0
      group by 1, 2, 3`);
  const hamlets =
    await db.execute(sql`select parent_id commune_id, ${per ? sql.raw('null::uuid') : sql.raw('id')} hamlet_id, count(*)::int n
      from admin_units
      where parent_id = any(${communes}::uuid[]) and level = 'hamlet'
        and effective_from <= ${day}::date and (effective_to is null or effective_to >= ${day}::date)
      group by 1, 2`);
  type Counted = { commune_id: string; hamlet_key: string; subject_type: SubjectType; n: number };
  type Hamlets = { commune_id: string; hamlet_id: string | null; n: number };
  return [
    ...rowsOf<Counted>(counted).map((r) => ({
      communeId: r.commune_id,
      hamletId: r.hamlet_key === NO_HAMLET ? null : r.hamlet_key,
      subjectType: r.subject_type,
      n: Number(r.n),
    })),
    ...rowsOf<Hamlets>(hamlets).map((r) => ({
      communeId: r.commune_id,
      hamletId: r.hamlet_id,
      subjectType: 'community' as const,
      n: Number(r.n),
    })),
  ];
}

export async function targetRows(db: Executor, unitIds: string[], year: number): Promise<TargetRow[]> {
  if (unitIds.length === 0) return [];
  const r = await db.execute(sql`select unit_id, year, indicator, share, source, updated_by,
      extract(epoch from updated_at) * 1000 updated_at_ms
    from targets where unit_id = any(${uuidArray(unitIds)}::uuid[]) and year = ${year}`);
  return rowsOf<Record<string, unknown>>(r).map((x) => ({
    unitId: x['unit_id'] as string,
    year: Number(x['year']),
    indicator: x['indicator'] as TargetIndicator,
    share: Number(x['share']),
    source: x['source'] as string,
    updatedBy: (x['updated_by'] as string | null) ?? null,
    updatedAt: toDate(x['updated_at_ms']),
  }));
}
export type TargetRow = typeof targets.$inferSelect;

export async function upsertTarget(
  db: Executor,
  row: {
    unitId: string;
    year: number;
    indicator: TargetIndicator;
    share: number;
    source: string;
    updatedBy: string;
    updatedAt: Date;
  },
) {
  await db
    .insert(targets)
    .values(row)
    .onConflictDoUpdate({
      target: [targets.unitId, targets.year, targets.indicator],
      set: { share: row.share, source: row.source, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
    });
}

export async function deleteTarget(db: Executor, unitId: string, year: number, indicator: TargetIndicator) {
  await db
    .delete(targets)
    .where(and(eq(targets.unitId, unitId), eq(targets.year, year), eq(targets.indicator, indicator)));
}

/** Group ids of the caller's tổ grants that lie inside `hamletId` (tổ leaders read their ấp). */
export async function groupsInHamlet(db: Executor, groupIds: string[], hamletId: string): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .select({ id: adminUnits.id })
    .from(adminUnits)
    .where(and(inArray(adminUnits.id, groupIds), eq(adminUnits.parentId, hamletId)));
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- one campaign at a time

/**
 * A fingerprint of every row a commune's (or hamlet's) dashboard is computed from: the campaign's
 * counts, the commune's registry totals and hamlets, its CDHT stamp, the campaign's snapshot and
 * the targets of the commune and province for the year. Equal fingerprints, equal figures
 * (summary-cache.ts). The database reads a few hundred small rows; the API gets 32 characters.
 */
export async function summaryFingerprint(
  db: Executor,
  q: { campaignId: string; communeId: string; targetUnitIds: string[]; year: number },
): Promise<string> {
  const r = await db.execute(sql`select md5(concat_ws('|',
      (select string_agg(concat_ws(',', unit_id, subject_type, state, slot, n), ';' order by unit_id, subject_type, state, slot)
        from assessment_counts where campaign_id = ${q.campaignId}::uuid),
      (select string_agg(concat_ws(',', hamlet_key, subject_type, n), ';' order by hamlet_key, subject_type)
        from registry_counts where commune_id = ${q.communeId}::uuid),
      (select string_agg(concat_ws(',', id, level, kind, name, code, effective_from, effective_to), ';' order by id)
        from admin_units where parent_id = ${q.communeId}::uuid),
      (select 'cdht ' || version from cdht_stamps where commune_id = ${q.communeId}::uuid),
      (select 'snapshot ' || taken_at::text from campaign_denominators where campaign_id = ${q.campaignId}::uuid),
      (select string_agg(concat_ws(',', unit_id, indicator, share, source), ';' order by unit_id, indicator)
        from targets where unit_id = any(${uuidArray(q.targetUnitIds)}::uuid[]) and year = ${q.year})
    )) fingerprint`);
  return rowsOf<{ fingerprint: string }>(r)[0]!.fingerprint;
}

/** Recognition decisions per campaign: how many, and the latest date (the province's "reported"). */
export async function decisionTotals(db: Executor, campaignIds: string[]) {
  if (campaignIds.length === 0) return [];
  return db
    .select({
      campaignId: decisions.campaignId,
      n: sql<number>`count(*)::int`.mapWith(Number),
      lastDecidedOn: sql<string>`max(${decisions.decidedOn})::text`,
    })
    .from(decisions)
    .where(inArray(decisions.campaignId, campaignIds))
    .groupBy(decisions.campaignId);
}

/** Denominator snapshots of the given campaigns (taken when each closed). */
export async function snapshotsOf(
  db: Executor,
  campaignIds: string[],
): Promise<(typeof campaignDenominators.$inferSelect)[]> {
  if (campaignIds.length === 0) return [];
  const r = await db.execute(sql`select campaign_id, extract(epoch from taken_at) * 1000 taken_at_ms, registry, cdht
    from campaign_denominators where campaign_id = any(${uuidArray(campaignIds)}::uuid[])`);
  return rowsOf<Record<string, unknown>>(r).map((x) => ({
    campaignId: x['campaign_id'] as string,
    takenAt: toDate(x['taken_at_ms']),
    registry: x['registry'] as DenominatorRow[],
    cdht: x['cdht'] as CdhtRow[],
  }));
}

/** Written once: a campaign closed again after a reopen keeps its first snapshot. */
export async function insertSnapshot(db: Executor, row: typeof campaignDenominators.$inferInsert) {
  await db.insert(campaignDenominators).values(row).onConflictDoNothing();
}

/** Every child of the given units, whatever its dates, including those that name them as legacy parent. */
export async function childrenEver(db: Executor, parentIds: string[]): Promise<AdminUnitRow[]> {
  if (parentIds.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(or(inArray(adminUnits.parentId, parentIds), inArray(adminUnits.legacyParentId, parentIds)));
}

/**
 * Years (before `beforeYear`) in which each subject held the title, from every campaign whatever
 * its commune: a subject keeps its id through the 2025 merger, so the campaigns of the communes
 * that merged (the same ones `history` rolls up) count like the commune's own.
 */
export async function recognisedYears(
  db: Executor,
  subjectType: SubjectType,
  subjectIds: string[],
  beforeYear: number,
): Promise<{ subjectId: string; year: number }[]> {
  if (subjectIds.length === 0) return [];
  return db
    .selectDistinct({ subjectId: assessments.subjectId, year: sql<number>`${campaigns.year}::int`.mapWith(Number) })
    .from(assessments)
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .where(
      and(
        eq(assessments.subjectType, subjectType),
        inArray(assessments.subjectId, [...new Set(subjectIds)]),
        eq(assessments.state, 'recognised'),
        sql`${campaigns.year} < ${beforeYear}`,
      ),
    );
}
