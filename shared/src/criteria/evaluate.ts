import { z } from 'zod';
import { compile } from './compile.ts';
import { formatShare } from '../format.ts';
import { ReasonSchema, type Reason } from './reasons.ts';
import { VerdictSchema, type ScoreResult } from './score.ts';
import type { CriteriaSet, Prerequisite } from './schema.ts';
import { MEMBER_SHARE_KEYS, SubjectTypeSchema } from './subject-types.ts';
import { DECISION_LABELS, MEMBER_SHARE_LABELS, TITLE_ABBREVIATIONS, TITLE_LABELS } from '../i18n/labels.ts';

/*
 * evaluate(): turns a score into a title decision by adding what the answers alone cannot know:
 * cross-subject prerequisites of the same campaign year (share of member households with GĐHT,
 * share of staff with CDHT) and consecutive-year honours. The caller (server) counts the facts;
 * this function only compares, exactly: shares are compared as integers, never as floats, so
 * 5 of 10 households meets "≥ 50 %" and 4,999,999 of 10,000,000 does not.
 */

export const MemberCountSchema = z.object({
  /** Members counted (e.g. all households of the clan in the registry). */
  total: z.number().int().min(0),
  /** Of those, how many hold the title in the same year. */
  withTitle: z.number().int().min(0),
});
export type MemberCount = z.infer<typeof MemberCountSchema>;

export const EvaluationFactsSchema = z.object({
  memberShares: z.partialRecord(z.enum(MEMBER_SHARE_KEYS), MemberCountSchema).optional(),
  /** Years in a row, immediately before this one, in which the subject held the title. */
  consecutiveYearsBefore: z.number().int().min(0).optional(),
});
export type EvaluationFacts = z.infer<typeof EvaluationFactsSchema>;

export const DECISION_OUTCOMES = ['recognised', 'not_recognised', 'incomplete'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const PrerequisiteCheckSchema = z.object({
  code: z.string(),
  share: z.enum(MEMBER_SHARE_KEYS),
  minShare: z.number(),
  comparison: z.enum(['gte', 'gt']),
  /** true / false once the facts are known; null while they are missing or invalid. */
  met: z.boolean().nullable(),
  total: z.number().optional(),
  withTitle: z.number().optional(),
  message: z.string(),
});
export type PrerequisiteCheck = z.infer<typeof PrerequisiteCheckSchema>;

/** The title decision evaluate() returns; stored as the assessment's verdict once decided. */
export const TitleDecisionSchema = z.object({
  setId: z.string(),
  subjectType: SubjectTypeSchema,
  title: z.object({ label: z.string(), abbreviation: z.string() }),
  outcome: z.enum(DECISION_OUTCOMES),
  recognised: z.boolean(),
  band: VerdictSchema.shape.band,
  level: VerdictSchema.shape.level,
  honour: z.object({ code: z.string(), label: z.string() }).optional(),
  /** Years in a row the title is held including this one, when recognised and known. */
  consecutiveYears: z.number().optional(),
  prerequisites: z.array(PrerequisiteCheckSchema),
  /** Score reasons followed by prerequisite reasons. */
  reasons: z.array(ReasonSchema),
  summary: z.string(),
});
export type TitleDecision = z.infer<typeof TitleDecisionSchema>;

const SHARE_SCALE = 1_000_000n;
/** Counts up to this keep withTitle·10⁶ and minShare·10⁶·total below 2^53. */
const SAFE_COUNT = 9_000_000;

/**
 * Exact share comparison: withTitle/total ≥ minShare ⇔ withTitle·10⁶ ≥ round(minShare·10⁶)·total.
 * minShare has at most 6 decimals (checked when the set is parsed), so the rational is exact.
 */
export function shareMeets(withTitle: number, total: number, minShare: number, comparison: 'gte' | 'gt'): boolean {
  if (total <= 0) return false;
  const scaled = Math.round(minShare * 1_000_000);
  // Integer products are exact in doubles up to 2^53; BigInt (slow) only for huge counts.
  if (total <= SAFE_COUNT && withTitle <= SAFE_COUNT) {
    const lhs = withTitle * 1_000_000;
    const rhs = scaled * total;
    return comparison === 'gte' ? lhs >= rhs : lhs > rhs;
  }
  const lhs = BigInt(withTitle) * SHARE_SCALE;
  const rhs = BigInt(scaled) * BigInt(total);
  return comparison === 'gte' ? lhs >= rhs : lhs > rhs;
}

function requirementText(p: Prerequisite): string {
  return p.comparison === 'gte' ? `từ ${formatShare(p.minShare)} trở lên` : `trên ${formatShare(p.minShare)}`;
}

function checkPrerequisite(p: Prerequisite, facts: EvaluationFacts): { check: PrerequisiteCheck; reason?: Reason } {
  const words = MEMBER_SHARE_LABELS[p.share];
  // Explicit object literals (no spreads): evaluate() runs once per subject in commune reports.
  const check = (met: boolean | null, message: string, total?: number, withTitle?: number): PrerequisiteCheck => {
    const c: PrerequisiteCheck = {
      code: p.code,
      share: p.share,
      minShare: p.minShare,
      comparison: p.comparison,
      met,
      message,
    };
    if (total !== undefined) c.total = total;
    if (withTitle !== undefined) c.withTitle = withTitle;
    return c;
  };
  const count = facts.memberShares?.[p.share];
  if (count === undefined) {
    const message = `Chưa có số liệu về số ${words.members} được công nhận ${words.title} trong năm`;
    return {
      check: check(null, message),
      reason: { code: 'prerequisite_facts_missing', prerequisiteCode: p.code, message },
    };
  }
  const { total, withTitle } = count;
  const sane =
    Number.isSafeInteger(total) &&
    Number.isSafeInteger(withTitle) &&
    total >= 0 &&
    withTitle >= 0 &&
    withTitle <= total;
  if (!sane) {
    const message = `Số liệu ${words.members} không hợp lệ (${withTitle}/${total})`;
    return {
      check: check(null, message, total, withTitle),
      reason: { code: 'prerequisite_facts_invalid', prerequisiteCode: p.code, message },
    };
  }
  if (total === 0) {
    const message = `Chưa có ${words.members} thành viên nào để tính tỷ lệ ${words.title}; cần ${requirementText(p)}`;
    return {
      check: check(false, message, total, withTitle),
      reason: { code: 'prerequisite_not_met', prerequisiteCode: p.code, message },
    };
  }
  const met = shareMeets(withTitle, total, p.minShare, p.comparison);
  const have = `${withTitle}/${total} ${words.members} (${formatShare(withTitle / total)}) được công nhận ${words.title}`;
  if (met) return { check: check(true, `Có ${have}, đạt yêu cầu ${requirementText(p)}`, total, withTitle) };
  const message = `Mới có ${have}; cần ${requirementText(p)}`;
  return {
    check: check(false, message, total, withTitle),
    reason: { code: 'prerequisite_not_met', prerequisiteCode: p.code, message },
  };
}

export function evaluate(set: CriteriaSet, scoreResult: ScoreResult, facts: EvaluationFacts = {}): TitleDecision {
  if (scoreResult.setId !== set.id) {
    throw new Error(`evaluate: score was computed with set "${scoreResult.setId}", not "${set.id}"`);
  }
  const compiled = compile(set);
  const title = { label: TITLE_LABELS[set.subjectType], abbreviation: TITLE_ABBREVIATIONS[set.subjectType] };
  const verdict = scoreResult.verdict;

  const prerequisites: PrerequisiteCheck[] = [];
  const prereqReasons: Reason[] = [];
  for (const p of compiled.prerequisites) {
    const { check, reason } = checkPrerequisite(p, facts);
    prerequisites.push(check);
    if (reason) prereqReasons.push(reason);
  }

  // Same rule as the verdict: anything still open makes the decision incomplete; otherwise every
  // part (score and each prerequisite) must pass.
  const anyOpen = verdict.outcome === 'incomplete' || prerequisites.some((c) => c.met === null);
  const allPass = verdict.outcome === 'pass' && prerequisites.every((c) => c.met === true);
  const outcome: DecisionOutcome = anyOpen ? 'incomplete' : allPass ? 'recognised' : 'not_recognised';
  const recognised = outcome === 'recognised';

  const decision: TitleDecision = {
    setId: set.id,
    subjectType: set.subjectType,
    title,
    outcome,
    recognised,
    prerequisites,
    reasons: [...verdict.reasons, ...prereqReasons],
    summary: `${DECISION_LABELS[outcome]} danh hiệu ${title.label}`,
  };
  if (verdict.band) decision.band = verdict.band;
  if (verdict.level) decision.level = verdict.level;

  const rule = compiled.rules.consecutiveYears;
  if (recognised && facts.consecutiveYearsBefore !== undefined) {
    decision.consecutiveYears = facts.consecutiveYearsBefore + 1;
    if (rule && decision.consecutiveYears >= rule.years) {
      decision.honour = rule.honour;
      decision.summary += ` — ${rule.honour.label}`;
    }
  }
  return decision;
}
