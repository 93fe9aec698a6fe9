import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { seedProvince, PROVINCE_ID, type ProvinceSeedOptions } from '@hoctap/server/db/seed/province/seed-province.ts';
import { provinceSeedId } from '@hoctap/server/db/seed/province/names.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { devLogin } from '../../helpers/users.ts';
import { testEngine } from '../../helpers/engine.ts';

// The province generator bulk-loads with COPY: a PostgreSQL deployment only.
describe.skipIf(testEngine() !== 'pg')('seed:province on PostgreSQL', () => {
  let t: TestApp;
  let pool: pg.Pool;
  const options: ProvinceSeedOptions = {
    households: 3001,
    communes: 2,
    hamletsPerCommune: 10,
    groupsPerHamlet: 2,
    year: 2026,
  };
  const one = async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rows[0];

  beforeAll(async () => {
    t = await createTestApp();
    pool = new pg.Pool({ connectionString: t.db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await t?.close();
  });

  it('builds the requested tree and registry through the schema, in one transaction', async () => {
    const result = await seedProvince(pool, options);
    expect(result.seeded).toBe(true);
    const levels = await pool.query(
      `select level, count(*)::int n from admin_units where path like $1 group by level order by level`,
      [`/${PROVINCE_ID}/%`],
    );
    expect(Object.fromEntries(levels.rows.map((r) => [r.level, r.n]))).toEqual({
      province: 1,
      commune: 2,
      hamlet: 20,
      group: 40,
    });
    expect((await one('select count(*)::int n from households')).n).toBe(3001);
    expect((await one('select count(*)::int n from persons where household_id is not null')).n).toBeGreaterThan(3001);
    // Every state of the workflow appears.
    const states = (await pool.query('select distinct state from assessments')).rows.map((r) => r.state);
    for (const s of [
      'draft',
      'submitted',
      'returned',
      'resubmitted',
      'verified',
      'reviewed',
      'recognised',
      'not_recognised',
    ])
      expect(states).toContain(s);
  });

  it('leaves the data consistent: maintained counts equal a recount, every result has its decision', async () => {
    const mismatched = await one(`
      with recount as (
        select a.campaign_id, u.unit_id, a.subject_type, a.state, count(*)::int n
        from assessments a join admin_units c on c.id = a.commune_id
        cross join lateral (values (a.hamlet_id), (a.commune_id), (c.parent_id)) u(unit_id)
        where u.unit_id is not null group by 1, 2, 3, 4)
      select count(*)::int n from recount r
      full join assessment_counts m using (campaign_id, unit_id, subject_type, state)
      where r.n is distinct from m.n`);
    expect(mismatched.n).toBe(0);
    const orphans = await one(`select count(*)::int n from assessments a left join decisions d on d.id = a.decision_id
      where a.state in ('recognised', 'not_recognised') and d.id is null`);
    expect(orphans.n).toBe(0);
    const tallies = await one(`select count(*)::int n from decisions d where recognised_count <>
      (select count(*) from assessments a where a.decision_id = d.id and a.state = 'recognised')`);
    expect(tallies.n).toBe(0);
    const recognisedWithoutCertificate = await one(
      `select count(*)::int n from assessments where state = 'recognised' and certificate_no is null`,
    );
    expect(recognisedWithoutCertificate.n).toBe(0);
  });

  it('is idempotent and deterministic: a second run writes nothing', async () => {
    const before = await one('select count(*)::int n from assessments');
    const again = await seedProvince(pool, options);
    expect(again.seeded).toBe(false);
    expect((await one('select count(*)::int n from assessments')).n).toBe(before.n);
    expect((await one('select id from admin_units where id = $1', [provinceSeedId('commune:1')])).id).toBe(
      provinceSeedId('commune:1'),
    );
  });

  it("serves the commune's figures to its officer from the generated data", async () => {
    const officerId = provinceSeedId('user:officer:0');
    const communeId = provinceSeedId('commune:0');
    await pool.query('update users set dev_login = true where id = $1', [officerId]);
    const { auth } = await devLogin(t.app, officerId);
    const campaign = await one('select id from campaigns where commune_id = $1', [communeId]);
    const res = await t.app.inject({
      url: `/api/v1/reports/summary?campaignId=${campaign.id}&unitId=${communeId}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const household = res.json().titles.find((x: { subjectType: string }) => x.subjectType === 'household');
    const db = await one(
      `select count(*) filter (where state = 'recognised')::int recognised,
              (select count(*)::int from households where commune_id = $1) registry
       from assessments where commune_id = $1 and subject_type = 'household'`,
      [communeId],
    );
    expect(household.recognised).toBe(db.recognised);
    expect(household.registryTotal).toBe(db.registry);
    // Another commune's officer is not let in.
    const other = await t.app.inject({
      url: `/api/v1/reports/summary?campaignId=${campaign.id}&unitId=${provinceSeedId('commune:1')}`,
      headers: auth,
    });
    expect(other.statusCode).toBe(404);
  });
});
