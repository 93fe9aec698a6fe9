import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@hoctap/server/db/types.ts';
import {
  adminUnits,
  assessmentCounts,
  assessments,
  campaigns,
  households,
  outbox,
  roleAssignments,
  users,
  zaloGroups,
  zaloTokens,
  zaloWebhookEvents,
} from '@hoctap/server/db/schema/index.ts';
import { enqueueNotification, type NotificationEvent } from '@hoctap/server/notify/enqueue.ts';

/**
 * A small commune for notification tests, inserted directly with drizzle (the workflow and
 * registry routes are built elsewhere; these tests must not depend on them).
 */

export interface HamletSpec {
  name: string;
  households: number;
  /** How many households handed in their self-assessment (state 'submitted'). */
  submitted?: number;
  /** Of those, how many the commune recognised (state 'recognised'). */
  recognised?: number;
  /** Household users (linked to the first N households). */
  users?: number;
}

export interface World {
  communeId: string;
  communeName: string;
  campaignId: string;
  officerId: string;
  hamlets: {
    id: string;
    name: string;
    toId: string;
    leaderId: string;
    headId: string;
    householdIds: string[];
    users: { userId: string; householdId: string; zaloId: string }[];
  }[];
}

let seq = 0;
/** A Zalo-like numeric id (> 2^53, a string). */
export const zaloIdFor = () => `81${String(Date.now()).slice(-8)}${String(++seq).padStart(9, '0')}`;

export async function buildWorld(
  db: Db,
  opts: { now: Date; selfDueAt: Date; verifyDueAt?: Date; hamlets: HamletSpec[]; year?: number },
): Promise<World> {
  const { now } = opts;
  const provinceId = randomUUID();
  const communeId = randomUUID();
  const communeName = 'Xã Mỹ An';
  const officerId = randomUUID();
  await db.insert(adminUnits).values([
    {
      id: provinceId,
      level: 'province',
      kind: 'tỉnh',
      name: 'Tỉnh Đồng Tháp',
      path: `/${provinceId}/`,
      createdAt: now,
    },
    {
      id: communeId,
      level: 'commune',
      kind: 'xã',
      name: communeName,
      parentId: provinceId,
      path: `/${provinceId}/${communeId}/`,
      createdAt: now,
    },
  ]);
  await db.insert(users).values({ id: officerId, displayName: 'Cán bộ Lê Văn Xã', devLogin: true });
  await db.insert(roleAssignments).values({ id: randomUUID(), userId: officerId, role: 'officer', unitId: communeId });

  const campaignId = randomUUID();
  const verifyDueAt = opts.verifyDueAt ?? new Date(opts.selfDueAt.getTime() + 14 * 86_400_000);
  await db.insert(campaigns).values({
    id: campaignId,
    communeId,
    year: opts.year ?? 2026,
    title: 'Bình xét danh hiệu học tập 2026',
    criteriaSetIds: { household: 'gdht-448-2015-v1' },
    registrationOpensAt: new Date(opts.selfDueAt.getTime() - 30 * 86_400_000),
    selfAssessmentDueAt: opts.selfDueAt,
    verificationDueAt: verifyDueAt,
    recognitionDueAt: new Date(verifyDueAt.getTime() + 7 * 86_400_000),
    reportDueAt: new Date(verifyDueAt.getTime() + 14 * 86_400_000),
    createdBy: officerId,
  });

  const world: World = { communeId, communeName, campaignId, officerId, hamlets: [] };
  const communeCounts = new Map<string, number>();
  for (const h of opts.hamlets) {
    const hamletId = randomUUID();
    const toId = randomUUID();
    const communePath = `/${provinceId}/${communeId}/`;
    await db.insert(adminUnits).values([
      {
        id: hamletId,
        level: 'hamlet',
        kind: 'ấp',
        name: h.name,
        parentId: communeId,
        path: `${communePath}${hamletId}/`,
        createdAt: now,
      },
      {
        id: toId,
        level: 'group',
        kind: 'tổ nhân dân tự quản',
        name: 'Tổ 1',
        parentId: hamletId,
        path: `${communePath}${hamletId}/${toId}/`,
        createdAt: now,
      },
    ]);
    const leaderId = randomUUID();
    const headId = randomUUID();
    await db.insert(users).values([
      { id: leaderId, displayName: `Tổ trưởng ${h.name}`, devLogin: true },
      { id: headId, displayName: `Trưởng ấp ${h.name}`, devLogin: true },
    ]);
    await db.insert(roleAssignments).values([
      { id: randomUUID(), userId: leaderId, role: 'leader', unitId: toId },
      { id: randomUUID(), userId: headId, role: 'hamlet_head', unitId: hamletId },
    ]);
    const householdIds = Array.from({ length: h.households }, () => randomUUID());
    if (householdIds.length > 0) {
      await db.insert(households).values(
        householdIds.map((id, i) => ({
          id,
          communeId,
          hamletId,
          groupId: toId,
          headName: `Hộ ${h.name} ${i + 1}`,
          externalKey: `${h.name}-${i + 1}`,
          phone: null,
        })),
      );
    }
    const hamletUsers: World['hamlets'][number]['users'] = [];
    for (let i = 0; i < (h.users ?? 0); i++) {
      const userId = randomUUID();
      const zaloId = zaloIdFor();
      await db.insert(users).values({
        id: userId,
        displayName: `Nguyễn Văn ${h.name} ${i + 1}`,
        zaloId,
        householdId: householdIds[i]!,
        lastOpenedAt: now,
        notificationsAllowed: true,
        devLogin: true,
      });
      hamletUsers.push({ userId, householdId: householdIds[i]!, zaloId });
    }
    // Submitted households are the LAST ones, so the linked users (first ones) have not submitted.
    const submitted = h.submitted ?? 0;
    const recognised = h.recognised ?? 0;
    const states: string[] = [];
    for (let i = 0; i < submitted; i++) states.push(i < recognised ? 'recognised' : 'submitted');
    const subjectIds = householdIds.slice(householdIds.length - submitted);
    if (subjectIds.length > 0) {
      await db.insert(assessments).values(
        subjectIds.map((subjectId, i) => ({
          id: randomUUID(),
          campaignId,
          subjectType: 'household' as const,
          subjectId,
          subjectName: `Hộ ${i}`,
          communeId,
          hamletId,
          groupId: toId,
          criteriaSetId: 'gdht-448-2015-v1',
          state: states[i]!,
          createdBy: officerId,
        })),
      );
    }
    const byState = new Map<string, number>();
    for (const s of states) byState.set(s, (byState.get(s) ?? 0) + 1);
    for (const [state, n] of byState) {
      await setCount(db, campaignId, hamletId, state, n);
      communeCounts.set(state, (communeCounts.get(state) ?? 0) + n);
    }
    world.hamlets.push({ id: hamletId, name: h.name, toId, leaderId, headId, householdIds, users: hamletUsers });
  }
  for (const [state, n] of communeCounts) await setCount(db, campaignId, communeId, state, n);
  return world;
}

export async function setCount(
  db: Db,
  campaignId: string,
  unitId: string,
  state: string,
  n: number,
  subjectType: 'household' = 'household',
) {
  await db
    .insert(assessmentCounts)
    .values({ campaignId, unitId, subjectType, state, n })
    .onConflictDoUpdate({
      target: [
        assessmentCounts.campaignId,
        assessmentCounts.unitId,
        assessmentCounts.subjectType,
        assessmentCounts.state,
        assessmentCounts.slot,
      ],
      set: { n },
    });
}

export async function mapGroup(db: Db, unitId: string, groupId: string, name = 'Nhóm Khuyến học') {
  await db
    .insert(zaloGroups)
    .values({ unitId, groupId, name, status: 'active' })
    .onConflictDoUpdate({ target: zaloGroups.unitId, set: { groupId, status: 'active' } });
}

export async function seedOaToken(
  db: Db,
  oaId: string,
  pair: { accessToken: string; refreshToken: string; expiresIn: number },
  now: Date,
) {
  await db.insert(zaloTokens).values({
    id: oaId,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: new Date(now.getTime() + pair.expiresIn * 1000),
    updatedAt: now,
  });
}

/** What an OA `follow` webhook leaves behind: the link between the app-scoped and OA-scoped ids. */
export async function recordFollow(db: Db, zaloId: string, oaUserId: string, at: Date) {
  await db.insert(zaloWebhookEvents).values({
    eventId: `follow:${oaUserId}:${at.getTime()}`,
    eventName: 'follow',
    payload: {
      event_name: 'follow',
      follower: { id: oaUserId },
      user_id_by_app: zaloId,
      timestamp: String(at.getTime()),
    },
    receivedAt: at,
    processedAt: at,
  });
}

export async function emit(db: Db, event: NotificationEvent, key: string, now: Date) {
  await db.transaction((tx) => enqueueNotification(tx, event, key, now));
}

export async function outboxRows(db: Db) {
  const rows = await db.select().from(outbox);
  return rows.filter((r) => r.channel !== 'event').sort((a, b) => a.id - b.id);
}

/** Vietnam wall-clock → instant, e.g. vn('2026-10-23T09:00'). */
export const vn = (local: string) => new Date(`${local}${local.length <= 16 ? ':00' : ''}+07:00`);

/**
 * A commune decision on the households of some hamlets (all by default): their `submitted`
 * households become `not_recognised`, and every recognised or not-recognised one carries the
 * decision, with the maintained counts moved as the workflow moves them.
 */
export async function decideHamlets(db: Db, w: World, decisionId: string, hamletIds = w.hamlets.map((h) => h.id)) {
  let moved = 0;
  for (const hamletId of hamletIds) {
    const rows = await db
      .update(assessments)
      .set({ state: 'not_recognised' })
      .where(
        and(
          eq(assessments.campaignId, w.campaignId),
          eq(assessments.hamletId, hamletId),
          eq(assessments.state, 'submitted'),
        ),
      )
      .returning({ id: assessments.id });
    await db
      .update(assessments)
      .set({ decisionId })
      .where(
        and(
          eq(assessments.campaignId, w.campaignId),
          eq(assessments.hamletId, hamletId),
          inArray(assessments.state, ['recognised', 'not_recognised']),
        ),
      );
    await addCount(db, w.campaignId, hamletId, 'submitted', -rows.length);
    await addCount(db, w.campaignId, hamletId, 'not_recognised', rows.length);
    moved += rows.length;
  }
  await addCount(db, w.campaignId, w.communeId, 'submitted', -moved);
  await addCount(db, w.campaignId, w.communeId, 'not_recognised', moved);
}

async function addCount(db: Db, campaignId: string, unitId: string, state: string, delta: number) {
  const [row] = await db
    .select()
    .from(assessmentCounts)
    .where(
      and(
        eq(assessmentCounts.campaignId, campaignId),
        eq(assessmentCounts.unitId, unitId),
        eq(assessmentCounts.subjectType, 'household'),
        eq(assessmentCounts.state, state),
      ),
    );
  await setCount(db, campaignId, unitId, state, (row?.n ?? 0) + delta);
}
