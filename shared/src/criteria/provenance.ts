import type { CriteriaSet, Provenance } from './schema.ts';

/*
 * Helpers for showing provenance: the UI marks provisional values "tạm thời — chờ văn bản chính
 * thức" and a set-level banner lists them, so nobody mistakes a working value for the law.
 */

export type ProvisionalItemKind = 'set' | 'subjectGroup' | 'criterion' | 'indicator' | 'ratingRule' | 'prerequisite';

export interface ProvisionalItem {
  path: string;
  kind: ProvisionalItemKind;
  /** Code of the criterion/indicator/group/prerequisite, or the rule type. */
  code?: string;
  note?: string;
}

/** Every provisional value of a set, in document order. */
export function provisionalItems(set: CriteriaSet): ProvisionalItem[] {
  const out: ProvisionalItem[] = [];
  const add = (p: Provenance, path: string, kind: ProvisionalItemKind, code?: string) => {
    if (p.status !== 'provisional') return;
    const item: ProvisionalItem = { path, kind };
    if (code !== undefined) item.code = code;
    if (p.note !== undefined) item.note = p.note;
    out.push(item);
  };
  add(set.provenance, 'provenance', 'set');
  set.subjectGroups?.forEach((g, i) => add(g.provenance, `subjectGroups[${i}]`, 'subjectGroup', g.code));
  set.criteria.forEach((c, ci) => {
    add(c.provenance, `criteria[${ci}]`, 'criterion', c.code);
    c.indicators.forEach((ind, ii) => add(ind.provenance, `criteria[${ci}].indicators[${ii}]`, 'indicator', ind.code));
  });
  set.ratingRules.forEach((r, i) => add(r.provenance, `ratingRules[${i}]`, 'ratingRule', r.type));
  set.prerequisites?.forEach((p, i) => add(p.provenance, `prerequisites[${i}]`, 'prerequisite', p.code));
  return out;
}

/** Whether any value of the set is provisional. */
export function hasProvisionalValues(set: CriteriaSet): boolean {
  return provisionalItems(set).length > 0;
}
