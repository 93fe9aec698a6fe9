import type { FastifyInstance } from 'fastify';
import { vnDay, vnHour, type FakeClock } from './clock.ts';
import { header, hexId, zaloError, type FakeState, type FakeZaloOptions } from './state.ts';

/**
 * Mini App Open API notification (docs/zalo.md §5, rules from the doc note of 25/05/2023):
 * user opened the app in the last 7 days AND allowed notifications; one per user per day;
 * 06:00–22:00 (Vietnam time); 1000 per app per day; title ≤ 32 chars.
 * Response shape and codes are UNVERIFIED; the numbers below are ours and match
 * MINIAPP_NOTIFY_ERRORS in server/src/zalo/errors.ts (kept as literals on purpose: a fake that
 * imports the client's constants cannot catch the client disagreeing with it).
 */
export const MINIAPP_CODES = {
  unauthorized: -2100,
  notAllowed: -2101,
  notVisitedRecently: -2102,
  userDailyLimit: -2103,
  outsideWindow: -2104,
  appDailyLimit: -2105,
  invalidTemplate: -2106,
} as const;

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export function registerMiniAppRoutes(
  app: FastifyInstance,
  ctx: { opts: FakeZaloOptions; state: FakeState; clock: FakeClock },
) {
  const { opts, state, clock } = ctx;
  const cap = opts.miniAppDailyCap ?? 1000;

  app.post('/notification/template', async (req, reply) => {
    const h = req.headers as Record<string, string | string[] | undefined>;
    if (
      !opts.miniAppApiKey ||
      header(h, 'x-api-key') !== `Bearer ${opts.miniAppApiKey}` ||
      header(h, 'x-miniapp-id') !== opts.miniAppId
    ) {
      return zaloError(reply, MINIAPP_CODES.unauthorized, 'Invalid API key or Mini App id');
    }
    const userId = header(h, 'x-user-id') ?? '';
    const body = (req.body ?? {}) as { templateId?: string; templateData?: Record<string, unknown> };
    if (!body.templateId || typeof body.templateData !== 'object' || body.templateData === null) {
      return zaloError(reply, MINIAPP_CODES.invalidTemplate, 'templateId and templateData are required');
    }
    const title = body.templateData['title'];
    if (typeof title === 'string' && title.length > 32) {
      return zaloError(reply, MINIAPP_CODES.invalidTemplate, 'title must be at most 32 characters');
    }
    const now = clock.nowMs();
    const hour = vnHour(now);
    if (hour < 6 || hour >= 22)
      return zaloError(reply, MINIAPP_CODES.outsideWindow, 'Notifications are only sent 06:00-22:00');
    const user = state.miniAppUsers.get(userId);
    if (!user || !user.allowedNotifications) {
      return zaloError(reply, MINIAPP_CODES.notAllowed, 'User has not allowed notifications');
    }
    if (!user.lastOpenedAt || now - user.lastOpenedAt.getTime() > SEVEN_DAYS_MS) {
      return zaloError(reply, MINIAPP_CODES.notVisitedRecently, 'User has not opened the Mini App in the last 7 days');
    }
    const day = vnDay(now);
    if (state.miniAppSentDay.get(userId) === day) {
      return zaloError(reply, MINIAPP_CODES.userDailyLimit, 'User already received a notification today');
    }
    if (state.miniAppDayCount.day !== day) state.miniAppDayCount = { day, count: 0 };
    if (state.miniAppDayCount.count >= cap)
      return zaloError(reply, MINIAPP_CODES.appDailyLimit, 'App daily notification cap reached');

    state.miniAppDayCount.count += 1;
    state.miniAppSentDay.set(userId, day);
    const messageId = hexId();
    state.delivered.push({ channel: 'miniapp', recipient: userId, messageId, at: clock.now(), payload: body });
    return reply.send({ error: 0, message: 'Success', data: { msgId: messageId } });
  });
}
