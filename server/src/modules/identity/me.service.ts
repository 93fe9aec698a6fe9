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
   * read's critical path: it starts after the read and nobody waits for it.
   */
  function noteOpened(userId: string): void {
    const now = clock.now();
    const day = now.toISOString().slice(0, 10);
    if (openedOn.get(userId) === day) return;
    if (openedOn.size >= OPENED_CACHE_MAX) openedOn.clear();
    openedOn.set(userId, day);
    touchLastOpened(db, userId, now, new Date(`${day}T00:00:00.000Z`)).catch((err: unknown) => {
      openedOn.delete(userId);
      deps.log?.warn({ err }, 'last_opened_at not recorded');
    });
  }

  const service = {
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
