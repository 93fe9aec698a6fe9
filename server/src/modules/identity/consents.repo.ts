import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { CONSENT_PURPOSES, consents, type ConsentPurpose } from '../../db/schema/index.ts';
import { CONSENT_VERSION, consentTextHash, type ConsentAudience } from './consent-texts.ts';

export type ConsentRow = typeof consents.$inferSelect;

export async function consentLog(db: Executor, userId: string): Promise<ConsentRow[]> {
  return db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.seq));
}

/** The latest entry per purpose: all that decides whether a consent is live. */
export async function latestConsents(db: Executor, userId: string): Promise<ConsentEntry[]> {
  return db
    .selectDistinctOn([consents.purpose], {
      purpose: consents.purpose,
      action: consents.action,
      textVersion: consents.textVersion,
    })
    .from(consents)
    .where(eq(consents.userId, userId))
    .orderBy(consents.purpose, desc(consents.seq));
}

export type ConsentEntry = Pick<ConsentRow, 'purpose' | 'action' | 'textVersion'>;

/** Live = the latest entry for the purpose is a grant of the current text version. */
export function liveConsents(
  log: readonly { purpose: string; action: string; textVersion: string }[],
): Record<ConsentPurpose, boolean> {
  const out = { evaluation: false, photos: false, notifications: false } as Record<ConsentPurpose, boolean>;
  for (const purpose of CONSENT_PURPOSES) {
    const latest = log.find((r) => r.purpose === purpose);
    out[purpose] = !!latest && latest.action === 'grant' && latest.textVersion === CONSENT_VERSION;
  }
  return out;
}

export async function appendConsents(
  db: Executor,
  userId: string,
  purposes: ConsentPurpose[],
  action: 'grant' | 'withdraw',
  at: Date,
  channel: string,
  audience: ConsentAudience = 'household',
): Promise<void> {
  if (purposes.length === 0) return;
  await db.insert(consents).values(
    purposes.map((purpose) => ({
      id: randomUUID(),
      userId,
      purpose,
      action,
      textVersion: CONSENT_VERSION,
      textHash: consentTextHash(purpose, audience),
      channel,
      at,
    })),
  );
}
