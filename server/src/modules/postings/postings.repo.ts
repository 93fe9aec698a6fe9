import { and, asc, desc, eq, gt, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import {
  adminUnits,
  assessments,
  campaigns,
  households,
  objections,
  persons,
  postings,
  users,
  type SubjectType,
} from '../../db/schema/index.ts';

/** SQL of posting windows (niêm yết) and residents' objections. */

export type PostingRow = typeof postings.$inferSelect;
export type ObjectionRow = typeof objections.$inferSelect;

/** States of a proposed entry: verified or reviewed, and not failed by the verifier's scoring. */
const PROPOSED_STATES = ['verified', 'reviewed'];

export async function findCampaign(db: Executor, id: string) {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row;
}

export async function findHamlet(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: adminUnits.id,
      level: adminUnits.level,
      parentId: adminUnits.parentId,
      kind: adminUnits.kind,
      name: adminUnits.name,
    })
    .from(adminUnits)
    .where(eq(adminUnits.id, id))
    .limit(1);
  return row;
}

export async function unitNames(db: Executor, ids: string[]): Promise<Map<string, { kind: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: adminUnits.id, kind: adminUnits.kind, name: adminUnits.name })
    .from(adminUnits)
    .where(inArray(adminUnits.id, ids));
  return new Map(rows.map((r) => [r.id, { kind: r.kind, name: r.name }]));
}

/** The hamlets a signed-in person lives in: through their household, or their person's household. */
export async function residentHamlets(
  db: Executor,
  who: { householdId: string | null; personId: string | null },
): Promise<string[]> {
  const out = new Set<string>();
  if (who.householdId) {
    const [h] = await db
      .select({ hamletId: households.hamletId })
      .from(households)
      .where(eq(households.id, who.householdId));
    if (h?.hamletId) out.add(h.hamletId);
  }
  if (who.personId) {
    const [p] = await db
      .select({ hamletId: households.hamletId })
      .from(persons)
      .innerJoin(households, eq(households.id, persons.householdId))
      .where(eq(persons.id, who.personId));
    if (p?.hamletId) out.add(p.hamletId);
  }
  return [...out];
}

export async function findPostingFor(db: Executor, campaignId: string, hamletId: string, subjectType: SubjectType) {
  const [row] = await db
    .select()
    .from(postings)
    .where(
      and(eq(postings.campaignId, campaignId), eq(postings.hamletId, hamletId), eq(postings.subjectType, subjectType)),
    )
    .limit(1);
  return row;
}

export async function findPosting(db: Executor, id: string) {
  const [row] = await db.select().from(postings).where(eq(postings.id, id)).limit(1);
  return row;
}

export async function insertPosting(tx: Executor, row: PostingRow): Promise<void> {
  await tx.insert(postings).values(row);
}

export async function setPostingWindow(tx: Executor, id: string, startsAt: Date, endsAt: Date): Promise<void> {
  await tx.update(postings).set({ startsAt, endsAt }).where(eq(postings.id, id));
}

/** Postings of some campaigns and hamlets (null hamlets: all of the campaigns'), newest first. */
export async function listPostings(
  db: Executor,
  q: { campaignIds?: string[]; communeIds?: string[]; hamletIds?: string[]; openAt?: Date },
): Promise<PostingRow[]> {
  const where: (SQL | undefined)[] = [
    q.campaignIds ? inArray(postings.campaignId, q.campaignIds) : undefined,
    q.communeIds ? inArray(postings.communeId, q.communeIds) : undefined,
    q.hamletIds ? inArray(postings.hamletId, q.hamletIds) : undefined,
    q.openAt ? and(lte(postings.startsAt, q.openAt), gt(postings.endsAt, q.openAt)) : undefined,
  ];
  if ((q.communeIds && q.communeIds.length === 0) || (q.hamletIds && q.hamletIds.length === 0)) return [];
  return db
    .select()
    .from(postings)
    .where(and(...where))
    .orderBy(desc(postings.startsAt), asc(postings.id))
    .limit(500);
}

/** Unresolved objections and comments per posting. */
export async function unresolvedCounts(db: Executor, postingIds: string[]): Promise<Map<string, number>> {
  if (postingIds.length === 0) return new Map();
  const rows = await db
    .select({ postingId: objections.postingId, n: sql<number>`count(*)::int` })
    .from(objections)
    .where(and(inArray(objections.postingId, postingIds), eq(objections.status, 'open')))
    .groupBy(objections.postingId);
  return new Map(rows.map((r) => [r.postingId, Number(r.n)]));
}

/** The proposed list: names and the title only (no points, photos, phone or address are selected). */
export async function proposedEntries(db: Executor, p: Pick<PostingRow, 'campaignId' | 'hamletId' | 'subjectType'>) {
  return db
    .select({
      assessmentId: assessments.id,
      subjectName: assessments.subjectName,
      subjectType: assessments.subjectType,
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.campaignId, p.campaignId),
        eq(assessments.hamletId, p.hamletId),
        eq(assessments.subjectType, p.subjectType),
        inArray(assessments.state, PROPOSED_STATES),
        or(sql`${assessments.verdict} is null`, ne(sql`coalesce(${assessments.verdict}->>'outcome', '')`, 'fail')),
      ),
    )
    .orderBy(asc(assessments.subjectName), asc(assessments.id));
}

export async function objectionsBy(db: Executor, postingId: string, authorId: string): Promise<ObjectionRow[]> {
  return db
    .select()
    .from(objections)
    .where(and(eq(objections.postingId, postingId), eq(objections.authorId, authorId)))
    .orderBy(desc(objections.createdAt), asc(objections.id));
}

/** Inserts an objection; false when the author already has an open one on this entry. */
export async function insertObjection(tx: Executor, row: typeof objections.$inferInsert): Promise<boolean> {
  const r = await tx
    .insert(objections)
    .values(row)
    .onConflictDoNothing({
      target: [objections.assessmentId, objections.authorId],
      where: sql`status = 'open'`,
    })
    .returning({ id: objections.id });
  return r.length > 0;
}

export async function findObjection(db: Executor, id: string) {
  const [row] = await db.select().from(objections).where(eq(objections.id, id)).limit(1);
  return row;
}

export async function resolveObjection(
  tx: Executor,
  id: string,
  r: { status: 'kept' | 'removed'; resolution: string; by: string; at: Date },
): Promise<boolean> {
  const rows = await tx
    .update(objections)
    .set({ status: r.status, resolution: r.resolution, resolvedBy: r.by, resolvedAt: r.at })
    .where(and(eq(objections.id, id), eq(objections.status, 'open')))
    .returning({ id: objections.id });
  return rows.length > 0;
}

/** The officer's queue: objections of a campaign's postings with the entry's record. */
export async function objectionQueue(db: Executor, campaignId: string, status?: ObjectionRow['status']) {
  return db
    .select({
      o: objections,
      subjectName: assessments.subjectName,
      subjectType: assessments.subjectType,
      assessmentState: assessments.state,
      verifiedTotal: assessments.verifiedTotal,
      authorName: users.displayName,
    })
    .from(objections)
    .innerJoin(postings, eq(postings.id, objections.postingId))
    .innerJoin(assessments, eq(assessments.id, objections.assessmentId))
    .leftJoin(users, eq(users.id, objections.authorId))
    .where(and(eq(postings.campaignId, campaignId), status ? eq(objections.status, status) : undefined))
    .orderBy(asc(objections.createdAt), asc(objections.id))
    .limit(1000);
}

/** What stands between these hamlets and a decision: windows still open, objections unresolved. */
export async function decisionBlockers(
  db: Executor,
  q: { campaignId: string; subjectType: SubjectType; hamletIds: string[]; now: Date },
) {
  if (q.hamletIds.length === 0) return { openWindows: [] as PostingRow[], unresolved: 0 };
  const mine = and(
    eq(postings.campaignId, q.campaignId),
    eq(postings.subjectType, q.subjectType),
    inArray(postings.hamletId, q.hamletIds),
  );
  const openWindows = await db
    .select()
    .from(postings)
    .where(and(mine, gt(postings.endsAt, q.now)));
  const [u] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(objections)
    .innerJoin(postings, eq(postings.id, objections.postingId))
    .where(and(mine, eq(objections.status, 'open'), eq(objections.kind, 'objection')));
  return { openWindows, unresolved: Number(u?.n ?? 0) };
}

/** Entries an officer took off the posted list after an objection, with the latest reason. */
export async function removedEntries(db: Executor, assessmentIds: string[]): Promise<Map<string, string>> {
  if (assessmentIds.length === 0) return new Map();
  const rows = await db
    .select({ assessmentId: objections.assessmentId, resolution: objections.resolution })
    .from(objections)
    .where(and(inArray(objections.assessmentId, assessmentIds), eq(objections.status, 'removed')))
    .orderBy(asc(objections.resolvedAt));
  return new Map(rows.map((r) => [r.assessmentId, r.resolution ?? '']));
}

export async function entryNames(db: Executor, assessmentIds: string[]) {
  if (assessmentIds.length === 0) return [];
  return db
    .select({ id: assessments.id, subjectName: assessments.subjectName })
    .from(assessments)
    .where(inArray(assessments.id, assessmentIds));
}
