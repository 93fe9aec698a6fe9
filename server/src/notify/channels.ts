import type { Executor } from '../db/types.ts';
import { miniappCountsToday } from './outbox.repo.ts';
import { groupOfUnit, oaUserIdOf, personForSend } from './recipients.repo.ts';
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
/** Practical GMF text cap (docs/zalo.md §4: one adapter chunks at 1800). Our texts are far shorter. */
const GROUP_TEXT_MAX = 1800;

const groupText = (t: string) => (t.length > GROUP_TEXT_MAX ? `${t.slice(0, GROUP_TEXT_MAX - 1)}…` : t);

export function createChannels(db: Executor, cfg: ChannelsConfig) {
  const configured: Record<DeliveryChannel, boolean> = {
    gmf: cfg.oa !== null,
    miniapp: cfg.miniapp !== null && cfg.miniappTemplateId !== null,
    zbs: cfg.zbs !== null && Object.keys(cfg.zbsTemplates).length > 0,
  };
  /** Nothing Zalo is configured: the demo. Every delivery is logged only. */
  const demo = !configured.gmf && !configured.miniapp && !configured.zbs;
  const link = (path: string | null) =>
    path && cfg.deepLinkBase ? `${cfg.deepLinkBase}${path}` : (cfg.deepLinkBase ?? undefined);

  const person = (userId: string) => personForSend(db, userId);

  async function sendGroup(row: OutboxRow): Promise<SendDecision> {
    const g = await groupOfUnit(db, row.recipient);
    if (!g) return { type: 'skip', reason: 'Đơn vị chưa được gắn nhóm Zalo OA (zalo_groups)' };
    if (g.status !== 'active') return { type: 'skip', reason: 'Nhóm Zalo OA đang bị vô hiệu (gói GMF hết hạn?)' };
    const res = await cfg.oa!.sendGroupMessage({ groupId: g.groupId, text: groupText(row.payload.text) });
    return { type: 'sent', providerMessageId: res.messageId };
  }

  async function sendMiniApp(row: OutboxRow, now: Date): Promise<SendDecision> {
    const u = await person(row.recipient);
    if (!u || u.status !== 'active' || !u.zaloId) return { type: 'skip', reason: 'Người nhận chưa liên kết Zalo' };
    if (!u.notificationsAllowed) return { type: 'skip', reason: 'Người nhận chưa cho phép thông báo Mini App' };
    if (!u.lastOpenedAt || now.getTime() - u.lastOpenedAt.getTime() > SEVEN_DAYS_MS) {
      return { type: 'skip', reason: 'Người nhận không mở Mini App trong 7 ngày qua' };
    }
    // docs/zalo.md §5: 06:00–22:00 only, one per user per day, an app-wide daily cap.
    if (!inVnWindow(now, 6, 22))
      return { type: 'defer', until: nextVnHour(now, 6), reason: 'Ngoài giờ gửi thông báo (06:00–22:00)' };
    const today = await miniappCountsToday(db, startOfVnDay(now), row.recipient);
    if (today.mine > 0)
      return { type: 'defer', until: tomorrowMorning(now), reason: 'Mỗi người chỉ nhận 1 thông báo Mini App mỗi ngày' };
    if (today.all >= cfg.miniappDailyCap) {
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

  const oaUserId = (zaloId: string) => oaUserIdOf(db, zaloId);

  async function sendZbs(row: OutboxRow, now: Date): Promise<SendDecision> {
    const templateId = cfg.zbsTemplates[row.kind as MessageKind];
    if (!templateId) return { type: 'skip', reason: `Chưa có mẫu ZBS cho loại tin ${row.kind}` };
    const u = await person(row.recipient);
    if (!u || u.status !== 'active' || !u.zaloId) return { type: 'skip', reason: 'Người nhận chưa liên kết Zalo' };
    const uid = await oaUserId(u.zaloId);
    if (!uid) return { type: 'skip', reason: 'Chưa biết mã người dùng theo OA (người nhận chưa quan tâm/nhắn OA)' };
    // Night window for template sends (docs/zalo.md §6, -133): don't try, just wait for the morning.
    if (!inVnWindow(now, 6, 22))
      return { type: 'defer', until: nextVnHour(now, 6), reason: 'Ngoài giờ gửi tin ZBS (06:00–22:00)' };
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

  /** Looks for a group message among the group's latest ones (reconciling an unknown outcome). */
  async function findGroupMessage(row: OutboxRow): Promise<{ messageId: string } | null> {
    const g = await groupOfUnit(db, row.recipient);
    if (!g || !cfg.oa) return null;
    const text = groupText(row.payload.text).normalize('NFC');
    const recent = await cfg.oa.recentGroupMessages({ groupId: g.groupId, count: 50 });
    const hit = recent.find((m) => m.text.normalize('NFC') === text);
    return hit ? { messageId: hit.messageId } : null;
  }

  return {
    demo,
    configured,
    findGroupMessage,
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
