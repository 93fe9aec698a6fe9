import type { SubjectType } from '../../db/schema/index.ts';
import type { Executor } from '../../db/types.ts';
import { recognisedYears } from './reports.repo.ts';

/**
 * Years in a row, immediately before `year`, in which each subject held the title: the fact the
 * engine needs for the consecutive-years honour (e.g. five years of Công dân học tập). A year
 * without the title (or without a campaign) ends the run.
 */
export async function consecutiveYearsBefore(
  db: Executor,
  subjectType: SubjectType,
  subjectIds: string[],
  year: number,
): Promise<Map<string, number>> {
  const held = new Map<string, Set<number>>();
  for (const r of await recognisedYears(db, subjectType, subjectIds, year)) {
    const s = held.get(r.subjectId) ?? new Set<number>();
    s.add(r.year);
    held.set(r.subjectId, s);
  }
  const out = new Map<string, number>();
  for (const id of subjectIds) {
    const years = held.get(id);
    let n = 0;
    while (years?.has(year - 1 - n)) n++;
    out.set(id, n);
  }
  return out;
}
