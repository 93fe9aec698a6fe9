import type { CriteriaSet } from '@hoctap/shared';
import { prerequisiteText, ruleTexts } from '../services/subjects.ts';

/** How the title is earned, in plain words: the rating rules and the prerequisites. */
export function RulesNote({ set }: { set: CriteriaSet }) {
  const rules = ruleTexts(set);
  const prereqs = set.prerequisites ?? [];
  if (rules.length === 0 && prereqs.length === 0) return null;
  return (
    <section className="rules" aria-label="Điều kiện đạt danh hiệu">
      {rules.map((r) => (
        <p key={r}>{r}</p>
      ))}
      {prereqs.map((p) => (
        <p key={p.code} className="prereq">
          <strong>Điều kiện tiên quyết:</strong> {prerequisiteText(p, set.subjectType)}
        </p>
      ))}
    </section>
  );
}
