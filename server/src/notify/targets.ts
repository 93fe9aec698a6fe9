import type { SubjectType } from '../db/schema/workflow.ts';

/**
 * Targets that result messages are read against. Today they are the defaults of the Tháp Mười
 * plan (KH 415/KH-UBND 2024, DOMAIN.md "Targets"); targets are meant to become data per commune
 * and year (GET|PUT /api/v1/targets). Every reader goes through `targetShare`, so swapping the
 * source later is a change in this one function.
 */
export const THAP_MUOI_TARGETS: Readonly<Partial<Record<SubjectType, number>>> = {
  household: 0.85,
  clan: 0.8,
  community: 0.9,
  unit: 0.9,
};

export interface TargetQuery {
  communeId: string;
  year: number;
  subjectType: SubjectType;
}

/** Share (0..1) the commune aims for, or null when there is no target for that title. */
export async function targetShare(q: TargetQuery): Promise<number | null> {
  return THAP_MUOI_TARGETS[q.subjectType] ?? null;
}
