import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { BlobStore } from '../../storage/index.ts';
import { exportZip } from './export-zip.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { countsOf } from '../assessments/access.ts';
import { loadAssessmentCtx } from '../assessments/assessment-ctx.repo.ts';
import { applyTransition } from '../assessments/assessments.repo.ts';
import { TRANSITIONS } from '../assessments/transitions.ts';
import { appendConsents, consentLog } from '../identity/consents.repo.ts';
import {
  ALL_PURPOSES,
  answersOf,
  anonymiseAssessments,
  anonymiseHousehold,
  anonymiseNotifications,
  anonymisePerson,
  blobInUse,
  commentsOf,
  ERASED_HOUSEHOLD,
  ERASED_NAME,
  eraseAccount,
  expiredEvidence,
  findUser,
  householdOf,
  inboxOf,
  liveEvidenceOf,
  membersOf,
  otherActiveMembers,
  ownAssessments,
  personOf,
  removeEvidence,
} from './privacy.repo.ts';

/** Photos are kept this long after their campaign closes, unless PHOTO_RETENTION_DAYS says otherwise. */
export const DEFAULT_PHOTO_RETENTION_DAYS = 180;
const PURGE_BATCH = 500;

/**
 * The data subject's rights (personal data law 2025, decree 13/2023 → 356/2025): see everything
 * the app holds about them (export, with their photos), and withdraw and delete. Deletion removes
 * names, identifiers, free text and photos; assessment rows keep their state and scores, so the
 * counts of past reports do not change. Plus photo retention after a campaign closes.
 * Consents themselves are seen and changed through /me/consents (identity module).
 */
export function createPrivacyService(deps: {
  db: Db;
  clock: Clock;
  blobs: Pick<BlobStore, 'delete' | 'get'>;
  retentionDays: number;
}) {
  const { db, clock, blobs } = deps;

  /** Deletes blobs no live photo uses any more (rows went first, in their own transaction). */
  async function deleteUnusedBlobs(keys: string[]): Promise<number> {
    let deleted = 0;
    for (const key of new Set(keys)) {
      if (await blobInUse(db, key)) continue;
      if (await blobs.delete(key)) deleted++;
    }
    return deleted;
  }

  return {
    retentionDays: deps.retentionDays,

    /** Everything about the caller, as one JSON document; `photos` lists the files the ZIP adds. */
    async exportData(actor: Actor) {
      const u = await findUser(db, actor.userId);
      if (!u) throw notFound();
      const own = await ownAssessments(db, u);
      const ids = own.map((r) => r.a.id);
      const [answerRows, commentRows, photoRows, consentRows, inbox] = await Promise.all([
        answersOf(db, ids),
        commentsOf(db, ids),
        liveEvidenceOf(db, ids),
        consentLog(db, u.id),
        inboxOf(db, u.id),
      ]);
      const household = u.householdId ? await householdOf(db, u.householdId) : undefined;
      const members = u.householdId ? await membersOf(db, u.householdId) : [];
      const person = u.personId ? await personOf(db, u.personId) : undefined;
      const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
      const photoPath = (id: string) => `anh/${id}.jpg`;
      const data = {
        exportedAt: clock.now().toISOString(),
        account: {
          id: u.id,
          displayName: u.displayName,
          phone: u.phone,
          linkedToZalo: u.zaloId !== null,
          notificationsAllowed: u.notificationsAllowed,
          createdAt: iso(u.createdAt),
          lastOpenedAt: iso(u.lastOpenedAt),
        },
        consents: [...consentRows].reverse().map((c) => ({
          purpose: c.purpose,
          action: c.action,
          textVersion: c.textVersion,
          channel: c.channel,
          at: iso(c.at),
        })),
        household: household
          ? {
              id: household.id,
              headName: household.headName,
              address: household.address,
              phone: household.phone,
              memberCount: household.memberCount,
              members: members.map((m) => ({
                fullName: m.fullName,
                birthYear: m.birthYear,
                relation: m.relation,
                inSchool: m.inSchool,
              })),
            }
          : null,
        person: person ? { id: person.id, fullName: person.fullName, birthYear: person.birthYear } : null,
        assessments: own.map(({ a, campaignTitle, campaignYear }) => ({
          id: a.id,
          campaign: { title: campaignTitle, year: campaignYear },
          subjectType: a.subjectType,
          subjectName: a.subjectName,
          state: a.state,
          selfTotal: a.selfTotal,
          verifiedTotal: a.verifiedTotal,
          communeTotal: a.communeTotal,
          submittedAt: iso(a.submittedAt),
          verifiedAt: iso(a.verifiedAt),
          decidedAt: iso(a.decidedAt),
          certificateNo: a.certificateNo,
          answers: answerRows
            .filter((r) => r.assessmentId === a.id)
            .map((r) => ({
              layer: r.layer,
              indicatorCode: r.indicatorCode,
              points: r.points,
              note: r.note,
              reason: r.reason,
            })),
          comments: commentRows
            .filter((c) => c.assessmentId === a.id)
            .map((c) => ({
              indicatorCode: c.indicatorCode,
              body: c.body,
              byMe: c.authorId === u.id,
              at: iso(c.createdAt),
            })),
          photos: photoRows
            .filter((e) => e.assessmentId === a.id)
            .map((e) => ({
              id: e.id,
              indicatorCode: e.indicatorCode,
              // Only a processed photo has a file; one still processing (or failed) is listed without.
              file: e.state === 'ready' ? photoPath(e.id) : null,
              capturedAt: iso(e.capturedAt),
              uploadedAt: iso(e.createdAt),
              // Coordinates are never stored; only whether the photo carried a location.
              hadLocation: e.hasLocation,
            })),
        })),
        inbox: inbox.map((m) => ({
          kind: m.kind,
          title: m.title,
          body: m.body,
          at: iso(m.createdAt),
          readAt: iso(m.readAt),
        })),
      };
      const files = photoRows.filter((e) => e.state === 'ready');
      return { data, photos: files.map((e) => ({ path: photoPath(e.id), imageKey: e.imageKey, at: e.createdAt })) };
    },

    /** The same data as a ZIP: data.json and the caller's processed photos, from the configured store. */
    async exportArchive(actor: Actor) {
      const { data, photos } = await this.exportData(actor);
      return exportZip(blobs, data, photos);
    },

    /**
     * Withdraw every consent and delete the caller's personal data, in one transaction; then the
     * photo files nobody else uses. Open assessments are withdrawn (the household no longer takes
     * part); decided ones keep their state and scores under an anonymous name.
     */
    async erase(actor: Actor) {
      const now = clock.now();
      const u = await findUser(db, actor.userId);
      if (!u) throw notFound();
      const result = await db.transaction(async (tx) => {
        await appendConsents(tx, u.id, [...ALL_PURPOSES], 'withdraw', now, 'erase');
        const own = await ownAssessments(tx, u);
        const ids = own.map((r) => r.a.id);
        let withdrawn = 0;
        for (const { a, campaignStatus } of own) {
          if (campaignStatus !== 'open' || !TRANSITIONS.withdraw.from.includes(a.state as never)) continue;
          const ctx = await loadAssessmentCtx(tx, a.id);
          if (!ctx) continue;
          const ok = await applyTransition(tx, {
            id: a.id,
            version: ctx.a.version,
            from: ctx.a.state,
            to: 'withdrawn',
            set: { updatedAt: now },
            counts: countsOf(ctx),
            audit: [
              {
                at: now,
                actorId: u.id,
                onBehalfOf: null,
                action: 'withdraw',
                data: { from: ctx.a.state, reason: 'erase' },
              },
            ],
          });
          if (ok) withdrawn++;
        }
        // The household's own data goes only when no other active account still speaks for it.
        const householdErased = !!u.householdId && (await otherActiveMembers(tx, u.householdId, u.id)) === 0;
        const erasable = own.filter(({ a }) => a.subjectType === 'citizen' || householdErased).map(({ a }) => a.id);
        const photoIds = (await liveEvidenceOf(tx, erasable)).map((e) => e.id);
        const keys = await removeEvidence(tx, photoIds, now);
        const householdIds = own
          .filter(({ a }) => erasable.includes(a.id) && a.subjectType === 'household')
          .map(({ a }) => a.id);
        const citizenIds = own.filter(({ a }) => a.subjectType === 'citizen').map(({ a }) => a.id);
        await anonymiseAssessments(tx, householdIds, ERASED_HOUSEHOLD);
        await anonymiseNotifications(tx, householdIds, ERASED_HOUSEHOLD);
        await anonymiseAssessments(tx, citizenIds, ERASED_NAME);
        await anonymiseNotifications(tx, citizenIds, ERASED_NAME);
        if (householdErased) await anonymiseHousehold(tx, u.householdId!, now);
        if (u.personId) await anonymisePerson(tx, u.personId);
        await eraseAccount(tx, u.id, now, randomUUID());
        const summary = { assessments: ids.length, withdrawn, photos: photoIds.length, householdErased };
        await appendAudit(tx, {
          at: now,
          actorId: u.id,
          action: 'privacy.erased',
          entityType: 'user',
          entityId: u.id,
          data: summary,
        });
        return { ...summary, keys };
      });
      const filesDeleted = await deleteUnusedBlobs(result.keys);
      return {
        erasedAt: now.toISOString(),
        assessments: result.assessments,
        withdrawn: result.withdrawn,
        photos: result.photos,
        photoFilesDeleted: filesDeleted,
        householdErased: result.householdErased,
      };
    },

    /**
     * Retention job: photos of campaigns closed more than `retentionDays` ago are removed (rows,
     * location hints and files); scores, states and the audit trail stay. Runs in batches.
     */
    async purgeExpiredPhotos(now = clock.now()) {
      const closedBefore = new Date(now.getTime() - deps.retentionDays * 86_400_000);
      let photos = 0;
      let files = 0;
      for (let batch = 0; batch < 1000; batch++) {
        const ids = (await expiredEvidence(db, closedBefore, PURGE_BATCH)).map((r) => r.id);
        if (ids.length === 0) break;
        const keys = await db.transaction(async (tx) => {
          const k = await removeEvidence(tx, ids, now);
          await appendAudit(tx, {
            at: now,
            actorId: null,
            action: 'evidence.retention_purged',
            entityType: 'evidence',
            entityId: 'batch',
            data: { photos: ids.length, closedBefore: closedBefore.toISOString() },
          });
          return k;
        });
        photos += ids.length;
        files += await deleteUnusedBlobs(keys);
      }
      return { photos, files, closedBefore: closedBefore.toISOString() };
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
