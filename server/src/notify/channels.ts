import { and, count, desc, eq, gte, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/types.ts';
import { outbox, users, zaloGroups, zaloWebhookEvents } from '../db/schema/index.ts';
import type { MiniAppNotifyClient, OaClient, ZbsClient } from '../zalo/index.ts';
import { inVnWindow, nextVnHour, startOfVnDay, tomorrowMorning, DAY_MS } from './time.ts';
import type { DeliveryChannel, DeliveryPayload, MessageKind } from './types.ts';

/**
 * One sender per channel. A sender either sends (and returns Zalo's message id), throws a
 * ZaloError for the dispatcher to classify, or decides without calling Zalo:
 * - `skip`: this channel cannot reach the person (not eligible, no group, no template) → fallback;
 * - `defer`: not now (quiet hours, one-a-day, daily cap) → same channel later;
 * - `log_only`: Zalo is not configured at all (the demo): recorded in the log, nothing sent.
 */
export type SendDecision =
  | { type: 'sent'; providerMessageId: string | null }
  | { type: 'log_only'; note: string }
  | { type: 'skip'; reason: string }
  | { type: 'defer'; until: Date; reason: string };

export interface OutboxRow {
  id: number;
  kind: string;
  channel: string;
  recipient: string;
  payload: DeliveryPayload;
  attempts: number;
}

export interface ChannelsConfig {
  oa: OaClient | null;
  zbs: ZbsClient | null;
  /** ZBS template id per message kind; a kind without one is not sent by ZBS. */
  zbsTemplates: Partial<Record<MessageKind, string>>;
  miniapp: MiniAppNotifyClient | null;
  miniappTemplateId: string | null;
  miniappDailyCap: number;
  /** Base for deep links the user taps, e.g. https://zalo.me/s/<miniAppId> */
  deepLinkBase: string | null;
}

const SEVEN_DAYS_MS = 7 * DAY_MS;
/** Practical GMF text cap (zalo.md §4.3: one adapter chunks at 1800). Our texts are far shorter. */
const GROUP_TEXT_MAX = 1800;

export function createChannels(db: Executor, cfg: ChannelsConfig) {
  const configured: Record<DeliveryChannel, boolean> = {
    gmf: cfg.oa !== null,
    miniapp: cfg.miniapp !== null && cfg.miniappTemplateId !== null,
    zbs: cfg.zbs !== null && Object.keys(cfg.zbsTemplates).length > 0,
  };
  /** Nothing Zalo is configured: the demo. Every delivery is logged only. */
  const demo = !configured.gmf && !configured.miniapp && !configured.zbs;
  const link = (path: string | null) => (path && cfg.deepLinkBase ? `${cfg.deepLinkBase}${path}` : (cfg.deepLinkBase ?? undefined));

  async function person(userId: string) {
    const [u] = await db
      .select({
        zaloId: users.zaloId,
        status: users.status,
        lastOpenedAt: users.lastOpenedAt,
        notificationsAllowed: users.notificationsAllowed,
      })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return u ?? null;
  }

  async function sendGroup(row: OutboxRow): Promise<SendDecision> {
    const [g] = await db.select().from(zaloGroups).where(eq(zaloGroups.unitId, row.recipient)).limit(1);
    if (!g) return { type: 'skip', reason: 'Đơn vị chưa được gắn nhóm Zalo OA (zalo_groups)' };
    if (g.status !== 'active') return { type: 'skip', reason: 'Nhóm Zalo OA đang bị vô hiệu (gói GMF hết hạn?)' };
    const text = row.payload.text.length > GROUP_TEXT_MAX ? `${row.payload.text.slice(0, GROUP_TEXT_MAX - 1)}…` : row.payload.text;
    const res = await cfg.oa!.sendGroupMessage({ groupId: g.groupId, text });
    return { type: 'sent', providerMessageId: res.messageId };
  }

  async function sendMiniApp(row: OutboxRow, now: Date): Promise<SendDecision> {
    const u = await person(row.recipient);
    if (!u || u.status !== 'active' || !u.zaloId) return { type: 'skip', reason: 'Người nhận chưa liên kết Zalo' };
    if (!u.notificationsAllowed) return { type: 'skip', reason: 'Người nhận chưa cho phép thông báo Mini App' };
    if (!u.lastOpenedAt || now.getTime() - u.lastOpenedAt.getTime() > SEVEN_DAYS_MS) {
      return { type: 'skip', reason: 'Người nhận không mở Mini App trong 7 ngày qua' };
    }
    // zalo.md §4.5: 06:00–22:00 only, one per user per day, an app-wide daily cap.
    if (!inVnWindow(now, 6, 22)) return { type: 'defer', until: nextVnHour(now, 6), reason: 'Ngoài giờ gửi thông báo (06:00–22:00)' };
    const dayStart = startOfVnDay(now);
    const sentToday = and(
      eq(outbox.channel, 'miniapp'),
      eq(outbox.status, 'sent'),
      gte(outbox.sentAt, dayStart),
      isNull(sql`${outbox.payload}->>'outcome'`),
    );
    const [mine] = await db.select({ n: count() }).from(outbox).where(and(sentToday, eq(outbox.recipient, row.recipient)));
    if ((mine?.n ?? 0) > 0) return { type: 'defer', until: tomorrowMorning(now), reason: 'Mỗi người chỉ nhận 1 thông báo Mini App mỗi ngày' };
    const [all] = await db.select({ n: count() }).from(outbox).where(sentToday);
    if ((all?.n ?? 0) >= cfg.miniappDailyCap) {
      return { type: 'defer', until: tomorrowMorning(now), reason: 'Đã hết hạn mức thông báo Mini App trong ngày' };
    }
    const p = row.payload;
    const res = await cfg.miniapp!.sendNotification({
      userId: u.zaloId,
      templateId: cfg.miniappTemplateId!,
      templateData: {
        title: p.title,
        contentTitle: p.title,
        contentDescription: p.text.length > 250 ? `${p.text.slice(0, 249)}…` : p.text,
        buttonText: 'Xem chi tiết',
        ...(link(p.link) ? { buttonUrl: link(p.link)! } : {}),
      },
    });
    const raw = res.raw as Record<string, unknown> | null;
    const id = raw && typeof raw === 'object' ? (raw['msgId'] ?? raw['message_id'] ?? raw['msg_id']) : undefined;
    return { type: 'sent', providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
  }

  /**
   * ZBS by UID needs the OA-scoped user id (zalo.md §6.1), which only OA webhooks reveal: follow
   * and user_send_* events carry it next to user_id_by_app. The latest one wins.
   */
  async function oaUserId(zaloId: string): Promise<string | null> {
    const [row] = await db
      .select({
        id: sql<string | null>`coalesce(${zaloWebhookEvents.payload}->'follower'->>'id', ${zaloWebhookEvents.payload}->'sender'->>'id')`,
      })
      .from(zaloWebhookEvents)
      .where(
        and(
          sql`${zaloWebhookEvents.payload}->>'user_id_by_app' = ${zaloId}`,
          or(eq(zaloWebhookEvents.eventName, 'follow'), sql`${zaloWebhookEvents.eventName} like 'user_send_%'`),
        ),
      )
      .orderBy(desc(zaloWebhookEvents.receivedAt))
      .limit(1);
    return row?.id ?? null;
  }

  async function sendZbs(row: OutboxRow, now: Date): Promise<SendDecision> {
    const templateId = cfg.zbsTemplates[row.kind as MessageKind];
    if (!templateId) return { type: 'skip', reason: `Chưa có mẫu ZBS cho loại tin ${row.kind}` };
    const u = await person(row.recipient);
    if (!u || u.status !== 'active' || !u.zaloId) return { type: 'skip', reason: 'Người nhận chưa liên kết Zalo' };
    const uid = await oaUserId(u.zaloId);
    if (!uid) return { type: 'skip', reason: 'Chưa biết mã người dùng theo OA (người nhận chưa quan tâm/nhắn OA)' };
    // Night window for template sends (zalo.md §4.4, -133): don't try, just wait for the morning.
    if (!inVnWindow(now, 6, 22)) return { type: 'defer', until: nextVnHour(now, 6), reason: 'Ngoài giờ gửi tin ZBS (06:00–22:00)' };
    const p = row.payload;
    const res = await cfg.zbs!.sendTemplateByUid({
      userId: uid,
      templateId,
      // Template params as registered (docs/zalo-setup.md): title ≤ 100, content ≤ 400, url ≤ 200.
      templateData: {
        title: p.title.slice(0, 100),
        content: p.text.length > 400 ? `${p.text.slice(0, 399)}…` : p.text,
        url: (link(p.link) ?? '').slice(0, 200),
      },
    });
    return { type: 'sent', providerMessageId: res.messageId };
  }

  return {
    demo,
    configured,
    async send(row: OutboxRow, now: Date): Promise<SendDecision> {
      const channel = row.channel as DeliveryChannel;
      if (demo) return { type: 'log_only', note: 'Zalo chưa được cấu hình: chỉ ghi nhật ký và hộp thư trong ứng dụng' };
      if (!configured[channel]) return { type: 'skip', reason: `Kênh ${channel} chưa được cấu hình` };
      switch (channel) {
        case 'gmf':
          return sendGroup(row);
        case 'miniapp':
          return sendMiniApp(row, now);
        case 'zbs':
          return sendZbs(row, now);
        default:
          return { type: 'skip', reason: `Kênh không xác định: ${String(row.channel)}` };
      }
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
