import {
  TARGET_INDICATOR_LABELS,
  TARGET_INDICATORS,
  type TargetIndicator,
  type TargetPreset,
  type TargetValue,
} from '@hoctap/shared/api';
import type { SubjectType } from '../../db/schema/index.ts';
import type { Executor } from '../../db/types.ts';
import { targetRows, type AdminUnitRow } from './reports.repo.ts';

/**
 * Built-in targets, used only where neither the commune nor its province stored a row for the
 * year. Plan 415/KH-UBND (Tháp Mười, 2024) is the project's seed plan and the default; a commune
 * or province opts into the national QĐ 387 bar with `settings.targetPreset = 'qd-387'`.
 * Sources and values: docs/domain.md §8.
 */
export const TARGET_PRESET_VALUES: Readonly<Record<TargetPreset, Readonly<Record<TargetIndicator, number>>>> = {
  'plan-415': {
    households_gdht: 0.85,
    clans_dhht: 0.8,
    hamlets_cdht: 0.9,
    units_dvht: 0.9,
    workers_cdht: 0.3,
    unit_staff_cdht: 0.4,
  },
  'qd-387': {
    households_gdht: 0.7,
    clans_dhht: 0.65,
    hamlets_cdht: 0.65,
    units_dvht: 0.8,
    workers_cdht: 0.4,
    unit_staff_cdht: 0.6,
  },
};

export const TARGET_PRESET_LABELS: Readonly<Record<TargetPreset, string>> = {
  'plan-415': 'Kế hoạch 415/KH-UBND (2024)',
  'qd-387': 'Quyết định 387 (chỉ tiêu quốc gia, 2025)',
};

export const DEFAULT_TARGET_PRESET: TargetPreset = 'plan-415';

export const INDICATOR_OF: Readonly<Record<SubjectType, TargetIndicator | null>> = {
  household: 'households_gdht',
  clan: 'clans_dhht',
  community: 'hamlets_cdht',
  unit: 'units_dvht',
  citizen: null,
};

/** The indicator a title's share is read against (citizens are read as worker/staff shares). */
export const indicatorFor = (t: SubjectType): TargetIndicator => INDICATOR_OF[t] ?? 'workers_cdht';

export function presetOf(...settings: (Record<string, unknown> | null | undefined)[]): TargetPreset {
  for (const s of settings) {
    const p = s?.['targetPreset'];
    if (p === 'plan-415' || p === 'qd-387') return p;
  }
  return DEFAULT_TARGET_PRESET;
}

interface StoredTarget {
  unitId: string;
  indicator: TargetIndicator;
  share: number;
}

/** Commune row wins over province row wins over the preset. */
export function resolveTargets(
  find: (unitId: string, indicator: TargetIndicator) => StoredTarget | undefined,
  place: {
    communeId: string | null;
    communeName: string | null;
    provinceId: string | null;
    provinceName: string | null;
  },
  year: number,
  preset: TargetPreset,
): TargetValue[] {
  return TARGET_INDICATORS.map((indicator) => {
    const base = {
      indicator,
      label: TARGET_INDICATOR_LABELS[indicator],
      preset,
      national: TARGET_PRESET_VALUES['qd-387'][indicator],
    };
    const own = place.communeId ? find(place.communeId, indicator) : undefined;
    if (own)
      return {
        ...base,
        share: own.share,
        source: 'commune' as const,
        sourceLabel: `${place.communeName ?? 'Xã'}, năm ${year}`,
      };
    const prov = place.provinceId ? find(place.provinceId, indicator) : undefined;
    if (prov)
      return {
        ...base,
        share: prov.share,
        source: 'province' as const,
        sourceLabel: `${place.provinceName ?? 'Tỉnh'}, năm ${year}`,
      };
    return {
      ...base,
      share: TARGET_PRESET_VALUES[preset][indicator],
      source: 'default' as const,
      sourceLabel: TARGET_PRESET_LABELS[preset],
    };
  });
}

/**
 * THE target resolver: effective targets of communes (or a province alone) for a year, in one
 * read. Reports, group messages and share summaries all read their targets here.
 */
export async function loadTargets(db: Executor, communes: AdminUnitRow[], province: AdminUnitRow | null, year: number) {
  const stored = await targetRows(db, [...communes.map((c) => c.id), ...(province ? [province.id] : [])], year);
  // Keyed once: a province's view resolves ~100 communes against every stored row.
  const byKey = new Map(stored.map((x) => [`${x.unitId}:${x.indicator}`, x]));
  const resolve = (c: AdminUnitRow | null) =>
    resolveTargets(
      (unitId, indicator) => byKey.get(`${unitId}:${indicator}`),
      {
        communeId: c?.id ?? null,
        communeName: c?.name ?? null,
        provinceId: province?.id ?? null,
        provinceName: province?.name ?? null,
      },
      year,
      presetOf(c?.settings, province?.settings),
    );
  return { forCommune: (c: AdminUnitRow) => resolve(c), forProvince: () => resolve(null) };
}
