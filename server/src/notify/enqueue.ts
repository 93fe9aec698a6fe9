import type { Executor } from '../db/types.ts';
import { outbox } from '../db/schema/index.ts';

/**
 * What the workflow tells the notification system. Callers pass their transaction's `tx`, so the
 * event commits (or rolls back) together with the state change that caused it.
 */
export type NotificationEvent =
  | { kind: 'campaign_opened'; campaignId: string; communeId: string; year: number; selfAssessmentDueAt: string }
  | {
      kind: 'assessment_returned';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      /** The household's (or subject owner's) users. */
      recipientUserIds: string[];
      indicatorCodes: string[];
      comment: string | null;
    }
  | { kind: 'assessment_verified'; assessmentId: string; campaignId: string; subjectName: string; recipientUserIds: string[] }
  | {
      kind: 'assessment_decided';
      assessmentId: string;
      campaignId: string;
      subjectName: string;
      subjectType: string;
      recipientUserIds: string[];
      recognised: boolean;
      reasons: string[];
      decisionNumber: string;
    }
  | { kind: 'decision_published'; decisionId: string; campaignId: string; communeId: string; subjectType: string };

/**
 * Writes the event to the outbox. The notifications module expands it into per-channel,
 * per-recipient deliveries (inbox, Mini App notification, OA group, ZBS) with dedupe keys.
 * `eventKey` must be stable for the same business fact (e.g. `returned:<assessmentId>:<version>`)
 * so a retried request never enqueues twice.
 */
export async function enqueueNotification(tx: Executor, event: NotificationEvent, eventKey: string, now: Date): Promise<void> {
  await tx
    .insert(outbox)
    .values({
      dedupeKey: `event:${eventKey}`,
      kind: event.kind,
      channel: 'event',
      recipient: '*',
      payload: event as unknown as Record<string, unknown>,
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing();
}
