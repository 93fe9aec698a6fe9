import type { CriteriaSet } from '@hoctap/shared';
import { prerequisiteText, ruleTexts } from '../services/subjects.ts';
import { ProvisionalTag } from './provisional-badge.tsx';

/** How the title is earned, in plain words: the rating rules and the prerequisites, each marked when not official. */
export function RulesNote({ set }: { set: CriteriaSet }) {
  const rules = ruleTexts(set);
  const prereqs = set.prerequisites ?? [];
  if (rules.length === 0 && prereqs.length === 0) return null;
  const provisional = (types: string[]) =>
    set.provenance.status === 'provisional' ||
    set.ratingRules.some((r) => types.includes(r.type) && r.provenance.status === 'provisional');
  return (
    <section className="rules" aria-label="Điều kiện đạt danh hiệu">
      {rules.map((r) => (
        <p key={r}>
          {r}
          {provisional(r.includes('điều kiện') ? ['allConditionsMet'] : ['threshold', 'indicatorFloor']) && (
            <ProvisionalTag />
          )}
        </p>
      ))}
      {prereqs.map((p) => (
        <p key={p.code} className="prereq">
          <strong>Điều kiện tiên quyết:</strong> {prerequisiteText(p, set.subjectType)}
          {(p.provenance.status === 'provisional' || set.provenance.status === 'provisional') && (
            <ProvisionalTag note={p.provenance.note} />
          )}
        </p>
      ))}
    </section>
  );
}
