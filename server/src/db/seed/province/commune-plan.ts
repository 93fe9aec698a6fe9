import { CATALOG_IDS, requireCatalogSet } from '@hoctap/shared/catalog';
import type { CriteriaSet, SubjectType } from '@hoctap/shared';
import { provinceSeedId } from './names.ts';
import type { CommuneRows, ProvinceShape } from './commune-rows.ts';

/** The generated province's fixed choices: stages, unit kinds, dates, sets and message texts. */
export type Stage = 'collecting' | 'verifying' | 'decided';
export const stageOf = (hamletIndex: number): Stage =>
  hamletIndex % 10 < 3 ? 'collecting' : hamletIndex % 10 < 6 ? 'verifying' : 'decided';

export const DAY = 86_400_000;
export const UNIT_KINDS = [
  ['Trường Tiểu học', 'school'],
  ['Trường THCS', 'school'],
  ['Trường Mầm non', 'school'],
  ['Trạm Y tế xã', 'agency'],
  ['UBND xã', 'agency'],
  ['Hợp tác xã Nông nghiệp', 'cooperative'],
  ['Công ty TNHH Nông sản', 'enterprise'],
  ['Bưu điện văn hóa xã', 'agency'],
  ['Trường Tiểu học số 2', 'school'],
  ['Quỹ tín dụng nhân dân', 'other'],
] as const;
export const CDHT_GROUPS = ['nong-dan', 'cong-nhan', 'can-bo'] as const;

/** Household count of commune c (even spread, the remainder to the first communes). */
export function householdsOf(shape: ProvinceShape, c: number): number {
  const base = Math.floor(shape.households / shape.communes);
  return base + (c < shape.households % shape.communes ? 1 : 0);
}

export function campaignDates(year: number) {
  const at = (m: number, d: number) => new Date(Date.UTC(year, m - 1, d, 10));
  return {
    registrationOpensAt: at(9, 1),
    selfAssessmentDueAt: at(10, 15),
    verificationDueAt: at(10, 31),
    recognitionDueAt: at(11, 15),
    reportDueAt: at(11, 20),
  };
}

export const sets: Record<SubjectType, CriteriaSet> = {
  household: requireCatalogSet(CATALOG_IDS.household),
  clan: requireCatalogSet(CATALOG_IDS.clan),
  community: requireCatalogSet(CATALOG_IDS.community),
  unit: requireCatalogSet(CATALOG_IDS.unit),
  citizen: requireCatalogSet(CATALOG_IDS.citizen),
};

export const REMINDER_TEXT = 'Còn 7 ngày để gửi hồ sơ tự đánh giá danh hiệu học tập.';

export function groupPayload(communeId: string, eventKey: string, hamletName: string, year: number) {
  return {
    v: 1,
    communeId,
    eventKey,
    recipientLabel: `Nhóm Zalo ${hamletName}`,
    title: `Mở đợt đánh giá năm ${year}`,
    text: `UBND xã mở đợt đánh giá, công nhận danh hiệu học tập năm ${year}. Các hộ tự đánh giá trên Zalo.`,
    link: '/',
    fallback: [],
  };
}

export function personalPayload(communeId: string, eventKey: string) {
  return {
    v: 1,
    communeId,
    eventKey,
    recipientLabel: 'Chủ hộ',
    title: 'Sắp hết hạn',
    text: REMINDER_TEXT,
    link: '/',
    fallback: ['zbs'],
  };
}

export function stepsOf(max: number, step: number): number[] {
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step || 1) out.push(Math.round(v * 100) / 100);
  return out.length ? out : [0];
}

export function pickState(stage: Stage, rnd: () => number): string {
  const r = rnd();
  if (stage === 'collecting')
    return r < 0.25 ? 'draft' : r < 0.7 ? 'submitted' : r < 0.85 ? 'returned' : r < 0.98 ? 'resubmitted' : 'withdrawn';
  if (stage === 'verifying') return r < 0.2 ? 'submitted' : r < 0.65 ? 'verified' : r < 0.97 ? 'reviewed' : 'appealed';
  // "recognised" here means "decided": the engine's decision turns it into recognised or not.
  return 'recognised';
}

/** Message history: the campaign announcement in every hamlet group, a reminder to each app user. */
export function messageHistory(
  out: CommuneRows,
  ctx: {
    c: number;
    communeId: string;
    campaignId: string;
    year: number;
    hamlets: { id: string; index: number; name: string }[];
    dates: ReturnType<typeof campaignDates>;
  },
): void {
  const { c, communeId, campaignId, year, hamlets, dates } = ctx;
  const sid = provinceSeedId;
  const opened = dates.registrationOpensAt;
  for (const h of hamlets) {
    const eventKey = `campaign_opened:${campaignId}`;
    out.outbox.push([
      `${eventKey}:gmf:${h.id}`,
      'campaign_opened',
      'gmf',
      h.id,
      groupPayload(communeId, eventKey, h.name, year),
      'sent',
      1,
      opened,
      null,
      null,
      `sim-${c}-${h.index}`,
      opened,
      opened,
    ]);
  }
  for (const u of out.users) {
    const [userId, , , householdId] = u as [string, string, unknown, string | null];
    if (!householdId) continue;
    const eventKey = `deadline_reminder:${campaignId}:7`;
    const due = new Date(dates.selfAssessmentDueAt.getTime() - 7 * DAY);
    out.outbox.push([
      `${eventKey}:miniapp:${userId}`,
      'deadline_reminder',
      'miniapp',
      userId,
      personalPayload(communeId, eventKey),
      'sent',
      1,
      due,
      null,
      null,
      null,
      due,
      due,
    ]);
    out.inbox.push([
      sid(`inbox:${userId}:${eventKey}`),
      userId,
      'deadline_reminder',
      'Sắp hết hạn tự đánh giá',
      REMINDER_TEXT,
      '/',
      `${eventKey}:inbox:${userId}`,
      due,
    ]);
  }
}
