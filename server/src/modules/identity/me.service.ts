import type { MeDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { ConsentPurpose } from '../../db/schema/index.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { appendConsents, consentLog, latestConsents, liveConsents } from './consents.repo.ts';
import { CONSENT_TEXTS, CONSENT_VERSION, consentAudience } from './consent-texts.ts';
import { loadMe, setNotificationsAllowed, touchLastOpened, type MeRecord } from './users.repo.ts';

/** Users whose "opened today" is already written, per process; cleared when it grows large. */
const OPENED_CACHE_MAX = 100_000;

export function createMeService(deps: { db: Db; clock: Clock; log?: { warn(obj: unknown, msg?: string): void } }) {
  const { db, clock } = deps;
  const openedOn = new Map<string, string>();

  /**
   * Opening the app counts as "interaction" for Zalo's 7-day notification window. A day is the
   * resolution that matters, so the write happens at most once a day per user, and never on the
   * read's critical path: it starts after the read and nobody waits for it. One statement is in
   * flight at a time and carries every user noted meanwhile: in the morning rush of a deadline
   * each first GET /me of the day wrote and committed on its own (its rate at 10 connections rose
   * by half without those writes).
   */
  const pending = new Map<string, Date>();
  let writing: Promise<void> | null = null;

  function noteOpened(userId: string): void {
    const now = clock.now();
    const day = now.toISOString().slice(0, 10);
    if (openedOn.get(userId) === day) return;
    if (openedOn.size >= OPENED_CACHE_MAX) openedOn.clear();
    openedOn.set(userId, day);
    pending.set(userId, now);
    writing ??= writeOpened();
  }

  async function writeOpened(): Promise<void> {
    try {
      while (pending.size > 0) {
        const batch = [...pending].map(([userId, at]) => ({ userId, at }));
        pending.clear();
        try {
          await touchLastOpened(db, batch);
        } catch (err) {
          for (const o of batch) openedOn.delete(o.userId);
          deps.log?.warn({ err, users: batch.length }, 'last_opened_at not recorded');
        }
      }
    } finally {
      writing = null;
    }
  }

  const service = {
    /** Resolves once every "opened" noted so far is written (shutdown, tests). */
    async openedWritten(): Promise<void> {
      while (writing) await writing;
    },

    /** Who am I: the actor (loaded by authentication) plus one round trip for the rest. */
    async me(actor: Actor): Promise<MeDto> {
      const row = await loadMe(db, actor.userId);
      if (!row) throw notFound();
      return service.meOf(actor, row);
    },

    /** The answer of GET /me from rows already read (`auth.me` reads them with the actor). */
    meOf(actor: Actor, row: MeRecord): MeDto {
      noteOpened(actor.userId);
      return {
        id: actor.userId,
        displayName: actor.displayName,
        phone: row.phone,
        roles: actor.roles.map(({ role, unitId, unitLevel, unitName }) => ({ role, unitId, unitLevel, unitName })),
        householdId: actor.householdId,
        personId: actor.personId,
        household: row.household,
        consents: liveConsents(row.consents),
      };
    },

    async consents(actor: Actor) {
      const log = await consentLog(db, actor.userId);
      return {
        version: CONSENT_VERSION,
        texts: CONSENT_TEXTS[consentAudience(actor.roles)],
        live: liveConsents(log),
        log: log.map((r) => ({
          purpose: r.purpose,
          action: r.action,
          textVersion: r.textVersion,
          at: r.at.toISOString(),
        })),
      };
    },

    async grant(actor: Actor, purposes: ConsentPurpose[], textVersion: string, channel: string) {
      if (textVersion !== CONSENT_VERSION) {
        throw badRequest('Nội dung đồng ý đã được cập nhật. Vui lòng đọc lại và xác nhận.', 'CONSENT_TEXT_OUTDATED');
      }
      await appendConsents(db, actor.userId, purposes, 'grant', clock.now(), channel, consentAudience(actor.roles));
      return service.consents(actor);
    },

    async withdraw(actor: Actor, purposes: ConsentPurpose[], channel: string) {
      await appendConsents(db, actor.userId, purposes, 'withdraw', clock.now(), channel, consentAudience(actor.roles));
      if (purposes.includes('notifications')) await setNotificationsAllowed(db, actor.userId, false);
      return service.consents(actor);
    },

    /** Throws unless the caller's consent for the purpose is live (uploads; submit reads it inline). */
    async requireConsent(executor: Db, userId: string, purpose: ConsentPurpose): Promise<void> {
      if (!liveConsents(await latestConsents(executor, userId))[purpose]) throw consentRequired(purpose);
    },
  };
  return service;
}

export function consentRequired(purpose: ConsentPurpose) {
  return forbidden(
    purpose === 'photos'
      ? 'Bạn cần đồng ý cho phép gửi ảnh minh chứng trước khi tải ảnh.'
      : 'Bạn cần đồng ý cho phép sử dụng thông tin để đánh giá trước khi nộp.',
    'CONSENT_REQUIRED',
  );
}

export type MeService = ReturnType<typeof createMeService>;
