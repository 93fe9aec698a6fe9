import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { assessments, decisions } from '../../db/schema/index.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';
import type { AssessmentRow } from './assessments.repo.ts';

/** SQL of hamlet review and the commune's recognition decisions. */

export async function verifiedInPlace(
  db: Executor,
  campaignId: string,
  subjectType: string,
  unit: { communeId?: string; hamletId?: string },
) {
  return db
    .select({
      id: assessments.id,
      version: assessments.version,
      hamletId: assessments.hamletId,
      communeId: assessments.communeId,
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        eq(assessments.subjectType, subjectType as AssessmentRow['subjectType']),
        eq(assessments.state, 'verified'),
        unit.hamletId ? eq(assessments.hamletId, unit.hamletId) : eq(assessments.communeId, unit.communeId!),
      ),
    )
    .orderBy(asc(assessments.id));
}

export async function assessmentsForDecision(
  db: Executor,
  campaignId: string,
  subjectType: string,
  ids: string[] | undefined,
) {
  return db
    .select()
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        ids
          ? inArray(assessments.id, ids)
          : and(
              eq(assessments.subjectType, subjectType as AssessmentRow['subjectType']),
              eq(assessments.state, 'reviewed'),
            ),
      ),
    )
    .orderBy(asc(assessments.subjectName), asc(assessments.id));
}

export async function hasDecisionFor(db: Executor, campaignId: string, subjectType: string): Promise<boolean> {
  const r = await db
    .select({ id: decisions.id })
    .from(decisions)
    .where(
      and(eq(decisions.campaignId, campaignId), eq(decisions.subjectType, subjectType as AssessmentRow['subjectType'])),
    )
    .limit(1);
  return r.length > 0;
}

/**
 * Prerequisite facts, from the same campaign: members of each subject and how many of them hold
 * the title now. `members` lists the member ids query per subject kind.
 */
export async function memberShareCounts(
  db: Executor,
  campaignId: string,
  kind: 'householdsOfClan' | 'householdsOfHamlet' | 'clansOfHamlet' | 'staffOfUnit',
  subjectIds: string[],
): Promise<Map<string, { total: number; withTitle: number }>> {
  const out = new Map<string, { total: number; withTitle: number }>();
  if (subjectIds.length === 0) return out;
  const member = {
    householdsOfClan: { table: sql`households`, key: sql`m.clan_id`, type: 'household' },
    householdsOfHamlet: { table: sql`households`, key: sql`m.hamlet_id`, type: 'household' },
    clansOfHamlet: { table: sql`clans`, key: sql`m.hamlet_id`, type: 'clan' },
    staffOfUnit: { table: sql`persons`, key: sql`m.unit_id`, type: 'citizen' },
  }[kind];
  const r = await db.execute(sql`
    select ${member.key} as subject_id, count(*)::int as total, count(a.id)::int as with_title
    from ${member.table} m
    left join assessments a on a.campaign_id = ${campaignId}::uuid and a.subject_type = ${member.type}
      and a.subject_id = m.id and a.state = 'recognised'
    where ${member.key} in ${subjectIds}
    group by ${member.key}`);
  for (const row of rowsOf<{ subject_id: string; total: number; with_title: number }>(r)) {
    out.set(row.subject_id, { total: Number(row.total), withTitle: Number(row.with_title) });
  }
  return out;
}

export async function insertDecision(tx: Executor, row: typeof decisions.$inferInsert) {
  await tx.insert(decisions).values(row);
}

export async function setDecisionCounts(
  tx: Executor,
  id: string,
  recognised: number,
  notRecognised: number,
): Promise<void> {
  await tx
    .update(decisions)
    .set({ recognisedCount: recognised, notRecognisedCount: notRecognised })
    .where(eq(decisions.id, id));
}

export async function listDecisions(db: Executor, campaignId: string) {
  return db
    .select()
    .from(decisions)
    .where(eq(decisions.campaignId, campaignId))
    .orderBy(asc(decisions.createdAt), asc(decisions.number));
}

/** Commune layer defaults to the verifier's points: copy them where the commune set none. */
export async function seedCommuneLayer(tx: Executor, assessmentIds: string[], by: string, at: Date): Promise<void> {
  if (assessmentIds.length === 0) return;
  await tx.execute(sql`
    insert into answers (assessment_id, layer, indicator_code, points, note, reason, updated_by, updated_at)
    select assessment_id, 'commune', indicator_code, points, null, null, ${by}::uuid, ${at.toISOString()}::timestamptz
    from answers where layer = 'verifier' and assessment_id in ${assessmentIds}
    on conflict do nothing`);
}

export async function findDecision(db: Executor, id: string) {
  const [d] = await db.select().from(decisions).where(eq(decisions.id, id));
  return d;
}
