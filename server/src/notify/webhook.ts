import { parseJsonPreservingIds, verifyWebhookSignature, type WebhookSignatureVariant } from '../zalo/index.ts';
import type { Logger } from './alerts.ts';
import type { WebhookRepo } from './webhook.repo.ts';

/**
 * Inbound OA webhooks (docs/zalo.md §7): verify the signature over the RAW bytes,
 * store the event once (keyed by Zalo's msg_id, or event+sender+timestamp when there is none),
 * acknowledge, and process afterwards — Zalo wants HTTP 200 within 2 s and retries otherwise.
 * Unprocessed events are picked up again by the loop, so a crash after the ack loses nothing.
 */
export interface WebhookConfig {
  appId: string | undefined;
  oaId: string | undefined;
  oaSecretKey: string | undefined;
  appSecret: string | undefined;
  variants: WebhookSignatureVariant[];
}

export type WebhookReceipt =
  | { status: 200; eventId: string; duplicate: boolean }
  | { status: 401; reason: string }
  | { status: 400; reason: string }
  | { status: 503; reason: string };

type Payload = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
const obj = (v: unknown): Payload => (typeof v === 'object' && v !== null ? (v as Payload) : {});

export function eventIdOf(p: Payload): string {
  const msgId = str(obj(p['message'])['msg_id']);
  if (msgId) return `msg:${msgId}`;
  const who = str(obj(p['sender'])['id']) ?? str(obj(p['follower'])['id']) ?? str(p['user_id_by_app']) ?? '';
  return `${str(p['event_name']) ?? 'unknown'}:${who}:${str(p['timestamp']) ?? ''}`;
}

export function createWebhookIngest(deps: { repo: WebhookRepo; cfg: WebhookConfig; now: () => Date; log: Logger }) {
  const { repo, cfg } = deps;

  async function receive(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookReceipt> {
    if (!cfg.appId || (!cfg.oaSecretKey && !cfg.appSecret)) return { status: 503, reason: 'webhook not configured' };
    const v = verifyWebhookSignature({
      rawBody,
      headers,
      appId: cfg.appId,
      oaSecretKey: cfg.oaSecretKey ?? '',
      ...(cfg.oaId ? { oaId: cfg.oaId } : {}),
      ...(cfg.appSecret ? { appSecret: cfg.appSecret } : {}),
      variant: cfg.variants,
      clock: { now: deps.now },
    });
    if (!v.ok) {
      deps.log.warn({ reason: v.reason }, 'zalo webhook rejected');
      return { status: 401, reason: v.reason };
    }
    const payload = obj(parseJsonPreservingIds(rawBody));
    const eventName = str(payload['event_name']);
    if (!eventName) return { status: 400, reason: 'event_name missing' };
    const eventId = eventIdOf(payload);
    const duplicate = !(await repo.insertEvent({ eventId, eventName, payload, receivedAt: deps.now() }));
    // Which variant matched is UNVERIFIED upstream: log it so ops can pin the config.
    deps.log.info({ eventName, eventId, variant: v.variant, duplicate }, 'zalo webhook stored');
    return { status: 200, eventId, duplicate };
  }

  async function apply(e: { eventName: string; payload: Payload }) {
    const p = e.payload;
    const appUserId = str(p['user_id_by_app']);
    const now = deps.now();
    switch (e.eventName) {
      case 'follow':
      case 'unfollow':
        if (appUserId) await repo.setFollowsOa(appUserId, e.eventName === 'follow', now);
        return;
      case 'delete_group': {
        const groupId = str(obj(p['group'])['id']) ?? str(p['group_id']) ?? str(obj(p['recipient'])['id']);
        if (groupId) await repo.disableGroup(groupId, now);
        return;
      }
      default:
        // user_send_* and other interactions: the stored event IS the interaction record (the
        // ZBS channel reads the OA-scoped user id from it). They do not touch lastOpenedAt, which
        // means "opened the Mini App" and gates Mini App notifications (docs/zalo.md §5).
        return;
    }
  }

  async function processPending(limit = 100): Promise<number> {
    const rows = await repo.pending(limit);
    for (const r of rows) {
      try {
        await apply({ eventName: r.eventName, payload: r.payload });
      } catch (err) {
        deps.log.error({ err, eventId: r.eventId }, 'zalo webhook processing failed');
        continue;
      }
      await repo.markProcessed(r.eventId, deps.now());
    }
    return rows.length;
  }

  return { receive, processPending };
}

export type WebhookIngest = ReturnType<typeof createWebhookIngest>;
