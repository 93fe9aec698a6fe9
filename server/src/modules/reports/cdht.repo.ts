import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';
import { uuidArray } from './reports.repo.ts';
import {
  assessments,
  cdhtCache,
  households,
  persons,
  units,
  type CdhtRow,
  type SubjectType,
} from '../../db/schema/index.ts';

/*
 * SQL of the CDHT shares (workers of learning families and staff of learning units who hold Công
 * dân học tập): computed per hamlet from the registry and the recognised subjects, and cached per
 * campaign (docs/architecture.md §8).
 */

/**
 * CDHT holders among (a) workers who are members of households that are recognised GĐHT, or of a
 * clan recognised DHHT, or live in a hamlet recognised CĐHT; (b) staff of units recognised ĐVHT.
 * One campaign, one commune, per hamlet (a commune's figure is the sum of its rows); recognised
 * subjects come from the assessment_subject unique index.
 */
export async function cdhtByHamlet(db: Executor, campaignId: string, communeId: string): Promise<CdhtRow[]> {
  const recognised = (type: SubjectType) =>
    sql`select ${assessments.subjectId} from ${assessments} where ${assessments.campaignId} = ${campaignId} and ${assessments.subjectType} = ${type} and ${assessments.state} = 'recognised'`;
  const holder = sql`exists (select 1 from ${assessments} a where a.campaign_id = ${campaignId} and a.subject_type = 'citizen' and a.subject_id = ${persons.id} and a.state = 'recognised')`;
  const population = sql<number>`count(*)::int`.mapWith(Number);
  const holders = sql<number>`count(*) filter (where ${holder})::int`.mapWith(Number);
  // Start from the recognised subjects (a few thousand rows through the assessment index), not from
  // every worker of the commune: an OR of three IN-lists made PostgreSQL scan all persons.
  const learningHouseholds = sql`(
    ${recognised('household')}
    union select h.id from ${assessments} a join ${households} h on h.clan_id = a.subject_id
      where a.campaign_id = ${campaignId} and a.subject_type = 'clan' and a.state = 'recognised' and h.commune_id = ${communeId}
    union select h.id from ${assessments} a join ${households} h on h.hamlet_id = a.subject_id
      where a.campaign_id = ${campaignId} and a.subject_type = 'community' and a.state = 'recognised' and h.commune_id = ${communeId}
  )`;
  // One after the other: a campaign's close computes this inside its transaction.
  const workers = await db
    .select({ hamletId: households.hamletId, population, holders })
    .from(persons)
    .innerJoin(households, eq(households.id, persons.householdId))
    .where(
      and(
        eq(persons.isWorker, true),
        eq(households.communeId, communeId),
        sql`${households.id} in ${learningHouseholds}`,
      ),
    )
    .groupBy(households.hamletId);
  const staff = await db
    .select({ hamletId: units.hamletId, population, holders })
    .from(persons)
    .innerJoin(units, eq(units.id, persons.unitId))
    .where(and(eq(units.communeId, communeId), sql`${units.id} in (${recognised('unit')})`))
    .groupBy(units.hamletId);
  const out = new Map<string | null, CdhtRow>();
  const row = (hamletId: string | null) => {
    let r = out.get(hamletId);
    if (!r) {
      r = { hamletId, workers: { population: 0, holders: 0 }, staff: { population: 0, holders: 0 } };
      out.set(hamletId, r);
    }
    return r;
  };
  for (const w of workers) row(w.hamletId).workers = { population: w.population, holders: w.holders };
  for (const s of staff) row(s.hamletId).staff = { population: s.population, holders: s.holders };
  return [...out.values()];
}

/**
 * CDHT rows of several campaigns: from `cdht_cache` while its version equals the commune's stamp,
 * else computed by `cdhtByHamlet` and stored under the stamp read BEFORE computing (a write that
 * lands meanwhile changes the stamp, so that entry is never taken as current).
 */
export async function cdhtOfCampaigns(
  db: Executor,
  list: { id: string; communeId: string }[],
  opts: { perCommune?: boolean } = {},
): Promise<CdhtRow[]> {
  if (list.length === 0) return [];
  // perCommune (a province's view): each campaign's hamlet rows summed by the database into one.
  // Hand-written (see reports.repo.ts): a province's view asks this for ~100 campaigns at once.
  const part = (k: 'workers' | 'staff', f: 'population' | 'holders') => `coalesce(sum((r->'${k}'->>'${f}')::int), 0)`;
  const rowsSql = opts.perCommune
    ? sql.raw(`(select jsonb_build_array(jsonb_build_object(
        'hamletId', null,
        'workers', jsonb_build_object('population', ${part('workers', 'population')}, 'holders', ${part('workers', 'holders')}),
        'staff', jsonb_build_object('population', ${part('staff', 'population')}, 'holders', ${part('staff', 'holders')})))
        from jsonb_array_elements(k.rows) r)`)
    : sql.raw('k.rows');
  const r = await db.execute(sql`select c.id "campaignId", c.commune_id "communeId",
      coalesce(s.version, '0') stamp, k.version, ${rowsSql} "rows"
    from campaigns c
    left join cdht_stamps s on s.commune_id = c.commune_id
    left join cdht_cache k on k.campaign_id = c.id
    where c.id = any(${uuidArray(list.map((c) => c.id))}::uuid[])`);
  const known = rowsOf<{
    campaignId: string;
    communeId: string;
    stamp: string;
    version: string | null;
    rows: CdhtRow[] | null;
  }>(r);
  const out: CdhtRow[] = [];
  const misses = known.filter((k) => k.version !== k.stamp || !k.rows);
  for (const k of known) if (k.version === k.stamp && k.rows) out.push(...k.rows);
  // A few at a time: a province's first view computes ~100 communes without taking every connection.
  for (let i = 0; i < misses.length; i += 4) {
    const batch = await Promise.all(
      misses.slice(i, i + 4).map(async (k) => {
        const rows = await cdhtByHamlet(db, k.campaignId, k.communeId);
        await db
          .insert(cdhtCache)
          .values({ campaignId: k.campaignId, communeId: k.communeId, version: k.stamp, rows, computedAt: sql`now()` })
          .onConflictDoUpdate({
            target: cdhtCache.campaignId,
            set: { version: k.stamp, rows, computedAt: sql`now()` },
          });
        return opts.perCommune ? sumCdht(rows) : rows;
      }),
    );
    out.push(...batch.flat());
  }
  return out;
}

function sumCdht(rows: CdhtRow[]): CdhtRow[] {
  const add = (k: 'workers' | 'staff') => ({
    population: rows.reduce((a, r) => a + r[k].population, 0),
    holders: rows.reduce((a, r) => a + r[k].holders, 0),
  });
  return [{ hamletId: null, workers: add('workers'), staff: add('staff') }];
}
