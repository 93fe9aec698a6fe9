import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import {
  CONSENT_PURPOSES,
  answers,
  assessments,
  campaigns,
  comments,
  evidence,
  households,
  idempotencyKeys,
  inboxMessages,
  outbox,
  persons,
  refreshTokens,
  roleAssignments,
  users,
} from '../../db/schema/index.ts';

/** Every consent purpose: erasure withdraws them all. */
export const ALL_PURPOSES = CONSENT_PURPOSES;

/** Placeholders that replace names once a person's data is deleted (counts stay, people go). */
export const ERASED_NAME = 'Người dùng đã xóa dữ liệu';
export const ERASED_HOUSEHOLD = 'Hộ đã xóa dữ liệu';
export const ERASED_TEXT = '[đã xóa]';

export async function findUser(db: Executor, id: string) {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

/**
 * The assessments that are the person's own data: their household's and their own (citizen).
 * Never the ones they only created or verified as a leader: those belong to other people.
 */
export async function ownAssessments(db: Executor, u: { householdId: string | null; personId: string | null }) {
  const own = [
    u.householdId ? and(eq(assessments.subjectType, 'household'), eq(assessments.subjectId, u.householdId)) : undefined,
    u.personId ? and(eq(assessments.subjectType, 'citizen'), eq(assessments.subjectId, u.personId)) : undefined,
  ].filter((x) => x !== undefined);
  if (own.length === 0) return [];
  return db
    .select({
      a: assessments,
      campaignTitle: campaigns.title,
      campaignYear: campaigns.year,
      campaignStatus: campaigns.status,
    })
    .from(assessments)
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .where(or(...own))
    .orderBy(asc(campaigns.year), asc(assessments.createdAt));
}

export async function answersOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(answers)
    .where(inArray(answers.assessmentId, ids))
    .orderBy(asc(answers.assessmentId), asc(answers.layer), asc(answers.indicatorCode));
}

export async function commentsOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(comments).where(inArray(comments.assessmentId, ids)).orderBy(asc(comments.createdAt));
}

export async function liveEvidenceOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(evidence)
    .where(and(inArray(evidence.assessmentId, ids), isNull(evidence.deletedAt)))
    .orderBy(asc(evidence.createdAt));
}

export async function householdOf(db: Executor, id: string) {
  const [h] = await db.select().from(households).where(eq(households.id, id));
  return h;
}

export async function membersOf(db: Executor, householdId: string) {
  return db.select().from(persons).where(eq(persons.householdId, householdId)).orderBy(asc(persons.createdAt));
}

export async function personOf(db: Executor, id: string) {
  const [p] = await db.select().from(persons).where(eq(persons.id, id));
  return p;
}

export async function inboxOf(db: Executor, userId: string) {
  return db.select().from(inboxMessages).where(eq(inboxMessages.userId, userId)).orderBy(asc(inboxMessages.createdAt));
}

/** Other active accounts linked to the same household (a household may have several phones). */
export async function otherActiveMembers(db: Executor, householdId: string, userId: string) {
  const r = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.householdId, householdId), ne(users.id, userId), eq(users.status, 'active')));
  return r.length;
}

/** The account itself: identifiers and names go, the row stays (audit rows point at its id). */
export async function eraseAccount(tx: Executor, userId: string, at: Date, authVersion: string) {
  await tx
    .update(users)
    .set({
      displayName: ERASED_NAME,
      zaloId: null,
      avatarUrl: null,
      phone: null,
      phoneConsentAt: null,
      householdId: null,
      personId: null,
      status: 'deactivated',
      authVersion,
      notificationsAllowed: false,
      followsOa: false,
      devLogin: false,
      updatedAt: at,
    })
    .where(eq(users.id, userId));
  await tx.delete(refreshTokens).where(eq(refreshTokens.userId, userId));
  await tx
    .update(roleAssignments)
    .set({ revokedAt: at, revokedBy: userId })
    .where(and(eq(roleAssignments.userId, userId), isNull(roleAssignments.revokedAt)));
  await tx.delete(inboxMessages).where(eq(inboxMessages.userId, userId));
  // Stored responses can carry names; personal messages not sent yet must not go out any more.
  await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId));
  await tx.delete(outbox).where(and(eq(outbox.recipient, userId), ne(outbox.channel, 'event')));
  await tx.update(comments).set({ body: ERASED_TEXT }).where(eq(comments.authorId, userId));
}

/** The household's registry row and members: names, address and phone go; the row and size stay. */
export async function anonymiseHousehold(tx: Executor, householdId: string, at: Date) {
  await tx
    .update(households)
    .set({ headName: ERASED_HOUSEHOLD, address: '', phone: null, updatedAt: at })
    .where(eq(households.id, householdId));
  await tx
    .update(persons)
    .set({ fullName: ERASED_NAME, birthYear: null, relation: null })
    .where(eq(persons.householdId, householdId));
}

export async function anonymisePerson(tx: Executor, personId: string) {
  await tx
    .update(persons)
    .set({ fullName: ERASED_NAME, birthYear: null, relation: null })
    .where(eq(persons.id, personId));
}

/** Assessment rows keep their state and scores (the counts of past reports); free text goes. */
export async function anonymiseAssessments(tx: Executor, ids: string[], subjectName: string) {
  if (ids.length === 0) return;
  await tx.update(assessments).set({ subjectName }).where(inArray(assessments.id, ids));
  await tx.update(answers).set({ note: null }).where(inArray(answers.assessmentId, ids));
  await tx.update(comments).set({ body: ERASED_TEXT }).where(inArray(comments.assessmentId, ids));
}

/**
 * Notification history of these assessments: the event rows keep the fact (for the officers'
 * log) without the name; delivery rows keep their status without the text.
 */
export async function anonymiseNotifications(tx: Executor, ids: string[], subjectName: string) {
  if (ids.length === 0) return;
  const mine = sql`(${outbox.payload}->>'assessmentId') in (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  await tx
    .update(outbox)
    .set({ payload: sql`${outbox.payload} || jsonb_build_object('subjectName', ${subjectName}::text)` })
    .where(and(eq(outbox.channel, 'event'), mine));
  await tx
    .update(outbox)
    .set({
      payload: sql`${outbox.payload} || jsonb_build_object('text', ${ERASED_TEXT}::text, 'title', ${ERASED_TEXT}::text)`,
    })
    .where(and(ne(outbox.channel, 'event'), mine));
  // Messages sent to other people about these records (a verifier told of a submission) name the
  // subject; their event keys carry the assessment id (`submitted:<id>:<version>:…`).
  const aboutThem = (col: typeof outbox.dedupeKey | typeof inboxMessages.dedupeKey) =>
    sql`(${sql.join(
      ids.map((id) => sql`${col} like ${`%${id}%`}`),
      sql` or `,
    )})`;
  await tx
    .update(outbox)
    .set({
      payload: sql`${outbox.payload} || jsonb_build_object('text', ${ERASED_TEXT}::text, 'title', ${ERASED_TEXT}::text)`,
    })
    .where(and(ne(outbox.channel, 'event'), aboutThem(outbox.dedupeKey)));
  await tx
    .update(inboxMessages)
    .set({ title: ERASED_TEXT, body: ERASED_TEXT })
    .where(aboutThem(inboxMessages.dedupeKey));
}

/** Soft-deletes photos and forgets their location hints; returns the blob keys they used. */
export async function removeEvidence(tx: Executor, ids: string[], at: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(evidence)
    .set({ deletedAt: at, hasLocation: false })
    .where(and(inArray(evidence.id, ids), isNull(evidence.deletedAt)))
    .returning({ imageKey: evidence.imageKey, thumbKey: evidence.thumbKey, originalKey: evidence.originalKey });
  return rows.flatMap((r) => [r.imageKey, r.thumbKey, ...(r.originalKey ? [r.originalKey] : [])]);
}

/** Live photos of campaigns closed before `closedBefore` (a closed campaign's updatedAt is its closing time). */
export async function expiredEvidence(db: Executor, closedBefore: Date, limit: number) {
  return db
    .select({ id: evidence.id })
    .from(evidence)
    .innerJoin(assessments, eq(assessments.id, evidence.assessmentId))
    .innerJoin(campaigns, eq(campaigns.id, assessments.campaignId))
    .where(and(isNull(evidence.deletedAt), eq(campaigns.status, 'closed'), lt(campaigns.updatedAt, closedBefore)))
    .orderBy(asc(evidence.id))
    .limit(limit);
}

/** Does a live photo (of anyone) still use this blob? The same photo can be shared by two households. */
export async function blobInUse(db: Executor, key: string): Promise<boolean> {
  const r = await db
    .select({ id: evidence.id })
    .from(evidence)
    .where(and(or(eq(evidence.imageKey, key), eq(evidence.thumbKey, key)), isNull(evidence.deletedAt)))
    .limit(1);
  return r.length > 0;
}
