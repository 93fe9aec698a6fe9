import type { SubjectType } from '@hoctap/server/db/schema/index.ts';
import type { ReportFixture } from '../../helpers/report-fixtures.ts';

/*
 * Figures recomputed straight from the fixture's own arrays — no server code — so a test
 * comparing these with the API checks the maintained aggregates and the registry counts.
 */

export const PLAN_415 = { household: 0.85, clan: 0.8, community: 0.9, unit: 0.9, workers: 0.3, staff: 0.4 };
export const QD_387 = { household: 0.7, clan: 0.65, community: 0.65, unit: 0.8, workers: 0.4, staff: 0.6 };

const SUBMITTED = [
  'submitted',
  'returned',
  'resubmitted',
  'verified',
  'reviewed',
  'recognised',
  'not_recognised',
  'appealed',
];
const VERIFIED = ['verified', 'reviewed', 'recognised', 'not_recognised', 'appealed'];

export function registryTotals(fx: ReportFixture, hamletId?: string): Record<SubjectType, number> {
  const inH = (x: string | null) => hamletId === undefined || x === hamletId;
  const citizens = fx.persons.filter((p) => {
    const hh = fx.households.find((x) => x.id === p.householdId);
    const unit = fx.units.find((x) => x.id === p.unitId);
    return inH(hh ? hh.hamletId : (unit?.hamletId ?? null));
  }).length;
  return {
    household: fx.households.filter((x) => inH(x.hamletId)).length,
    clan: fx.clans.filter((x) => inH(x.hamletId)).length,
    community: fx.hamlets.filter((x) => inH(x.id)).length,
    unit: fx.units.filter((x) => inH(x.hamletId)).length,
    citizen: citizens,
  };
}

export function expectedTitle(fx: ReportFixture, subjectType: SubjectType, hamletId?: string, target = PLAN_415) {
  const list = fx.assessments.filter(
    (a) =>
      a.campaignId === fx.campaign.id &&
      a.subjectType === subjectType &&
      (hamletId === undefined || a.hamletId === hamletId),
  );
  const total = registryTotals(fx, hamletId)[subjectType];
  const recognised = list.filter((a) => a.state === 'recognised').length;
  const t = subjectType === 'citizen' ? null : target[subjectType];
  const share = total > 0 ? recognised / total : null;
  return {
    subjectType,
    registryTotal: total,
    registered: list.filter((a) => a.state !== 'withdrawn').length,
    submitted: list.filter((a) => SUBMITTED.includes(a.state)).length,
    verified: list.filter((a) => VERIFIED.includes(a.state)).length,
    recognised,
    share,
    target: t,
    gap: t !== null && share !== null ? t - share : null,
    missing: t !== null && total > 0 ? Math.max(0, Math.ceil(t * total - 1e-9) - recognised) : null,
  };
}

/** Workers of recognised households / clans / hamlets, and staff of recognised units, holding CDHT. */
export function expectedCdht(fx: ReportFixture, hamletId?: string) {
  const rec = (type: SubjectType) =>
    new Set(
      fx.assessments
        .filter((a) => a.campaignId === fx.campaign.id && a.subjectType === type && a.state === 'recognised')
        .map((a) => a.subjectId),
    );
  const [hh, clan, community, unit, citizen] = (['household', 'clan', 'community', 'unit', 'citizen'] as const).map(
    rec,
  );
  const workers = fx.persons.filter((p) => {
    const h = fx.households.find((x) => x.id === p.householdId);
    if (!h || !p.isWorker || (hamletId && h.hamletId !== hamletId)) return false;
    return hh!.has(h.id) || (h.clanId !== null && clan!.has(h.clanId)) || community!.has(h.hamletId);
  });
  const staff = fx.persons.filter((p) => {
    const un = fx.units.find((x) => x.id === p.unitId);
    return !!un && unit!.has(un.id) && (!hamletId || un.hamletId === hamletId);
  });
  return {
    workers: { population: workers.length, holders: workers.filter((p) => citizen!.has(p.id)).length },
    staff: { population: staff.length, holders: staff.filter((p) => citizen!.has(p.id)).length },
  };
}

/** PostgreSQL's percentile_cont: linear interpolation between closest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
