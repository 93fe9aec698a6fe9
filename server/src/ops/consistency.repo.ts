import { sql } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { rowsOf } from '../modules/campaigns/campaigns.repo.ts';

/**
 * The read-only queries of the consistency checker (ops/consistency.ts), in raw SQL on purpose:
 * they recount from the base tables without going through the code whose results they check.
 */

/** Every evidence row with its blob keys (the original while it waits for processing), removed ones flagged. */
export async function evidenceBlobRefs(db: Executor) {
  return rowsOf<{
    id: string;
    state: string;
    image_key: string;
    thumb_key: string;
    original_key: string | null;
    deleted: boolean;
  }>(
    await db.execute(
      sql`select id, state, image_key, thumb_key, original_key, deleted_at is not null as deleted from evidence order by id`,
    ),
  );
}

/** Decided results joined to their decision (null columns when it is missing). */
export async function decidedResults(db: Executor) {
  return rowsOf<{
    id: string;
    state: string;
    campaign_id: string;
    subject_type: string;
    decision_id: string | null;
    certificate_no: string | null;
    d_id: string | null;
    d_campaign: string | null;
    d_type: string | null;
  }>(
    await db.execute(sql`
      select a.id, a.state, a.campaign_id, a.subject_type, a.decision_id, a.certificate_no,
             d.id as d_id, d.campaign_id as d_campaign, d.subject_type as d_type
      from assessments a left join decisions d on d.id = a.decision_id
      where a.state in ('recognised', 'not_recognised') order by a.id`),
  );
}

/** Each decision's stored counts next to a recount of its results. */
export async function decisionCounts(db: Executor) {
  return rowsOf<{ id: string; rc: number; nrc: number; r: number; nr: number }>(
    await db.execute(sql`
      select d.id, d.recognised_count as rc, d.not_recognised_count as nrc,
             count(a.id) filter (where a.state = 'recognised')::int as r,
             count(a.id) filter (where a.state = 'not_recognised')::int as nr
      from decisions d left join assessments a on a.decision_id = d.id
      group by d.id order by d.id`),
  );
}

/** Maintained counts that differ from a recount of the assessments (hamlet, commune, province). */
export async function countDiffs(db: Executor) {
  return rowsOf<{
    campaign_id: string;
    unit_id: string;
    subject_type: string;
    state: string;
    stored: number;
    recount: number;
  }>(
    await db.execute(sql`
      with base as (
        select a.campaign_id, a.subject_type, a.state, a.hamlet_id, a.commune_id, u.parent_id as province_id
        from assessments a left join admin_units u on u.id = a.commune_id
      ), per_unit as (
        select campaign_id, hamlet_id as unit_id, subject_type, state from base where hamlet_id is not null
        union all select campaign_id, commune_id, subject_type, state from base
        union all select campaign_id, province_id, subject_type, state from base where province_id is not null
      ), recount as (
        select campaign_id, unit_id, subject_type, state, count(*)::int as n from per_unit group by 1, 2, 3, 4
      )
      select coalesce(c.campaign_id, r.campaign_id) as campaign_id, coalesce(c.unit_id, r.unit_id) as unit_id,
             coalesce(c.subject_type, r.subject_type) as subject_type, coalesce(c.state, r.state) as state,
             coalesce(c.n, 0) as stored, coalesce(r.n, 0) as recount
      from (select campaign_id, unit_id, subject_type, state, sum(n)::int as n
            from assessment_counts group by 1, 2, 3, 4) c
      full outer join recount r on r.campaign_id = c.campaign_id and r.unit_id = c.unit_id
        and r.subject_type = c.subject_type and r.state = c.state
      where coalesce(c.n, 0) <> coalesce(r.n, 0)
      order by 1, 2, 3, 4`),
  );
}

/** Maintained registry denominators (registry_counts) that differ from a recount of the registry. */
export async function registryDiffs(db: Executor) {
  return rowsOf<{ commune_id: string; hamlet_key: string; subject_type: string; stored: number; recount: number }>(
    await db.execute(sql`
      with recount as (
        select commune_id, coalesce(hamlet_id, '00000000-0000-0000-0000-000000000000'::uuid) as hamlet_key,
               t as subject_type, sum(n)::int as n from (
          select commune_id, hamlet_id, 'household' t, count(*) n from households group by 1, 2
          union all select commune_id, hamlet_id, 'clan', count(*) from clans group by 1, 2
          union all select commune_id, hamlet_id, 'unit', count(*) from units group by 1, 2
          union all select h.commune_id, h.hamlet_id, 'citizen', count(*) from persons p
            join households h on h.id = p.household_id group by 1, 2
          union all select p.commune_id, u.hamlet_id, 'citizen', count(*) from persons p
            join units u on u.id = p.unit_id where p.household_id is null group by 1, 2
        ) x group by 1, 2, 3
      )
      select coalesce(c.commune_id, r.commune_id) as commune_id, coalesce(c.hamlet_key, r.hamlet_key) as hamlet_key,
             coalesce(c.subject_type, r.subject_type) as subject_type, coalesce(c.n, 0) as stored, coalesce(r.n, 0) as recount
      from registry_counts c
      full outer join recount r on r.commune_id = c.commune_id and r.hamlet_key = c.hamlet_key
        and r.subject_type = c.subject_type
      where coalesce(c.n, 0) <> coalesce(r.n, 0)
      order by 1, 2, 3`),
  );
}

/** How many maintained count rows there are. */
export async function countRowTotal(db: Executor): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from assessment_counts`));
  return Number(row?.n ?? 0);
}
