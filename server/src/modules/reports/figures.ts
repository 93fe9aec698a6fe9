import { TARGET_INDICATOR_LABELS, type TargetValue, type TitleFigures } from '@hoctap/shared/api';
import { SUBJECT_TYPES, TITLE_LABELS } from '@hoctap/shared';
import type { CdhtRow, SubjectType } from '../../db/schema/index.ts';
import type { Executor } from '../../db/types.ts';
import * as repo from './reports.repo.ts';
import * as cdhtRepo from './cdht.repo.ts';
import { locate, type Place } from './place.ts';
import { indicatorFor, loadTargets } from './targets.ts';

/*
 * How a title's figures are computed, for every reader: the report endpoints, the XLSX (through
 * the report), the Zalo group messages after a decision and the leaders' share summaries. Counts
 * come from `assessment_counts`, denominators from the registry (or the snapshot taken when the
 * campaign closed), targets from the one resolver. Nobody else divides.
 */

/** States that count as "submitted at least once", "verified at least", by the workflow's names. */
const SUBMITTED = new Set([
  'submitted',
  'returned',
  'resubmitted',
  'verified',
  'reviewed',
  'recognised',
  'not_recognised',
  'appealed',
]);
const VERIFIED = new Set(['verified', 'reviewed', 'recognised', 'not_recognised', 'appealed']);

/** What a title's figures need of its counts: how many subjects reached each stage. */
export interface TitleTotals {
  registered: number;
  submitted: number;
  verified: number;
  recognised: number;
}

/** The stages as lists of states, for readers that add them up in SQL (`readTotals`). */
export const STAGE_STATES = { submitted: [...SUBMITTED], verified: [...VERIFIED] };

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function titleFigures(
  subjectType: SubjectType,
  totals: TitleTotals | undefined,
  registryTotal: number,
  target: TargetValue | undefined,
): TitleFigures {
  const { registered, submitted, verified, recognised } = totals ?? {
    registered: 0,
    submitted: 0,
    verified: 0,
    recognised: 0,
  };
  const share = registryTotal > 0 ? recognised / registryTotal : null;
  // Citizens have no share target of their own: theirs are the worker/staff shares (cdht[]).
  const t = subjectType === 'citizen' ? undefined : target;
  return {
    subjectType,
    title: TITLE_LABELS[subjectType],
    indicator: indicatorFor(subjectType),
    registryTotal,
    registered,
    submitted,
    verified,
    recognised,
    share,
    target: t?.share ?? null,
    targetSource: t?.source ?? null,
    gap: t && share !== null ? round6(t.share - share) : null,
    missing: t && registryTotal > 0 ? Math.max(0, Math.ceil(round6(t.share * registryTotal)) - recognised) : null,
  };
}

/** Adds count rows of `unitIds` into per-subject totals. */
export function collect(rows: repo.CountRow[], unitIds: string[]): Map<SubjectType, TitleTotals> {
  const out = new Map<SubjectType, TitleTotals>();
  for (const r of rows) {
    if (!unitIds.includes(r.unitId)) continue;
    let t = out.get(r.subjectType);
    if (!t) out.set(r.subjectType, (t = { registered: 0, submitted: 0, verified: 0, recognised: 0 }));
    if (r.state !== 'withdrawn') t.registered += r.n;
    if (SUBMITTED.has(r.state)) t.submitted += r.n;
    if (VERIFIED.has(r.state)) t.verified += r.n;
    if (r.state === 'recognised') t.recognised += r.n;
  }
  return out;
}

/** Totals read by `readTotals`, per unit. */
export function totalsByUnit(rows: repo.TotalsRow[]): Map<string, Map<SubjectType, TitleTotals>> {
  const out = new Map<string, Map<SubjectType, TitleTotals>>();
  for (const r of rows) {
    let m = out.get(r.unitId);
    if (!m) out.set(r.unitId, (m = new Map()));
    m.set(r.subjectType, r);
  }
  return out;
}

export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export function sumRegistry(
  rows: repo.RegistryRow[],
  pick: (r: repo.RegistryRow) => boolean,
): Map<SubjectType, number> {
  const out = new Map<SubjectType, number>();
  for (const r of rows) if (pick(r)) out.set(r.subjectType, (out.get(r.subjectType) ?? 0) + r.n);
  return out;
}

export function figuresOf(
  counts: Map<SubjectType, TitleTotals>,
  registry: Map<SubjectType, number>,
  targets: TargetValue[],
): TitleFigures[] {
  return SUBJECT_TYPES.map((t) =>
    titleFigures(
      t,
      counts.get(t),
      registry.get(t) ?? 0,
      targets.find((x) => x.indicator === indicatorFor(t)),
    ),
  );
}

export function cdhtOf(parts: Pick<CdhtRow, 'workers' | 'staff'>[], targets: TargetValue[]) {
  const sum = (k: 'workers' | 'staff') =>
    parts.reduce((a, p) => ({ population: a.population + p[k].population, holders: a.holders + p[k].holders }), {
      population: 0,
      holders: 0,
    });
  return (['workers_cdht', 'unit_staff_cdht'] as const).map((indicator) => {
    const v = sum(indicator === 'workers_cdht' ? 'workers' : 'staff');
    const t = targets.find((x) => x.indicator === indicator);
    const share = v.population > 0 ? v.holders / v.population : null;
    return {
      indicator,
      label: TARGET_INDICATOR_LABELS[indicator],
      population: v.population,
      holders: v.holders,
      share,
      target: t?.share ?? null,
      targetSource: t?.source ?? null,
      gap: t && share !== null ? round6(t.share - share) : null,
    };
  });
}

// ---------------------------------------------------------------- denominators

export type DenominatorSource = 'snapshot' | 'registry_now';

export interface Denominators {
  source: DenominatorSource;
  registry: repo.RegistryRow[];
  cdht: CdhtRow[];
}

/**
 * Denominators of some campaigns: the snapshots taken when they closed if EVERY one has one (a
 * past year never moves), else today's registry of `liveCommuneIds` (and live CDHT counts).
 */
export async function denominatorsOf(
  db: Executor,
  campaigns: Pick<repo.CampaignRow, 'id' | 'communeId'>[],
  liveCommuneIds: string[],
  day: string,
  opts: { cdht?: boolean; live?: boolean; perCommune?: boolean } = {},
): Promise<Denominators> {
  const snaps = opts.live
    ? []
    : await repo.snapshotsOf(
        db,
        campaigns.map((c) => c.id),
      );
  if (campaigns.length > 0 && snaps.length === campaigns.length) {
    return { source: 'snapshot', registry: snaps.flatMap((s) => s.registry), cdht: snaps.flatMap((s) => s.cdht) };
  }
  // One after the other: `db` may be a transaction, whose one connection runs one statement at a time.
  const registry = await repo.registryTotals(db, liveCommuneIds, day, { perCommune: opts.perCommune ?? false });
  const cdht = opts.cdht ? await cdhtRepo.cdhtOfCampaigns(db, campaigns, { perCommune: opts.perCommune ?? false }) : [];
  return { source: 'registry_now', registry, cdht };
}

/**
 * Keeps a campaign's denominators as they are now; called in the transaction that closes it.
 * Only the first close writes: reopening and closing again never moves a past year.
 */
export async function snapshotDenominators(
  db: Executor,
  campaign: Pick<repo.CampaignRow, 'id' | 'communeId'>,
  now: Date,
): Promise<void> {
  const registry = await repo.registryTotals(db, [campaign.communeId], now.toISOString().slice(0, 10));
  const cdht = await cdhtRepo.cdhtByHamlet(db, campaign.id, campaign.communeId);
  await repo.insertSnapshot(db, { campaignId: campaign.id, takenAt: now, registry, cdht });
}

// ---------------------------------------------------------------- one commune's campaign

/**
 * Figures of one campaign for its commune and/or hamlets of it, exactly as the report computes
 * them (same counts, denominators and targets).
 */
export async function campaignFigures(
  db: Executor,
  campaign: repo.CampaignRow,
  unitIds: string[],
  day: string,
  opts: { cdht?: boolean; place?: Place } = {},
) {
  // The caller's place when it is the campaign's commune (or a hamlet of it): no second look-up.
  const place = opts.place?.commune?.id === campaign.communeId ? opts.place : await locate(db, campaign.communeId);
  const commune = place?.commune;
  if (!commune) throw new Error(`campaign ${campaign.id}: commune ${campaign.communeId} not found`);
  // One after the other: the decision messages call this inside their transaction (enqueue.ts).
  const counts = await repo.readTotals(db, [campaign.id], [commune.id, ...unitIds], STAGE_STATES);
  const den = await denominatorsOf(db, [campaign], [commune.id], day, { cdht: opts.cdht ?? false });
  const t = await loadTargets(db, [commune], place.province, campaign.year);
  const targets = t.forCommune(commune);
  // Grouped once: a commune's view asks for each of its ~30 hamlets.
  const totalsOf = totalsByUnit(counts);
  const registryOf = groupBy(den.registry, (r) => r.hamletId ?? '');
  const cdhtByHamlet = groupBy(den.cdht, (r) => r.hamletId ?? '');
  const registryIn = (unitId: string) => (unitId === commune.id ? den.registry : (registryOf.get(unitId) ?? []));
  const cdhtIn = (unitId: string) => (unitId === commune.id ? den.cdht : (cdhtByHamlet.get(unitId) ?? []));
  const stateCounts = (unitId: string) => totalsOf.get(unitId) ?? new Map<SubjectType, TitleTotals>();
  return {
    commune,
    province: place.province,
    targets,
    denominator: den.source,
    titles: (unitId: string) =>
      figuresOf(
        stateCounts(unitId),
        sumRegistry(registryIn(unitId), () => true),
        targets,
      ),
    title: (unitId: string, subjectType: SubjectType) =>
      titleFigures(
        subjectType,
        stateCounts(unitId).get(subjectType),
        sumRegistry(registryIn(unitId), () => true).get(subjectType) ?? 0,
        targets.find((x) => x.indicator === indicatorFor(subjectType)),
      ),
    cdht: (unitId: string) => cdhtOf(cdhtIn(unitId), targets),
  };
}

export type CampaignFigures = Awaited<ReturnType<typeof campaignFigures>>;
