import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { households } from '@hoctap/server/db/schema/index.ts';
import { reportContext, type ReportContext } from './setup.ts';

// The commune dashboard's answer is cached by a fingerprint of what it is computed from
// (summary-cache.ts). A cached answer keeps the time it was computed; every kind of write that
// moves a figure must give a fresh one, whoever makes it (the API, an import, psql).
let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

interface Title {
  subjectType: string;
  registryTotal: number;
  recognised: number;
  target: number | null;
}
interface Summary {
  generatedAt: string;
  titles: Title[];
  children: { unit: { id: string; name: string }; titles: Title[] }[];
  cdht: { indicator: string; population: number }[];
}

const household = (s: Summary) => s.titles.find((t) => t.subjectType === 'household')!;

describe('GET /reports/summary: the cached answer', () => {
  const url = () => `/reports/summary?campaignId=${ctx.fx.campaign.id}&unitId=${ctx.fx.ids.C}`;
  const summary = async (): Promise<Summary> => {
    const res = await ctx.get('officer', url());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.json();
  };
  /** Moves the clock, so a recomputed answer shows a new generatedAt and a cached one the old. */
  const later = () => ctx.clock.advance(60_000);
  const db = () => ctx.t.db.database.db;

  it('is served again while nothing moved, and computed again after each kind of write', async () => {
    const first = await summary();
    later();
    const again = await summary();
    expect(again).toEqual(first);

    // A target set by the officer (through the API).
    later();
    expect(
      (
        await ctx.put('officer', `/targets?unitId=${ctx.fx.ids.C}&year=2026`, {
          targets: [{ indicator: 'households_gdht', share: 0.55 }],
        })
      ).statusCode,
    ).toBe(200);
    const targeted = await summary();
    expect(targeted.generatedAt).not.toBe(first.generatedAt);
    expect(household(targeted).target).toBe(0.55);

    // A household added to the registry (a direct insert, as an import or psql would).
    later();
    await db().insert(households).values({
      id: randomUUID(),
      communeId: ctx.fx.ids.C,
      hamletId: ctx.fx.ids.H1,
      groupId: ctx.fx.ids.G11,
      headName: 'Hộ mới đăng ký',
      address: 'Ấp 1',
      clanId: null,
      externalKey: 'cache-test-1',
      memberCount: 1,
    });
    const registered = await summary();
    expect(registered.generatedAt).not.toBe(targeted.generatedAt);
    expect(household(registered).registryTotal).toBe(household(targeted).registryTotal + 1);

    // A maintained count moved (what every workflow transition writes).
    later();
    await db().execute(sql`update assessment_counts set n = n + 1
      where campaign_id = ${ctx.fx.campaign.id} and unit_id = ${ctx.fx.ids.C}
        and subject_type = 'household' and state = 'recognised' and slot = (
          select min(slot) from assessment_counts where campaign_id = ${ctx.fx.campaign.id}
            and unit_id = ${ctx.fx.ids.C} and subject_type = 'household' and state = 'recognised')`);
    const counted = await summary();
    expect(household(counted).recognised).toBe(household(registered).recognised + 1);

    // A hamlet renamed.
    later();
    await db().execute(sql`update admin_units set name = 'Ấp Đổi Tên' where id = ${ctx.fx.ids.H1}`);
    const renamed = await summary();
    expect(renamed.children.map((c) => c.unit.name)).toContain('Ấp Đổi Tên');

    // The CDHT figures' stamp moved (a person's data changed).
    later();
    await db().execute(sql`update cdht_stamps set version = version || '+' where commune_id = ${ctx.fx.ids.C}`);
    const restamped = await summary();
    expect(restamped.generatedAt).not.toBe(renamed.generatedAt);

    // And a new day is a new answer (units in force are counted by date).
    ctx.clock.advance(86_400_000);
    expect((await summary()).generatedAt).not.toBe(restamped.generatedAt);
  });

  it("is kept per unit, and the authorisation still runs first: another commune's officer gets 404", async () => {
    const commune = await summary();
    const hamlet = await ctx.get(
      'officer',
      `/reports/summary?campaignId=${ctx.fx.campaign.id}&unitId=${ctx.fx.ids.H1}`,
    );
    expect(hamlet.statusCode).toBe(200);
    expect(hamlet.json().unit.id).toBe(ctx.fx.ids.H1);
    expect(commune.children.length).toBeGreaterThan(0);
    // The other commune's officer: the cached answer is never a way in.
    expect((await ctx.get('officer2', url())).statusCode).toBe(404);
  });
});
