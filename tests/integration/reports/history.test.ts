import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportContext, type ReportContext } from './setup.ts';
import { expectedTitle } from './expected.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

const title = (year: { titles: { subjectType: string }[] }, t: string) =>
  year.titles.find((x) => x.subjectType === t) as unknown as Record<string, number>;

describe('GET /reports/history across the 2025 merger', () => {
  it("a merged commune's earlier years roll up from its predecessors", async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/reports/history?unitId=${fx.ids.C}&years=2024,2025,2026`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.predecessors.map((p: { name: string }) => p.name).sort()).toEqual(['Xã Hòa Bình', 'Xã Mỹ An']);
    const [y2024, y2025, y2026] = body.years;
    // 2024: the old communes' commune-level rows, summed.
    const old = fx.history.filter((r) => r.year === 2024 && (r.unitId === fx.ids.A || r.unitId === fx.ids.B));
    const sum = (t: string, states: string[]) =>
      old.filter((r) => r.subjectType === t && states.includes(r.state)).reduce((s, r) => s + r.n, 0);
    expect(y2024.campaignIds.length).toBe(2);
    expect(title(y2024, 'household').recognised).toBe(sum('household', ['recognised']));
    expect(title(y2024, 'household').recognised).toBe(5);
    expect(title(y2024, 'household').registered).toBe(
      sum('household', ['recognised', 'verified', 'draft', 'not_recognised']),
    );
    expect(title(y2024, 'clan').recognised).toBe(1);
    expect(title(y2024, 'household').registryTotal).toBe(fx.households.length);
    expect(body.denominator).toBe('registry_now');
    // 2025: no campaign anywhere.
    expect(y2025.campaignIds).toEqual([]);
    expect(title(y2025, 'household').recognised).toBe(0);
    // 2026: this commune's own campaign.
    expect(title(y2026, 'household').recognised).toBe(expectedTitle(fx, 'household').recognised);
  });

  it('a hamlet keeps its history through the merger; the province sums everything once', async () => {
    const { fx } = ctx;
    const h1 = (await ctx.get('hamletHead', `/reports/history?unitId=${fx.ids.H1}&years=2024,2026`)).json();
    expect(title(h1.years[0], 'household').recognised).toBe(3);
    expect(title(h1.years[0], 'community').recognised).toBe(1);
    expect(title(h1.years[1], 'household').recognised).toBe(expectedTitle(fx, 'household', fx.ids.H1).recognised);

    const p = (await ctx.get('viewer', `/reports/history?unitId=${fx.ids.P}&years=2024,2026`)).json();
    expect(title(p.years[0], 'household').recognised).toBe(5);
    expect(title(p.years[1], 'household').recognised).toBe(expectedTitle(fx, 'household').recognised + 1);
    expect((await ctx.get('officer2', `/reports/history?unitId=${fx.ids.C}&years=2024`)).statusCode).toBe(404);
  });
});
