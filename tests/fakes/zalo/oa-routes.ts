import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { vnDay, vnHour, type FakeClock } from './clock.ts';
import { header, hexId, zaloError, type FakeState, type FakeZaloOptions } from './state.ts';

/**
 * OA Open API (docs/zalo.md §4, §6, §10): GMF group message, group list, consultation message,
 * ZBS template by UID, ZNS/ZBS template by phone. All take the OA token in `access_token`.
 */

export const OA_CODES = {
  invalidToken: -216,
  removedToken: -220,
  rateLimited: -32,
  noInteraction: -230,
  groupDisabled: -237,
  invalidParam: -201, // unknown group, empty/too-long text (fake's choice of code: UNVERIFIED)
  templateNotApproved: -131,
  invalidPhone: -108,
  dailyQuota: -144,
  nightBan: -133,
} as const;

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const TEXT_MAX = 2000;

type Ctx = { opts: FakeZaloOptions; state: FakeState; clock: FakeClock };

export function registerOaRoutes(app: FastifyInstance, ctx: Ctx) {
  const { opts, state, clock } = ctx;
  const expiredCode = opts.expiredTokenCode ?? OA_CODES.invalidToken;
  const limit = opts.rateLimitPerMinute ?? 4000;

  /** Auth + app-level rate limit; returns a reply when the request must stop here. */
  function guard(req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const minute = Math.floor(clock.nowMs() / 60_000);
    if (state.rate.minute !== minute) state.rate = { minute, count: 0 };
    state.rate.count += 1;
    const remain = Math.max(0, limit - state.rate.count);
    reply.header('X-RateLimit-Limit', String(limit)).header('X-RateLimit-Remain', String(remain));
    if (state.rate.count > limit) return zaloError(reply, OA_CODES.rateLimited, 'App has reached the API rate limit');

    const at = header(req.headers, 'access_token');
    const rec = at ? state.oaAccessTokens.get(at) : undefined;
    if (!rec) return zaloError(reply, OA_CODES.invalidToken, 'Access token is invalid');
    if (rec.revoked) return zaloError(reply, OA_CODES.removedToken, 'Access token expired or removed');
    if (clock.nowMs() >= rec.expiresAt) return zaloError(reply, expiredCode, 'Access token is invalid (expired)');
    return null;
  }

  const deliver = (channel: FakeState['delivered'][number]['channel'], recipient: string, payload: unknown) => {
    const messageId = hexId();
    state.delivered.push({ channel, recipient, messageId, at: clock.now(), payload });
    return messageId;
  };

  const textProblem = (message: unknown): string | null => {
    const m = (message ?? {}) as { text?: unknown; attachment?: unknown };
    if (m.attachment !== undefined) return null;
    if (typeof m.text !== 'string' || m.text.length === 0) return 'message.text is required';
    if (m.text.length > TEXT_MAX) return `message.text exceeds ${TEXT_MAX} characters`;
    return null;
  };

  app.post('/v3.0/oa/group/message', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const body = (req.body ?? {}) as { recipient?: { group_id?: string }; message?: unknown };
    const groupId = body.recipient?.group_id;
    const group = groupId ? state.groups.get(groupId) : undefined;
    if (!groupId || !group) return zaloError(reply, OA_CODES.invalidParam, 'Group not found');
    if (group.status === 'disabled') return zaloError(reply, OA_CODES.groupDisabled, 'The group is disabled');
    const problem = textProblem(body.message);
    if (problem) return zaloError(reply, OA_CODES.invalidParam, problem);
    const messageId = deliver('gmf', groupId, body.message);
    return reply.send({ data: { message_id: messageId, group_id: groupId }, error: 0, message: 'Success' });
  });

  // Latest messages of a group, newest first (docs/zalo.md §4 "History"; item shape UNVERIFIED:
  // the fake's choice is { message_id, src, type, message, time }).
  app.get('/v3.0/oa/group/conversation', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const q = req.query as Record<string, string>;
    const group = q['group_id'] ? state.groups.get(q['group_id']) : undefined;
    if (!group) return zaloError(reply, OA_CODES.invalidParam, 'Group not found');
    const offset = Number(q['offset'] ?? 0);
    const count = Number(q['count'] ?? 5);
    const items = state.delivered
      .filter((d) => d.channel === 'gmf' && d.recipient === group.groupId)
      .reverse()
      .slice(offset, offset + count)
      .map((d) => ({
        message_id: d.messageId,
        src: 0,
        type: 'text',
        message: (d.payload as { text?: string }).text ?? '',
        time: d.at.getTime(),
      }));
    return reply.send({ data: items, error: 0, message: 'Success' });
  });

  app.get('/v3.0/oa/group/getgroupsofoa', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const q = req.query as Record<string, string>;
    const offset = Number(q['offset'] ?? 0);
    const count = Number(q['count'] ?? 5);
    const all = [...state.groups.values()];
    const groups = all.slice(offset, offset + count).map((g) => ({
      group_id: g.groupId,
      name: g.name,
      status: g.status,
      total_member: g.totalMember,
      group_link: g.groupLink,
    }));
    return reply.send({ data: { offset, count, total: all.length, groups }, error: 0, message: 'Success' });
  });

  app.post('/v3.0/oa/message/cs', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const body = (req.body ?? {}) as { recipient?: { user_id?: string }; message?: unknown };
    const userId = body.recipient?.user_id;
    if (!userId) return zaloError(reply, OA_CODES.invalidParam, 'recipient.user_id is required');
    const last = state.oaInteractions.get(userId);
    if (last === undefined || clock.nowMs() - last > SEVEN_DAYS_MS) {
      return zaloError(reply, OA_CODES.noInteraction, 'User has not interacted with the OA in the last 7 days');
    }
    const problem = textProblem(body.message);
    if (problem) return zaloError(reply, OA_CODES.invalidParam, problem);
    const messageId = deliver('cs', userId, body.message);
    return reply.send({ data: { message_id: messageId, user_id: userId }, error: 0, message: 'Success' });
  });

  app.post('/v3.0/oa/message/template', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const body = (req.body ?? {}) as { user_id?: string; template_id?: string; template_data?: unknown };
    if (!body.user_id || !body.template_id)
      return zaloError(reply, OA_CODES.invalidParam, 'user_id and template_id are required');
    if (state.disabledTemplates.has(body.template_id)) {
      return zaloError(reply, OA_CODES.templateNotApproved, 'Template is not approved');
    }
    state.zbsUidQuotaLeft -= 1;
    const messageId = deliver('zbs_uid', body.user_id, {
      template_id: body.template_id,
      template_data: body.template_data,
    });
    return reply.send({
      error: 0,
      message: 'Success',
      data: {
        message_id: messageId,
        user_id: body.user_id,
        sent_time: String(clock.nowMs()),
        quota: { quota_type: 'purchase_quota', remain: state.zbsUidQuotaLeft },
      },
    });
  });

  // business.openapi.zalo.me (docs/zalo.md §6). Same OA token.
  app.post('/message/template', async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const body = (req.body ?? {}) as {
      phone?: string;
      template_id?: string;
      template_data?: unknown;
      tracking_id?: string;
    };
    if (!body.template_id || !body.tracking_id || body.tracking_id.length > 48) {
      return zaloError(reply, OA_CODES.invalidParam, 'template_id and tracking_id (≤ 48 chars) are required');
    }
    if (!body.phone || !/^84\d{9,10}$/.test(body.phone.replace(/^\+/, ''))) {
      return zaloError(reply, OA_CODES.invalidPhone, 'Phone number is invalid');
    }
    if (state.disabledTemplates.has(body.template_id)) {
      return zaloError(reply, OA_CODES.templateNotApproved, 'Template is not approved');
    }
    const hour = vnHour(clock.nowMs());
    if (state.znsNightBan && (hour >= 22 || hour < 6)) {
      return zaloError(reply, OA_CODES.nightBan, 'Sending this template is not allowed at night');
    }
    const quota = opts.znsDailyQuota ?? 500;
    const day = vnDay(clock.nowMs());
    if (state.znsDayCount.day !== day) state.znsDayCount = { day, count: 0 };
    if (state.znsDayCount.count >= quota) return zaloError(reply, OA_CODES.dailyQuota, 'Daily quota exceeded');
    state.znsDayCount.count += 1;
    const msgId = deliver('zbs_phone', body.phone, {
      template_id: body.template_id,
      template_data: body.template_data,
      tracking_id: body.tracking_id,
    });
    return reply.send({
      error: 0,
      message: 'Success',
      data: {
        msg_id: msgId,
        sent_time: String(clock.nowMs()),
        sending_mode: '1',
        quota: { dailyQuota: String(quota), remainingQuota: String(quota - state.znsDayCount.count) },
      },
    });
  });
}
