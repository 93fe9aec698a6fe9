import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportContext, type ReportContext } from './setup.ts';
import { PLAN_415, QD_387 } from './expected.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

const byIndicator = (body: {
  targets: { indicator: string; share: number; source: string; preset: string; national: number }[];
}) => Object.fromEntries(body.targets.map((t) => [t.indicator, t]));

describe('targets: commune row > province row > preset', () => {
  it('defaults to plan 415 and says so; a commune on QĐ 387 gets the national values', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/targets?unitId=${fx.ids.C}&year=2026`);
    expect(res.statusCode).toBe(200);
    const t = byIndicator(res.json());
    expect(t.households_gdht).toMatchObject({
      share: PLAN_415.household,
      source: 'default',
      preset: 'plan-415',
      national: QD_387.household,
    });
    expect(t.clans_dhht!.share).toBe(PLAN_415.clan);
    expect(t.hamlets_cdht!.share).toBe(PLAN_415.community);
    expect(t.units_dvht!.share).toBe(PLAN_415.unit);
    expect(t.workers_cdht!.share).toBe(PLAN_415.workers);
    expect(t.unit_staff_cdht!.share).toBe(PLAN_415.staff);
    expect(res.json().targets[0].sourceLabel).toContain('415');

    const other = byIndicator((await ctx.get('officer2', `/targets?unitId=${fx.ids.C2}&year=2026`)).json());
    expect(Object.values(other).map((x) => x.share)).toEqual([
      QD_387.household,
      QD_387.clan,
      QD_387.community,
      QD_387.unit,
      QD_387.workers,
      QD_387.staff,
    ]);
    expect(other.households_gdht!.preset).toBe('qd-387');
  });

  it('a province row overrides the preset, a commune row overrides the province; null clears', async () => {
    const { fx } = ctx;
    // Officers cannot set the province's targets; the administrator can.
    expect(
      (
        await ctx.put('officer', `/targets?unitId=${fx.ids.P}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: 0.5 }],
        })
      ).statusCode,
    ).toBe(404);
    const prov = await ctx.put('admin', `/targets?unitId=${fx.ids.P}&year=2026`, {
      targets: [
        { indicator: 'households_gdht', share: 0.75 },
        { indicator: 'clans_dhht', share: 0.6 },
      ],
    });
    expect(prov.statusCode).toBe(200);
    let t = byIndicator((await ctx.get('officer', `/targets?unitId=${fx.ids.C}&year=2026`)).json());
    expect(t.households_gdht).toMatchObject({ share: 0.75, source: 'province' });
    expect(t.clans_dhht).toMatchObject({ share: 0.6, source: 'province' });
    expect(t.units_dvht).toMatchObject({ share: PLAN_415.unit, source: 'default' });

    const own = await ctx.put('officer', `/targets?unitId=${fx.ids.C}&year=2026`, {
      targets: [{ indicator: 'households_gdht', share: 0.8 }],
    });
    expect(own.statusCode).toBe(200);
    t = byIndicator(own.json());
    expect(t.households_gdht).toMatchObject({ share: 0.8, source: 'commune' });
    expect(t.clans_dhht).toMatchObject({ share: 0.6, source: 'province' });

    // The summary reads against the effective target.
    const sum = (await ctx.get('officer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`)).json();
    const hh = sum.titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    expect(hh).toMatchObject({ target: 0.8, targetSource: 'commune' });
    expect(hh.gap).toBeCloseTo(0.8 - hh.recognised / hh.registryTotal, 6);

    // Another year is untouched.
    expect(
      byIndicator((await ctx.get('officer', `/targets?unitId=${fx.ids.C}&year=2027`)).json()).households_gdht!.source,
    ).toBe('default');

    // Clearing the commune row falls back to the province row.
    t = byIndicator(
      (
        await ctx.put('officer', `/targets?unitId=${fx.ids.C}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: null }],
        })
      ).json(),
    );
    expect(t.households_gdht).toMatchObject({ share: 0.75, source: 'province' });
  });

  it('scope: other officers, hamlet heads and bad input', async () => {
    const { fx } = ctx;
    expect((await ctx.get('officer2', `/targets?unitId=${fx.ids.C}&year=2026`)).statusCode).toBe(404);
    expect(
      (
        await ctx.put('officer2', `/targets?unitId=${fx.ids.C}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: 0.1 }],
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await ctx.put('viewer', `/targets?unitId=${fx.ids.C}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: 0.1 }],
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await ctx.put('officer', `/targets?unitId=${fx.ids.C}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: 1.5 }],
        })
      ).statusCode,
    ).toBe(400);
    expect((await ctx.get('viewer', `/targets?unitId=${fx.ids.C}&year=2026`)).statusCode).toBe(200);
  });
});
