import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { executeNamed } from '../../db/named-statement.ts';
import type { Executor } from '../../db/types.ts';
import {
  adminUnits,
  answers,
  assessments,
  campaigns,
  clans,
  comments,
  evidence,
  households,
  idempotencyKeys,
  persons,
  roleAssignments,
  units,
  users,
  type ScoreLayer,
} from '../../db/schema/index.ts';
import { rowsOf } from '../campaigns/campaigns.repo.ts';

export type AssessmentRow = typeof assessments.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;

export async function findAssessmentBySubject(
  db: Executor,
  campaignId: string,
  subjectType: string,
  subjectId: string,
) {
  const [row] = await db
    .select({ id: assessments.id })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, campaignId),
        eq(assessments.subjectType, subjectType as AssessmentRow['subjectType']),
        eq(assessments.subjectId, subjectId),
      ),
    );
  return row;
}

export async function findCampaignWithProvince(db: Executor, id: string) {
  const [row] = await db
    .select({ c: campaigns, provinceId: adminUnits.parentId })
    .from(campaigns)
    .leftJoin(adminUnits, eq(adminUnits.id, campaigns.communeId))
    .where(eq(campaigns.id, id));
  return row;
}

// ---- subjects --------------------------------------------------------------------------------

export async function findHouseholdSubject(db: Executor, id: string) {
  const [h] = await db.select().from(households).where(eq(households.id, id));
  return h;
}
export async function findClanSubject(db: Executor, id: string) {
  const [c] = await db.select().from(clans).where(eq(clans.id, id));
  return c;
}
export async function findUnitSubject(db: Executor, id: string) {
  const [u] = await db.select().from(units).where(eq(units.id, id));
  return u;
}
export async function findPersonSubject(db: Executor, id: string) {
  const [p] = await db
    .select({
      p: persons,
      hCommune: households.communeId,
      hHamlet: households.hamletId,
      hGroup: households.groupId,
      uHamlet: units.hamletId,
    })
    .from(persons)
    .leftJoin(households, eq(households.id, persons.householdId))
    .leftJoin(units, eq(units.id, persons.unitId))
    .where(eq(persons.id, id));
  return p;
}
export async function findHamletSubject(db: Executor, id: string) {
  const [u] = await db.select().from(adminUnits).where(eq(adminUnits.id, id));
  return u;
}
export async function householdClans(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: households.id, clanId: households.clanId })
    .from(households)
    .where(inArray(households.id, ids));
}

/** Users who own the subject: they get the notifications about it. */
export async function ownerUserIds(
  db: Executor,
  a: Pick<AssessmentRow, 'subjectType' | 'subjectId' | 'hamletId'>,
  headUserId: string | null,
): Promise<string[]> {
  switch (a.subjectType) {
    case 'household':
      return (
        await db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.householdId, a.subjectId), eq(users.status, 'active')))
      ).map((r) => r.id);
    case 'citizen':
      return (
        await db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.personId, a.subjectId), eq(users.status, 'active')))
      ).map((r) => r.id);
    case 'community':
      return (
        await db
          .select({ id: roleAssignments.userId })
          .from(roleAssignments)
          .where(
            and(
              eq(roleAssignments.unitId, a.subjectId),
              eq(roleAssignments.role, 'hamlet_head'),
              isNull(roleAssignments.revokedAt),
            ),
          )
      ).map((r) => r.id);
    default:
      return headUserId ? [headUserId] : [];
  }
}

// ---- writes through one statement ------------------------------------------------------------

export interface CountsDelta {
  campaignId: string;
  subjectType: string;
  /** Hamlet (if any), commune, province (if any). */
  unitIds: string[];
  /**
   * Which of the COUNT_SLOTS rows of each count this change updates (see `assessment_counts`).
   * One subject's changes spread by its id (`countSlotOf`); a transaction that changes many
   * subjects (review, decision) leaves it out and uses slot 0 for all of them, so it takes its
   * row locks in the same order as before the counts were spread and cannot deadlock with
   * another such transaction.
   */
  slot?: number;
}

/** Rows per maintained count: enough that concurrent submits of one commune rarely meet. */
export const COUNT_SLOTS = 16;

/** A subject's slot, from the random tail of its assessment id. */
export function countSlotOf(assessmentId: string): number {
  return Number.parseInt(assessmentId.slice(-4), 16) % COUNT_SLOTS || 0;
}

export interface AuditRow {
  at: Date;
  actorId: string | null;
  onBehalfOf: string | null;
  action: string;
  data: Record<string, unknown>;
}

function countsCte(source: string, counts: CountsDelta, deltas: { state: string; n: number }[]): SQL {
  // Rows in one fixed order (hamlet → commune → province, states by name), so two changes that
  // meet on the same rows lock them in the same order and never deadlock.
  const ordered = [...deltas].sort((a, b) => (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
  const values = sql.join(
    counts.unitIds.flatMap((u) => ordered.map((d) => sql`(${u}::uuid, ${d.state}::text, ${d.n}::int)`)),
    sql`, `,
  );
  return sql`insert into assessment_counts (campaign_id, unit_id, subject_type, state, slot, n)
    select ${counts.campaignId}::uuid, v.unit_id, ${counts.subjectType}::text, v.state, ${counts.slot ?? 0}::smallint, v.n
    from ${sql.raw(source)}, (values ${values}) as v(unit_id, state, n)
    on conflict (campaign_id, unit_id, subject_type, state, slot) do update set n = assessment_counts.n + excluded.n`;
}

function auditCte(source: string, entityId: string, rows: AuditRow[]): SQL {
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.at.toISOString()}::timestamptz, ${r.actorId}::text, ${r.onBehalfOf}::text, ${r.action}::text, ${JSON.stringify(r.data)}::jsonb)`,
    ),
    sql`, `,
  );
  return sql`insert into audit_events (at, actor_id, on_behalf_of, action, entity_type, entity_id, data)
    select v.at, v.actor_id, v.on_behalf_of, v.action, 'assessment', ${entityId}::text, v.data
    from ${sql.raw(source)}, (values ${values}) as v(at, actor_id, on_behalf_of, action, data)`;
}

/**
 * Registers a subject: insert + the maintained count (+1 draft at hamlet/commune/province) +
 * the audit row, in one statement. Nothing is written when the id or the subject exists.
 */
export async function insertAssessment(
  tx: Executor,
  row: typeof assessments.$inferInsert,
  counts: CountsDelta,
  audit: AuditRow,
): Promise<boolean> {
  const ins = tx.insert(assessments).values(row).onConflictDoNothing().returning({ id: assessments.id });
  const q = sql`with ins as (${ins.getSQL()}),
    cnt as (${countsCte('ins', counts, [{ state: 'draft', n: 1 }])}),
    aud as (${auditCte('ins', row.id, [audit])})
    select (select count(*) from ins)::int as n`;
  const [r] = rowsOf<{ n: number }>(await tx.execute(q));
  return Number(r?.n ?? 0) === 1;
}

export interface TransitionWrite {
  id: string;
  /** Optimistic lock: the version read; 0 rows updated → somebody else changed it first. */
  version: number;
  from: string;
  to: string;
  set: Partial<typeof assessments.$inferInsert>;
  counts: CountsDelta;
  audit: AuditRow[];
  /** Marks the idempotency key done with the stored response, atomically with the change. */
  idempotency?: { userId: string; key: string; scope: string; status: number; body: unknown };
  /**
   * More data-modifying CTEs in the same statement (`name as (…), …`), reading from `upd` so they
   * write nothing when the update lost: e.g. the notification fan-out of a submit.
   */
  ctes?: SQL;
}

/**
 * Every state (or score) change of an assessment goes through here, as ONE statement of
 * data-modifying CTEs: the versioned UPDATE, the ±1 on the maintained counts when the state
 * changes, the audit rows and the idempotency record. Everything after `upd` reads from it, so a
 * lost optimistic race writes nothing at all and returns false.
 */
export async function applyTransition(tx: Executor, w: TransitionWrite): Promise<boolean> {
  const upd = tx
    .update(assessments)
    .set({ ...w.set, state: w.to, version: sql`${assessments.version} + 1` })
    .where(and(eq(assessments.id, w.id), eq(assessments.version, w.version), eq(assessments.state, w.from)))
    .returning({ id: assessments.id });
  const i = w.idempotency;
  return runAfterUpdate(
    tx,
    upd.getSQL(),
    [
      w.from !== w.to
        ? sql`cnt as (${countsCte('upd', w.counts, [
            { state: w.from, n: -1 },
            { state: w.to, n: 1 },
          ])})`
        : undefined,
      auditPart(w.id, w.audit),
      i
        ? sql`idem as (update idempotency_keys set status = 'done', scope = ${i.scope}::text, response_status = ${i.status}::smallint,
      response_body = ${JSON.stringify(i.body)}::jsonb
      where user_id = ${i.userId}::uuid and key = ${i.key}::text and exists (select 1 from upd))`
        : undefined,
      w.ctes,
      // A state change has a few fixed shapes (submit, approve, return…) and runs on every submit:
      // planned once per connection. Edits (answers, photos) vary with their rows, so they are not.
    ],
    { prepared: true },
  );
}

/** The audit rows as a CTE reading from `upd`, or nothing when there are none. */
function auditPart(entityId: string, rows: AuditRow[]): SQL | undefined {
  return rows.length > 0 ? sql`aud as (${auditCte('upd', entityId, rows)})` : undefined;
}

/**
 * ONE statement: `with upd as (<the versioned update>), <ctes reading from upd>` and whether the
 * update wrote its row (if not, nothing after it wrote anything either).
 */
async function runAfterUpdate(
  tx: Executor,
  upd: SQL,
  ctes: (SQL | undefined)[],
  { prepared = false }: { prepared?: boolean } = {},
): Promise<boolean> {
  const rest = ctes.filter((c): c is SQL => c !== undefined).map((c) => sql`, ${c}`);
  const q = sql`with upd as (${upd})${sql.join(rest, sql``)} select (select count(*) from upd)::int as n`;
  const [r] = rowsOf<{ n: number }>(await (prepared ? executeNamed(tx, q) : tx.execute(q)));
  return Number(r?.n ?? 0) === 1;
}

/**
 * An edit that does not change the state (a photo added): ONE statement that bumps the version
 * while the assessment is in one of `states`, writes the audit rows and the caller's CTEs reading
 * from `upd`. Guarded by the state, not by a version read earlier: a photo's bytes take seconds
 * to arrive, and two photos of one household sent at once must both land; a submit that
 * committed first leaves no editable row, so nothing is written and the answer is false.
 */
export async function applyEdit(
  tx: Executor,
  w: {
    id: string;
    states: readonly string[];
    set: Partial<typeof assessments.$inferInsert>;
    audit: AuditRow[];
    ctes?: SQL;
    /** Run as a prepared statement: only for a caller whose statement has one fixed shape. */
    prepared?: boolean;
  },
): Promise<boolean> {
  const upd = tx
    .update(assessments)
    .set({ ...w.set, version: sql`${assessments.version} + 1` })
    .where(and(eq(assessments.id, w.id), inArray(assessments.state, [...w.states])))
    .returning({ id: assessments.id });
  return runAfterUpdate(tx, upd.getSQL(), [auditPart(w.id, w.audit), w.ctes], { prepared: w.prepared ?? false });
}

// ---- answers, comments, evidence -------------------------------------------------------------

/** Answers of one layer with the photo count per indicator (the engine's evidenceCount). */
export async function layerWithPhotos(db: Executor, assessmentId: string, layer: ScoreLayer) {
  const r = await db.execute<{
    indicator_code: string;
    points: number | null;
    note: string | null;
    photos: number;
  }>(sql`
    select a.indicator_code, a.points, a.note,
      (select count(*) from evidence e where e.assessment_id = a.assessment_id and e.indicator_code = a.indicator_code and e.deleted_at is null and e.state <> 'failed')::int as photos
    from answers a where a.assessment_id = ${assessmentId} and a.layer = ${layer}`);
  return rowsOf<{ indicator_code: string; points: number | null; note: string | null; photos: number }>(r).map((x) => ({
    indicatorCode: x.indicator_code,
    points: x.points === null ? null : Number(x.points),
    note: x.note,
    photos: Number(x.photos),
  }));
}

export async function answersOf(db: Executor, assessmentIds: string[], layers?: ScoreLayer[]) {
  if (assessmentIds.length === 0) return [];
  return db
    .select()
    .from(answers)
    .where(and(inArray(answers.assessmentId, assessmentIds), layers ? inArray(answers.layer, layers) : undefined))
    .orderBy(asc(answers.indicatorCode));
}

export async function upsertAnswers(tx: Executor, rows: (typeof answers.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(answers)
    .values(rows)
    .onConflictDoUpdate({
      target: [answers.assessmentId, answers.layer, answers.indicatorCode],
      set: {
        points: sql`excluded.points`,
        note: sql`excluded.note`,
        reason: sql`excluded.reason`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function insertComments(tx: Executor, rows: (typeof comments.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(comments).values(rows);
}

export async function listComments(db: Executor, assessmentId: string) {
  return db
    .select()
    .from(comments)
    .where(eq(comments.assessmentId, assessmentId))
    .orderBy(asc(comments.createdAt), asc(comments.id));
}

export async function listEvidence(db: Executor, assessmentId: string) {
  return db
    .select()
    .from(evidence)
    .where(and(eq(evidence.assessmentId, assessmentId), isNull(evidence.deletedAt)))
    .orderBy(asc(evidence.createdAt), asc(evidence.id));
}

// ---- lists -----------------------------------------------------------------------------------

export interface AssessmentScope {
  all?: boolean;
  communeIds: string[];
  hamletIds: string[];
  groupIds: string[];
  subjectIds: string[];
  headUserId: string;
}

export function scopeSql(s: AssessmentScope): SQL | undefined {
  if (s.all) return undefined;
  const ors: SQL[] = [
    sql`${assessments.subjectId} in (select id from clans where head_user_id = ${s.headUserId}::uuid union all select id from units where head_user_id = ${s.headUserId}::uuid)`,
  ];
  if (s.communeIds.length) ors.push(inArray(assessments.communeId, s.communeIds));
  if (s.hamletIds.length) ors.push(inArray(assessments.hamletId, s.hamletIds));
  if (s.groupIds.length) ors.push(inArray(assessments.groupId, s.groupIds));
  if (s.subjectIds.length) ors.push(inArray(assessments.subjectId, s.subjectIds));
  return or(...ors);
}

/** Queue order: oldest submission first (the deadline is the campaign's), never-submitted last. */
const sortKey = sql`coalesce(${assessments.submittedAt}, 'infinity'::timestamptz)`;

export async function listAssessments(
  db: Executor,
  scope: SQL | undefined,
  f: { campaignId?: string; subjectType?: string; unitId?: string; state?: string },
  after: [string, string] | null,
  limit: number,
) {
  const conds: (SQL | undefined)[] = [scope];
  if (f.campaignId) conds.push(eq(assessments.campaignId, f.campaignId));
  if (f.subjectType) conds.push(eq(assessments.subjectType, f.subjectType as AssessmentRow['subjectType']));
  if (f.state) conds.push(eq(assessments.state, f.state));
  if (f.unitId)
    conds.push(
      or(eq(assessments.communeId, f.unitId), eq(assessments.hamletId, f.unitId), eq(assessments.groupId, f.unitId)),
    );
  if (after) {
    conds.push(sql`(${sortKey}, ${assessments.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  }
  return db
    .select({ a: assessments, sortAt: sql<string>`${sortKey}::text` })
    .from(assessments)
    .where(and(...conds))
    .orderBy(sortKey, asc(assessments.id))
    .limit(limit + 1);
}

// ---- idempotency -----------------------------------------------------------------------------

/**
 * Re-uses a key whose stored answer no longer applies (an earlier version of the assessment, or a
 * claim left `in_progress` by the old two-commit scheme), within the caller's transaction.
 */
export async function retakeIdempotencyKey(
  tx: Executor,
  k: { userId: string; key: string; scope: string; requestHash: string; now: Date },
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({
      scope: k.scope,
      requestHash: k.requestHash,
      status: 'in_progress',
      responseStatus: null,
      responseBody: null,
      createdAt: k.now,
    })
    .where(and(eq(idempotencyKeys.userId, k.userId), eq(idempotencyKeys.key, k.key)));
}
