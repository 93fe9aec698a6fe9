import { eq, inArray } from 'drizzle-orm';
import type { MeDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import { adminUnits, households, users, type ConsentPurpose } from '../../db/schema/index.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { appendConsents, consentLog, liveConsents } from './consents.repo.ts';
import { CONSENT_TEXTS, CONSENT_VERSION } from './consent-texts.ts';
import { touchLastOpened } from './users.repo.ts';

export function createMeService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function describe(actor: Actor): Promise<MeDto> {
    const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
    if (!user) throw notFound();
    let household: MeDto['household'] = null;
    if (user.householdId) {
      const [h] = await db.select().from(households).where(eq(households.id, user.householdId));
      if (h) {
        const names = await db
          .select({ id: adminUnits.id, name: adminUnits.name })
          .from(adminUnits)
          .where(inArray(adminUnits.id, [h.hamletId, h.groupId]));
        const name = (id: string) => names.find((n) => n.id === id)?.name ?? '';
        household = {
          id: h.id,
          headName: h.headName,
          address: h.address,
          communeId: h.communeId,
          hamletId: h.hamletId,
          groupId: h.groupId,
          hamletName: name(h.hamletId),
          groupName: name(h.groupId),
        };
      }
    }
    return {
      id: user.id,
      displayName: user.displayName,
      phone: user.phone,
      roles: actor.roles.map(({ role, unitId, unitLevel, unitName }) => ({ role, unitId, unitLevel, unitName })),
      householdId: user.householdId,
      personId: user.personId,
      household,
      consents: liveConsents(await consentLog(db, user.id)),
    };
  }

  return {
    async me(actor: Actor): Promise<MeDto> {
      // Opening the app counts as "interaction" for Zalo's 7-day notification window.
      await touchLastOpened(db, actor.userId, clock.now());
      return describe(actor);
    },

    async consents(actor: Actor) {
      const log = await consentLog(db, actor.userId);
      return {
        version: CONSENT_VERSION,
        texts: CONSENT_TEXTS,
        live: liveConsents(log),
        log: log.map((r) => ({ purpose: r.purpose, action: r.action, textVersion: r.textVersion, at: r.at.toISOString() })),
      };
    },

    async grant(actor: Actor, purposes: ConsentPurpose[], textVersion: string, channel: string) {
      if (textVersion !== CONSENT_VERSION) {
        throw badRequest('Nội dung đồng ý đã được cập nhật. Vui lòng đọc lại và xác nhận.', 'CONSENT_TEXT_OUTDATED');
      }
      await appendConsents(db, actor.userId, purposes, 'grant', clock.now(), channel);
      return this.consents(actor);
    },

    async withdraw(actor: Actor, purposes: ConsentPurpose[], channel: string) {
      await appendConsents(db, actor.userId, purposes, 'withdraw', clock.now(), channel);
      if (purposes.includes('notifications')) {
        await db.update(users).set({ notificationsAllowed: false }).where(eq(users.id, actor.userId));
      }
      return this.consents(actor);
    },

    /** Throws unless the caller's consent for the purpose is live (submissions, uploads). */
    async requireConsent(executor: Db, userId: string, purpose: ConsentPurpose): Promise<void> {
      const live = liveConsents(await consentLog(executor, userId));
      if (!live[purpose]) {
        throw forbidden(
          purpose === 'photos'
            ? 'Bạn cần đồng ý cho phép gửi ảnh minh chứng trước khi tải ảnh.'
            : 'Bạn cần đồng ý cho phép sử dụng thông tin để đánh giá trước khi nộp.',
          'CONSENT_REQUIRED',
        );
      }
    },
  };
}

export type MeService = ReturnType<typeof createMeService>;
