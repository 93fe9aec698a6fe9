import { z } from 'zod';

/** The five kinds of subject a title can be given to; one criteria set targets exactly one kind. */
export const SUBJECT_TYPES = ['household', 'clan', 'community', 'unit', 'citizen'] as const;
export const SubjectTypeSchema = z.enum(SUBJECT_TYPES);
export type SubjectType = z.infer<typeof SubjectTypeSchema>;

/**
 * Cross-subject shares a prerequisite can be written against. Each key names both the members
 * counted and the title they must hold in the same year, so the caller supplies one number pair
 * per key and the set only says which key and which threshold.
 */
export const MEMBER_SHARE_KEYS = [
  'householdsWithGdht', // member households of a clan or hamlet recognised "Gia đình học tập"
  'clansWithDhht', // clans in a hamlet recognised "Dòng họ học tập"
  'staffWithCdht', // staff of a unit holding "Công dân học tập"
  'membersWithCdht', // adult members (of a household or hamlet) holding "Công dân học tập"
] as const;
export const MemberShareKeySchema = z.enum(MEMBER_SHARE_KEYS);
export type MemberShareKey = z.infer<typeof MemberShareKeySchema>;

/**
 * Which share keys make sense for which subject. A household set asking for "households with
 * GĐHT" is a data mistake the validator reports instead of silently never passing.
 */
export const SHARE_KEYS_BY_SUBJECT: Readonly<Record<SubjectType, readonly MemberShareKey[]>> = {
  household: ['membersWithCdht'],
  clan: ['householdsWithGdht', 'membersWithCdht'],
  community: ['householdsWithGdht', 'clansWithDhht', 'membersWithCdht'],
  unit: ['staffWithCdht'],
  citizen: [],
};
