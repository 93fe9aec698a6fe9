import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { assessments, cdhtCache, persons, SUBJECT_TYPES } from '@hoctap/server/db/schema/index.ts';
import { reportContext, type ReportContext } from './setup.ts';
import { expectedCdht, expectedTitle, PLAN_415 } from './expected.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

const pick = (f: Record<string, unknown>) => ({
  subjectType: f.subjectType,
  registryTotal: f.registryTotal,
  registered: f.registered,
  submitted: f.submitted,
  verified: f.verified,
  recognised: f.recognised,
  share: f.share,
  target: f.target,
  gap: f.gap,
  missing: f.missing,
});
const close = (e: ReturnType<typeof expectedTitle>) => ({
  ...e,
  share: e.share === null ? null : expect.closeTo(e.share, 6),
  gap: e.gap === null ? null : expect.closeTo(e.gap, 6),
});

describe('GET /reports/summary', () => {
  it('commune figures match the fixture, recomputed independently, with the registry as denominator', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.year).toBe(2026);
    for (const type of SUBJECT_TYPES) {
      const got = body.titles.find((x: { subjectType: string }) => x.subjectType === type);
      expect(pick(got), type).toEqual(close(expectedTitle(fx, type)));
    }
    // The denominator is the registry: 11 households, not the 9 that registered.
    const hh = body.titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    expect(hh.registryTotal).toBe(11);
    expect(hh.targetSource).toBe('default');
    // Hamlets below the commune.
    expect(body.children.map((c: { unit: { id: string } }) => c.unit.id).sort()).toEqual([fx.ids.H1, fx.ids.H2].sort());
    for (const child of body.children) {
      for (const type of SUBJECT_TYPES) {
        const got = child.titles.find((x: { subjectType: string }) => x.subjectType === type);
        expect(pick(got), `${child.unit.name} ${type}`).toEqual(close(expectedTitle(fx, type, child.unit.id)));
      }
    }
    // CDHT shares among workers of recognised households/clans/hamlets and staff of recognised units.
    const cd = expectedCdht(fx);
    const workers = body.cdht.find((x: { indicator: string }) => x.indicator === 'workers_cdht');
    const staff = body.cdht.find((x: { indicator: string }) => x.indicator === 'unit_staff_cdht');
    expect([workers.population, workers.holders]).toEqual([cd.workers.population, cd.workers.holders]);
    expect([staff.population, staff.holders]).toEqual([cd.staff.population, cd.staff.holders]);
    expect(workers.target).toBe(PLAN_415.workers);
    expect(staff.share).toBeCloseTo(cd.staff.holders / cd.staff.population, 6);
  });

  it('CDHT figures are cached per campaign and follow every write that moves them', async () => {
    const { fx } = ctx;
    const db = ctx.t.db.database.db;
    const cdht = async () => {
      const res = await ctx.get('officer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`);
      expect(res.statusCode).toBe(200);
      const w = res.json().cdht.find((x: { indicator: string }) => x.indicator === 'workers_cdht');
      return [w.population, w.holders];
    };
    const cd = expectedCdht(fx);
    expect(await cdht()).toEqual([cd.workers.population, cd.workers.holders]);
    const cached = await db.select().from(cdhtCache).where(eq(cdhtCache.campaignId, fx.campaign.id));
    expect(cached).toHaveLength(1);

    // A worker who holds the title in a learning household: counted in both figures.
    const holderIds = new Set(
      fx.assessments
        .filter((a) => a.campaignId === fx.campaign.id && a.subjectType === 'citizen' && a.state === 'recognised')
        .map((a) => a.subjectId),
    );
    const pop = fx.persons.filter((p) => p.isWorker && p.householdId && holderIds.has(p.id));
    const counted = pop.find((p) => {
      const one = expectedCdht({ ...fx, persons: fx.persons.filter((x) => x.id !== p.id) });
      return one.workers.population === cd.workers.population - 1;
    });
    expect(counted, 'the fixture has a counted worker who holds CDHT').toBeDefined();

    // No longer a worker: the cached figure must not survive.
    await db.update(persons).set({ isWorker: false }).where(eq(persons.id, counted!.id));
    expect(await cdht()).toEqual([cd.workers.population - 1, cd.workers.holders - 1]);
    await db.update(persons).set({ isWorker: true }).where(eq(persons.id, counted!.id));
    expect(await cdht()).toEqual([cd.workers.population, cd.workers.holders]);

    // Their citizen title leaves `recognised`: one holder fewer.
    const title = and(
      eq(assessments.campaignId, fx.campaign.id),
      eq(assessments.subjectType, 'citizen'),
      eq(assessments.subjectId, counted!.id),
    );
    await db.update(assessments).set({ state: 'reviewed' }).where(title);
    expect(await cdht()).toEqual([cd.workers.population, cd.workers.holders - 1]);
    await db.update(assessments).set({ state: 'recognised' }).where(title);
    expect(await cdht()).toEqual([cd.workers.population, cd.workers.holders]);
  });

  it('a hamlet head sees their hamlet; a tổ leader sees the hamlet of their tổ; neither sees the commune', async () => {
    const { fx } = ctx;
    const q = (unitId: string) => `/reports/summary?campaignId=${fx.campaign.id}&unitId=${unitId}`;
    const head = await ctx.get('hamletHead', q(fx.ids.H1));
    expect(head.statusCode).toBe(200);
    const hh = head.json().titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    expect(pick(hh)).toEqual(close(expectedTitle(fx, 'household', fx.ids.H1)));
    expect((await ctx.get('leader', q(fx.ids.H1))).statusCode).toBe(200);
    expect((await ctx.get('hamletHead', q(fx.ids.H2))).statusCode).toBe(404);
    expect((await ctx.get('leader', q(fx.ids.H2))).statusCode).toBe(404);
    expect((await ctx.get('hamletHead', q(fx.ids.C))).statusCode).toBe(404);
    expect((await ctx.get('household', q(fx.ids.C))).statusCode).toBe(404);
  });

  it("another commune's officer gets 404 for this commune, its hamlets and the province", async () => {
    const { fx } = ctx;
    for (const unitId of [fx.ids.C, fx.ids.H1, fx.ids.P]) {
      const res = await ctx.get('officer2', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${unitId}`);
      expect(res.statusCode, unitId).toBe(404);
    }
    // Own commune, wrong campaign: 404 as well.
    expect(
      (await ctx.get('officer2', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C2}`)).statusCode,
    ).toBe(404);
  });

  it('a province viewer sees the province: both communes of the year summed, one row per current commune', async () => {
    const { fx } = ctx;
    const res = await ctx.get('viewer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.P}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.campaignIds.sort()).toEqual([fx.campaign.id, fx.campaign2.id].sort());
    const hh = body.titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    const mine = expectedTitle(fx, 'household');
    expect(hh.registryTotal).toBe(mine.registryTotal + fx.otherHouseholds.length);
    expect(hh.recognised).toBe(mine.recognised + 1);
    expect(hh.registered).toBe(mine.registered + 2);
    // Ended pre-merger communes are not rows of today's province.
    expect(body.children.map((c: { unit: { name: string } }) => c.unit.name).sort()).toEqual([
      'Xã Bình Thạnh',
      'Xã Mỹ Hòa',
    ]);
    // CDHT: the province sums its communes' figures (summed per commune by the database).
    const cdhtOfUnit = async (user: 'viewer' | 'officer', unitId: string, campaignId: string) =>
      (await ctx.get(user, `/reports/summary?campaignId=${campaignId}&unitId=${unitId}`))
        .json()
        .cdht.map((x: { indicator: string; population: number; holders: number }) => [
          x.indicator,
          x.population,
          x.holders,
        ]);
    const communeCdht = await cdhtOfUnit('officer', fx.ids.C, fx.campaign.id);
    const provinceCdht = await cdhtOfUnit('viewer', fx.ids.P, fx.campaign.id);
    const cd = expectedCdht(fx);
    const cd2 = expectedCdht({ ...fx, campaign: fx.campaign2 });
    expect(communeCdht).toContainEqual(['workers_cdht', cd.workers.population, cd.workers.holders]);
    expect(provinceCdht).toContainEqual([
      'workers_cdht',
      cd.workers.population + cd2.workers.population,
      cd.workers.holders + cd2.workers.holders,
    ]);
    expect(provinceCdht).toContainEqual([
      'unit_staff_cdht',
      cd.staff.population + cd2.staff.population,
      cd.staff.holders + cd2.staff.holders,
    ]);
    const other = body.children.find((c: { unit: { id: string } }) => c.unit.id === fx.ids.C2);
    const otherHh = other.titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    expect(otherHh.target).toBe(0.7); // that commune reads against QĐ 387
    // The officer of one commune does not see the province.
    expect(
      (await ctx.get('officer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.P}`)).statusCode,
    ).toBe(404);
  });
});
