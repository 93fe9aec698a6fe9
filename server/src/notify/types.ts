/** Channels a delivery row can target. The in-app inbox is written directly (always), not queued. */
export type DeliveryChannel = 'gmf' | 'miniapp' | 'zbs';

/** Message kinds (event kinds plus the reminder job's). Also the key for ZBS template ids. */
export type MessageKind =
  | 'campaign_opened'
  | 'assessment_submitted'
  | 'assessment_returned'
  | 'assessment_verified'
  | 'assessment_decided'
  | 'decision_published'
  | 'deadline_reminder'
  | 'leader_queue_reminder'
  | 'posting_opened'
  | 'objection_resolved';

/** What one outbox delivery row carries; rendered at enqueue time so the log shows what was said. */
/** A type alias, not an interface, so it is a JSON object (`Record<string, unknown>`) for the jsonb column. */
export type DeliveryPayload = {
  v: 1;
  /** Scopes the officers' message log. */
  communeId: string;
  eventKey: string;
  /** "Nhóm Zalo Ấp Mỹ Hòa", "Nguyễn Văn A": for the log, never sent. */
  recipientLabel: string;
  title: string;
  text: string;
  link: string | null;
  /** Channels still to try, in order, if this one cannot reach the person (personal messages). */
  fallback: DeliveryChannel[];
  /** Set by the dispatcher: the row was only logged (Zalo not configured) or skipped. */
  outcome?: 'log_only' | 'skipped';
  outcomeNote?: string;
  /** When a send's outcome became unknown (timeout after the request was written). */
  uncertainAt?: string;
  /** The one resend after an unknown outcome has been made: never another. */
  resent?: boolean;
  /** How a `reconcile` row ended: found in the group, or sent once more. */
  reconciled?: 'found' | 'resent';
};

/** Which channels a personal message of each kind tries, in order; the inbox copy always exists. */
export const PERSONAL_CHAIN: Readonly<Record<MessageKind, DeliveryChannel[]>> = {
  campaign_opened: ['miniapp', 'zbs'],
  assessment_submitted: ['miniapp'], // the verifier's work list: no paid ZBS message
  assessment_returned: ['miniapp', 'zbs'],
  assessment_verified: ['miniapp'], // informative only: not worth a paid ZBS message
  assessment_decided: ['miniapp', 'zbs'],
  decision_published: ['miniapp'],
  deadline_reminder: ['miniapp', 'zbs'],
  leader_queue_reminder: ['miniapp', 'zbs'],
  posting_opened: ['miniapp'],
  objection_resolved: ['miniapp', 'zbs'],
};

export const dedupeKeyOf = (eventKey: string, channel: string, recipient: string) =>
  `${eventKey}:${channel}:${recipient}`;
