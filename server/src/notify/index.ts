import { randomInt } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Clock } from '../lib/clock.ts';
import {
  createMiniAppNotifyClient,
  createOaClient,
  createOaTokenManager,
  createZbsClient,
  type OaTokenManager,
} from '../zalo/index.ts';
import { appendAudit, hasAuditSince } from '../modules/audit/audit.repo.ts';
import { createAlerts, type Logger } from './alerts.ts';
import { createChannels } from './channels.ts';
import { createDispatcher, type DispatcherOptions, type DispatchStats } from './dispatcher.ts';
import { runReminders } from './reminders.ts';
import { createDbTokenStore } from './zalo-tokens.repo.ts';
import { createWebhookIngest } from './webhook.ts';
import { createWebhookRepo } from './webhook.repo.ts';

export { enqueueNotification, type NotificationEvent } from './enqueue.ts';

/** What the notification machinery reads of the configuration: the Zalo part and the loop's. */
export type NotifyConfig = Pick<Config, 'zalo' | 'notify'>;

/**
 * Composition of the notification machinery: Zalo clients (only those configured), the OA token
 * manager on the DB TokenStore, channels, dispatcher, reminder job, webhook ingest and the
 * in-process loop. Nothing here holds work in memory: every step can be redone from the tables.
 */
export function createNotifications(deps: {
  config: NotifyConfig;
  database: Database;
  clock: Clock;
  log: Logger;
  random?: () => number;
  fetch?: typeof fetch;
  /** Test seam: see DispatcherOptions.beforeMark (crash between send and mark). */
  beforeMark?: DispatcherOptions['beforeMark'];
}) {
  const { config, database, clock, log } = deps;
  const z = config.zalo;
  const db = database.db;
  const now = () => clock.now();
  const random = deps.random ?? (() => randomInt(0, 1_000_000) / 1_000_000);
  const alerts = createAlerts({
    trail: { hasAuditSince: (q) => hasAuditSince(db, q), appendAudit: (e) => appendAudit(db, e) },
    log,
    now,
  });
  const http = { ...(z.timeoutMs ? { timeoutMs: z.timeoutMs } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) };

  let tokens: OaTokenManager | null = null;
  if (z.appId && z.appSecret && z.oaId) {
    tokens = createOaTokenManager({
      oauthBaseUrl: z.oauthBaseUrl,
      appId: z.appId,
      appSecret: z.appSecret,
      clock,
      store: createDbTokenStore({ database, id: z.oaId, bootstrapRefreshToken: z.oaRefreshToken, now }),
      ...http,
      onRefreshFailed: (f) =>
        alerts.raise({
          code: `oa_token:${f.reason}`,
          reason:
            f.reason === 'no_token'
              ? 'Chưa có token OA: quản trị viên OA cần cấp quyền (xem docs/zalo-setup.md)'
              : `Làm mới token OA thất bại (${f.reason})${f.accessTokenStillValid ? '; token hiện tại vẫn dùng được' : ''}`,
          data: { accessTokenStillValid: f.accessTokenStillValid },
        }),
    });
  }
  const oa = tokens ? createOaClient({ baseUrl: z.oaBaseUrl, tokens, ...http }) : null;
  const zbsTemplates = tokens ? z.zbsTemplateIds : {};
  const zbs =
    tokens && Object.keys(zbsTemplates).length > 0
      ? createZbsClient({ oaBaseUrl: z.oaBaseUrl, tokens, ...http })
      : null;
  const miniapp =
    z.miniAppId && z.miniAppApiKey
      ? createMiniAppNotifyClient({
          baseUrl: z.miniAppOpenApiBaseUrl,
          apiKey: z.miniAppApiKey,
          miniAppId: z.miniAppId,
          ...http,
        })
      : null;

  const channels = createChannels(db, {
    oa,
    zbs,
    zbsTemplates,
    miniapp,
    miniappTemplateId: z.miniAppNotifyTemplateId ?? null,
    miniappDailyCap: z.miniAppDailyCap,
    deepLinkBase: z.miniAppId ? `https://zalo.me/s/${z.miniAppId}` : null,
  });
  const dispatcher = createDispatcher({
    db,
    channels,
    alerts,
    log,
    random,
    maxAttempts: config.notify.maxAttempts,
    leaseMs: config.notify.leaseMs,
    uncertainDelayMs: config.notify.uncertainDelayMs,
    ...(deps.beforeMark ? { beforeMark: deps.beforeMark } : {}),
  });
  const webhook = createWebhookIngest({
    repo: createWebhookRepo(db),
    cfg: {
      appId: z.appId,
      oaId: z.oaId,
      oaSecretKey: z.oaSecretKey,
      appSecret: z.appSecret,
      variants: z.webhookVariants,
    },
    now,
    log,
  });

  // ---- the in-process loop: non-overlapping setTimeout, started by buildApp, stopped on close ----
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let lastReminderRun = 0;
  /** Callers of afterNextTick(), released when the tick running (or next to run) has finished. */
  let tickWaiters: (() => void)[] = [];

  async function tick(): Promise<void> {
    const at = now();
    try {
      if (at.getTime() - lastReminderRun >= config.notify.reminderIntervalMs) {
        lastReminderRun = at.getTime();
        await runReminders(db, at);
      }
      await webhook.processPending();
      // Proactive refresh (~20 h into a 25 h token) even when nothing is being sent, so an idle
      // OA never lets its 3-month refresh token lapse. Failures alert through onRefreshFailed.
      if (tokens) await tokens.getAccessToken().catch(() => undefined);
      // Drain what is due, batch by batch, but yield between batches.
      for (let i = 0; i < 10; i++) {
        const s = await dispatcher.dispatchOnce({ now: now(), limit: config.notify.batchSize });
        if (s.claimed < config.notify.batchSize || stopped) break;
      }
    } catch (err) {
      log.error({ err }, 'notification loop tick failed');
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = null;
        const waiters = tickWaiters;
        tickWaiters = [];
        for (const release of waiters) release();
        schedule();
      });
    }, config.notify.intervalMs);
    timer.unref();
  }

  return {
    channels,
    tokens,
    alerts,
    webhook,
    demo: channels.demo,
    dispatchOnce: (o: { now?: Date; limit?: number } = {}): Promise<DispatchStats> =>
      dispatcher.dispatchOnce({ now: o.now ?? now(), limit: o.limit ?? config.notify.batchSize }),
    runReminders: (at: Date = now()) => runReminders(db, at),
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    /** Resolves once the loop has completed one more tick: lets a test observe the loop without sleeping. */
    afterNextTick: (): Promise<void> => new Promise((resolve) => tickWaiters.push(resolve)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
