import { formatCount, formatShare, shareOf, TITLE_LABELS, TITLE_ABBREVIATIONS } from '@hoctap/shared';
import type { TitleFigures } from '@hoctap/shared/api';
import type { SubjectType } from '../db/schema/workflow.ts';
import { ddmm } from './time.ts';

/**
 * Every text the system sends, in Vietnamese, short enough for a phone lock screen.
 * Group texts carry counts only — never a name, phone or address (docs/zalo.md §4, text hygiene):
 * an OA group is readable by everyone in the hamlet.
 */

export interface RenderedMessage {
  /** ≤ 32 characters: the Mini App notification title (docs/zalo.md §5). */
  title: string;
  text: string;
  /** Path inside the mini app (deep link), e.g. /assessments/<id>?indicator=1.2 */
  link: string | null;
}

/**
 * "Ấp Mỹ Hòa" from kind "ấp" and name "Mỹ Hòa". Names that already carry their kind stay as they
 * are ("Xã Mỹ An"; "Tổ 1" of kind "tổ nhân dân tự quản": same first word).
 */
export function unitLabel(kind: string, name: string): string {
  const first = (s: string) => s.trim().split(/\s+/)[0]!.toLocaleLowerCase('vi');
  if (first(name) === first(kind)) return name;
  return `${kind.charAt(0).toLocaleUpperCase('vi')}${kind.slice(1)} ${name}`;
}

/** Removes Zalo mention syntax ([@id]) so user-supplied text can never ping a whole group. */
export function stripMentions(s: string): string {
  return s.replace(/\[@[^\]]*\]/g, '').normalize('NFC');
}

export function truncate(s: string, max: number): string {
  const t = s.normalize('NFC');
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

export function campaignOpened(p: {
  placeLabel: string;
  year: number;
  selfDueAt: Date;
  campaignId: string;
}): RenderedMessage {
  return {
    title: `Mở đợt đánh giá năm ${p.year}`,
    text:
      `${p.placeLabel}: đã mở đợt bình xét danh hiệu học tập năm ${p.year}. ` +
      `Các hộ mở ứng dụng để đăng ký và tự đánh giá, hạn ${ddmm(p.selfDueAt)}.`,
    link: `/campaigns/${p.campaignId}`,
  };
}

export type Milestone = 'self_assessment' | 'verification';

export function reminderGroupSelf(p: {
  placeLabel: string;
  missing: number;
  dueAt: Date;
  campaignId: string;
}): RenderedMessage {
  return {
    title: 'Nhắc hạn tự đánh giá',
    text:
      p.missing > 0
        ? `${p.placeLabel} còn ${formatCount(p.missing)} hộ chưa nộp, hạn ${ddmm(p.dueAt)}.`
        : `${p.placeLabel}: tất cả các hộ đã nộp tự đánh giá, hạn ${ddmm(p.dueAt)}. Cảm ơn bà con!`,
    link: `/campaigns/${p.campaignId}`,
  };
}

export function reminderGroupVerify(p: {
  placeLabel: string;
  waiting: number;
  dueAt: Date;
  campaignId: string;
}): RenderedMessage {
  return {
    title: 'Nhắc hạn xác minh',
    text: `${p.placeLabel} còn ${formatCount(p.waiting)} hồ sơ chờ tổ xác minh, hạn ${ddmm(p.dueAt)}.`,
    link: `/campaigns/${p.campaignId}`,
  };
}

export function reminderPersonalSelf(p: { daysLeft: number; dueAt: Date; campaignId: string }): RenderedMessage {
  return {
    title: `Còn ${p.daysLeft} ngày nộp tự đánh giá`,
    text: `Gia đình mình chưa nộp bản tự đánh giá danh hiệu Gia đình học tập. Hạn nộp ${ddmm(p.dueAt)}, còn ${p.daysLeft} ngày.`,
    link: `/campaigns/${p.campaignId}/my-assessment`,
  };
}

export function reminderLeaderQueue(p: {
  placeLabel: string;
  waiting: number;
  daysLeft: number;
  dueAt: Date;
  campaignId: string;
}): RenderedMessage {
  return {
    title: `${p.waiting} hồ sơ chờ xác minh`,
    text: `${p.placeLabel} còn ${p.waiting} hồ sơ chờ anh/chị xác minh. Hạn ${ddmm(p.dueAt)}, còn ${p.daysLeft} ngày.`,
    link: `/campaigns/${p.campaignId}/queue`,
  };
}

export function assessmentReturned(p: {
  assessmentId: string;
  subjectName: string;
  indicatorCodes: string[];
  comment: string | null;
}): RenderedMessage {
  const first = p.indicatorCodes[0];
  const which = p.indicatorCodes.length > 0 ? ` (chỉ số ${p.indicatorCodes.join(', ')})` : '';
  const note = p.comment ? ` Ghi chú: “${truncate(stripMentions(p.comment), 200)}”` : '';
  return {
    title: 'Hồ sơ cần bổ sung',
    text: `Hồ sơ của ${p.subjectName} được trả lại để bổ sung${which}.${note} Vui lòng sửa và nộp lại.`,
    link: `/assessments/${p.assessmentId}${first ? `?indicator=${encodeURIComponent(first)}` : ''}`,
  };
}

/** To the verifier (the tổ leader for a household): a form arrived in their queue. */
export function assessmentSubmitted(p: {
  assessmentId: string;
  subjectName: string;
  resubmitted: boolean;
}): RenderedMessage {
  return p.resubmitted
    ? {
        title: 'Hồ sơ đã được gửi lại',
        text: `${p.subjectName} đã sửa và gửi lại hồ sơ. Mời bạn xem lại các chỉ số đã trả lại và xác minh.`,
        link: `/review/${p.assessmentId}`,
      }
    : {
        title: 'Có hồ sơ mới cần xác minh',
        text: `${p.subjectName} đã gửi hồ sơ tự đánh giá. Mời bạn xem và xác minh.`,
        link: `/review/${p.assessmentId}`,
      };
}

export function assessmentVerified(p: { assessmentId: string; subjectName: string }): RenderedMessage {
  return {
    title: 'Hồ sơ đã được xác minh',
    text: `Hồ sơ của ${p.subjectName} đã được tổ xác minh và chuyển lên xã bình xét.`,
    link: `/assessments/${p.assessmentId}`,
  };
}

export function assessmentDecided(p: {
  assessmentId: string;
  subjectName: string;
  subjectType: SubjectType;
  recognised: boolean;
  reasons: string[];
  decisionNumber: string;
}): RenderedMessage {
  const title = TITLE_LABELS[p.subjectType];
  if (p.recognised) {
    return {
      title: `Được công nhận ${TITLE_ABBREVIATIONS[p.subjectType]}`,
      text: `Chúc mừng ${p.subjectName} được công nhận danh hiệu “${title}” (Quyết định số ${p.decisionNumber}).`,
      link: `/assessments/${p.assessmentId}`,
    };
  }
  const reasons = p.reasons.length > 0 ? ` Lý do: ${truncate(p.reasons.map(stripMentions).join('; '), 600)}.` : '';
  return {
    title: `Chưa đạt ${TITLE_ABBREVIATIONS[p.subjectType]} năm nay`,
    text: `${p.subjectName} chưa được công nhận danh hiệu “${title}” (Quyết định số ${p.decisionNumber}).${reasons}`,
    link: `/assessments/${p.assessmentId}`,
  };
}

/**
 * The hamlet group hears that the proposed list is posted: the title, the end of the window and
 * the link, never a name (the names are in the mini app, for the hamlet's residents only).
 */
export function postingOpened(p: {
  placeLabel: string;
  subjectType: SubjectType;
  year: number;
  endsAt: Date;
  postingId: string;
}): RenderedMessage {
  return {
    title: `Niêm yết danh sách ${TITLE_ABBREVIATIONS[p.subjectType]}`,
    text:
      `${p.placeLabel}: niêm yết công khai danh sách đề nghị công nhận “${TITLE_LABELS[p.subjectType]}” năm ${p.year} ` +
      `đến hết ${ddmm(p.endsAt)}. Bà con mở ứng dụng để xem và góp ý.`,
    link: `/postings/${p.postingId}`,
  };
}

/** The resident who objected is told the outcome. */
export function objectionResolved(p: {
  postingId: string;
  subjectName: string;
  outcome: 'kept' | 'removed';
  reason: string;
}): RenderedMessage {
  const what =
    p.outcome === 'removed'
      ? `${p.subjectName} đã được đưa ra khỏi danh sách đề nghị công nhận`
      : `${p.subjectName} vẫn được giữ trong danh sách đề nghị công nhận`;
  return {
    title: 'Ý kiến của bạn đã được xử lý',
    text: `Cán bộ xã đã xem ý kiến của bạn: ${what}. Lý do: ${truncate(stripMentions(p.reason), 600)}`,
    link: `/postings/${p.postingId}`,
  };
}

const NOUNS: Record<SubjectType, string> = {
  household: 'hộ',
  clan: 'dòng họ',
  community: 'ấp',
  unit: 'đơn vị',
  citizen: 'người',
};

/**
 * "Ấp Mỹ Hòa: 31/40 hộ đạt Gia đình học tập — 77,5 %, chỉ tiêu 85 %". The figures are the
 * report's own (TitleFigures): registry denominator, resolved target, shared formatter.
 */
export function resultSummary(p: {
  placeLabel: string;
  figures: Pick<TitleFigures, 'subjectType' | 'recognised' | 'registryTotal' | 'share' | 'target'>;
  campaignId: string;
}): RenderedMessage {
  const f = p.figures;
  const target = f.target === null ? '' : `, chỉ tiêu ${formatShare(f.target)}`;
  return {
    title: `Kết quả ${TITLE_ABBREVIATIONS[f.subjectType]}`,
    text: `${p.placeLabel}: ${formatCount(f.recognised)}/${formatCount(f.registryTotal)} ${NOUNS[f.subjectType]} đạt ${TITLE_LABELS[f.subjectType]} — ${formatShare(f.share)}${target}`,
    link: `/campaigns/${p.campaignId}/results`,
  };
}

/** The same progress text a leader shares into the groups they run (openShareSheet). */
export function shareProgress(p: { placeLabel: string; submitted: number; total: number; dueAt: Date }): string {
  return `${p.placeLabel}: ${formatCount(p.submitted)}/${formatCount(p.total)} hộ đã nộp tự đánh giá (${formatShare(shareOf(p.submitted, p.total))}), hạn ${ddmm(p.dueAt)}.`;
}
