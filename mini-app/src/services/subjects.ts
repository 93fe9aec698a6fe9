// What a signed-in person can fill in ("Hồ sơ của bạn"): their household, themselves as a Công dân
// học tập, the clan or unit they head, the hamlet they lead. One person can hold several of these.
import { formatNumber, TITLE_LABELS, type CriteriaSet, type Prerequisite, type SubjectType } from '@hoctap/shared';
import type { Endpoints } from './api.ts';
import type { Me } from './types.ts';

export interface Profile {
  subjectType: SubjectType;
  subjectId: string;
  /** "Hộ Nguyễn Văn Bình", "Dòng họ Nguyễn (chi ấp Mỹ Hòa)", "Trường THCS Mỹ An", "Ấp Mỹ Hòa". */
  name: string;
  /** Where or who: "Tổ 3, ấp Mỹ Hòa", "Bạn là trưởng họ". */
  detail?: string;
}

/** Display order of the cards. */
const ORDER: SubjectType[] = ['household', 'citizen', 'clan', 'unit', 'community'];

/** Subjects known from /me alone (no requests). */
export function localProfiles(me: Me): Profile[] {
  const out: Profile[] = [];
  if (me.householdId) {
    const h = me.household;
    out.push({
      subjectType: 'household',
      subjectId: me.householdId,
      name: h ? `Hộ ${h.headName}` : 'Hộ gia đình của bạn',
      ...(h ? { detail: `${h.groupName}, ${h.hamletName}` } : {}),
    });
  }
  if (me.personId)
    out.push({
      subjectType: 'citizen',
      subjectId: me.personId,
      name: me.displayName.split(' — ')[0]!,
      detail: 'Cá nhân bạn',
    });
  for (const r of me.roles) {
    if (r.role === 'hamlet_head' && r.unitLevel === 'hamlet')
      out.push({
        subjectType: 'community',
        subjectId: r.unitId,
        name: capitalise(hamletLabel(r.unitName)),
        detail: 'Bạn là trưởng ấp',
      });
  }
  return out;
}

/**
 * Every subject the person may fill in: /me, plus the clans and units whose head they are
 * (GET /clans and GET /units return, among what the caller may read, the ones they head).
 */
export async function loadProfiles(api: Endpoints, me: Me): Promise<Profile[]> {
  const out = localProfiles(me);
  // /me does not carry personId yet: a user without roles sees only their own assessments, so an
  // existing citizen assessment names their person record.
  const findPerson = me.personId === undefined && me.roles.length === 0 && !me.householdId;
  const [clans, units, citizen] = await Promise.all([
    api.clans(),
    api.orgUnits(),
    findPerson ? api.assessments({ subjectType: 'citizen' }) : Promise.resolve([]),
  ]);
  const own = citizen[0];
  if (own)
    out.push({
      subjectType: 'citizen',
      subjectId: own.subjectId,
      name: subjectLabel(own.subjectName),
      detail: 'Cá nhân bạn',
    });
  for (const c of clans)
    if (c.headUserId === me.id)
      out.push({
        subjectType: 'clan',
        subjectId: c.id,
        name: c.name.startsWith('Dòng họ') ? c.name : `Dòng họ ${c.name}`,
        detail: `Bạn là trưởng họ · ${c.householdCount} hộ`,
      });
  for (const u of units)
    if (u.headUserId === me.id)
      out.push({
        subjectType: 'unit',
        subjectId: u.id,
        name: u.name,
        detail: `Bạn là thủ trưởng đơn vị · ${u.staffCount} thành viên`,
      });
  return out.sort((a, b) => ORDER.indexOf(a.subjectType) - ORDER.indexOf(b.subjectType));
}

/** Whether a person with no role and no household may still have something to fill in. */
export function mayHeadSomething(me: Me): boolean {
  return !me.householdId && !me.personId && me.roles.length === 0;
}

/** Wording that depends on who fills the form in. */
export interface SubjectWords {
  /** Subject of "… đã đạt điều kiện này chưa?" */
  who: string;
  /** Who checks the form and may send it back. */
  verifier: string;
  /** Members counted by prerequisites: "hộ trong dòng họ". */
  members?: string;
  /** One subject in a sentence: "trả lại cho hộ sửa", "3 dòng họ". */
  noun: string;
}

export const SUBJECT_WORDS: Readonly<Record<SubjectType, SubjectWords>> = {
  household: { who: 'Gia đình', verifier: 'Tổ trưởng', noun: 'hộ' },
  citizen: { who: 'Bạn', verifier: 'Người xác minh', noun: 'công dân' },
  clan: { who: 'Dòng họ', verifier: 'Người xác minh', members: 'hộ trong dòng họ', noun: 'dòng họ' },
  community: { who: 'Ấp', verifier: 'Người xác minh', members: 'hộ trong ấp', noun: 'ấp' },
  unit: { who: 'Đơn vị', verifier: 'Người xác minh', members: 'thành viên đơn vị', noun: 'đơn vị' },
};

const SHARE_WORDS: Record<Prerequisite['share'], { members: (t: SubjectType) => string; title: string }> = {
  householdsWithGdht: { members: (t) => SUBJECT_WORDS[t].members ?? 'hộ', title: TITLE_LABELS.household },
  clansWithDhht: { members: () => 'dòng họ trong ấp', title: TITLE_LABELS.clan },
  staffWithCdht: { members: () => 'thành viên đơn vị', title: TITLE_LABELS.citizen },
  membersWithCdht: { members: () => 'người lớn', title: TITLE_LABELS.citizen },
};

/** "Ít nhất 50 % hộ trong dòng họ đạt “Gia đình học tập” — xét khi xã công nhận". */
export function prerequisiteText(p: Prerequisite, subjectType: SubjectType): string {
  const w = SHARE_WORDS[p.share];
  const pct = `${formatNumber(p.minShare * 100, 1)}\u00a0%`;
  return `${p.comparison === 'gt' ? 'Trên' : 'Ít nhất'} ${pct} ${w.members(subjectType)} đạt “${w.title}” — xét khi xã công nhận`;
}

/** The rating rules in one plain sentence each. */
export function ruleTexts(set: CriteriaSet): string[] {
  const out: string[] = [];
  const threshold = set.ratingRules.find((r) => r.type === 'threshold');
  const floor = set.ratingRules.find((r) => r.type === 'indicatorFloor');
  if (threshold || floor) {
    const parts = [
      threshold && `từ ${formatNumber(threshold.minTotal)} điểm trở lên`,
      floor && `không chỉ số nào dưới ${formatNumber(floor.minPoints)} điểm`,
    ].filter(Boolean);
    out.push(`Đạt khi ${parts.join(' và ')}.`);
  }
  if (set.ratingRules.some((r) => r.type === 'allConditionsMet')) {
    const n = set.criteria.flatMap((c) => c.indicators).filter((i) => i.kind === 'condition').length;
    out.push(`Đạt khi đủ cả ${n} điều kiện.`);
  }
  return out;
}

/** "Mỹ Hòa" → "ấp Mỹ Hòa"; names that already say ấp/khóm/thôn/tổ dân phố stay as they are. */
export function hamletLabel(name: string): string {
  return /^(ấp|khóm|thôn|tổ dân phố|bản|buôn|làng|xóm)\s/i.test(name) ? name : `ấp ${name}`;
}

/** A subject name for display (the server prefixes clans with "Dòng họ" even when the name has it). */
export function subjectLabel(name: string): string {
  return name.replace(/^(Dòng họ\s+)+/, 'Dòng họ ');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
