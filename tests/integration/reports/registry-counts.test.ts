/**
 * registry_counts (the denominators) is maintained by triggers: whatever writes the registry, in
 * whatever order, the maintained counts equal a recount. Random sequences of registry writes
 * (fast-check) are replayed on one database, each followed by the comparison.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let t: TestDatabase;
const exec = (q: ReturnType<typeof sql>) => t.database.db.execute(q);

const NIL = '00000000-0000-0000-0000-000000000000';
const communes = [randomUUID(), randomUUID()];
const hamlets = [randomUUID(), randomUUID(), randomUUID()];

/** The denominators counted from scratch, as the reports counted them before the table existed. */
async function recount(): Promise<string[]> {
  const rows = rowsOf<{ k: string }>(
    await exec(sql`
    select commune_id || '/' || coalesce(hamlet_id::text, ${NIL}) || '/' || t || '=' || sum(n) as k from (
      select commune_id, hamlet_id, 'household' t, count(*) n from households group by 1, 2
      union all select commune_id, hamlet_id, 'clan', count(*) from clans group by 1, 2
      union all select commune_id, hamlet_id, 'unit', count(*) from units group by 1, 2
      union all select h.commune_id, h.hamlet_id, 'citizen', count(*) from persons p
        join households h on h.id = p.household_id group by 1, 2
      union all select p.commune_id, u.hamlet_id, 'citizen', count(*) from persons p
        join units u on u.id = p.unit_id where p.household_id is null group by 1, 2
    ) x group by commune_id, hamlet_id, t order by 1`),
  );
  return rows.map((r) => r.k);
}
async function maintained(): Promise<string[]> {
  const rows = rowsOf<{ k: string }>(
    await exec(sql`select commune_id || '/' || hamlet_key || '/' || subject_type || '=' || n as k
      from registry_counts where n <> 0 order by 1`),
  );
  return rows.map((r) => r.k);
}

type Op =
  | { op: 'household'; commune: number; hamlet: number }
  | { op: 'moveHousehold'; pick: number; hamlet: number }
  | { op: 'deleteHousehold'; pick: number }
  | { op: 'unit'; commune: number; hamlet: number | null }
  | { op: 'moveUnit'; pick: number; hamlet: number | null }
  | { op: 'clan'; commune: number; hamlet: number | null }
  | { op: 'person'; commune: number; household: number | null; unit: number | null }
  | { op: 'movePerson'; pick: number; household: number | null; unit: number | null }
  | { op: 'deletePerson'; pick: number };

const idx = fc.nat({ max: 20 });
const hamlet = fc.integer({ min: 0, max: hamlets.length - 1 });
const commune = fc.integer({ min: 0, max: communes.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('household' as const), commune, hamlet }),
  fc.record({ op: fc.constant('moveHousehold' as const), pick: idx, hamlet }),
  fc.record({ op: fc.constant('deleteHousehold' as const), pick: idx }),
  fc.record({ op: fc.constant('unit' as const), commune, hamlet: fc.option(hamlet) }),
  fc.record({ op: fc.constant('moveUnit' as const), pick: idx, hamlet: fc.option(hamlet) }),
  fc.record({ op: fc.constant('clan' as const), commune, hamlet: fc.option(hamlet) }),
  fc.record({ op: fc.constant('person' as const), commune, household: fc.option(idx), unit: fc.option(idx) }),
  fc.record({ op: fc.constant('movePerson' as const), pick: idx, household: fc.option(idx), unit: fc.option(idx) }),
  fc.record({ op: fc.constant('deletePerson' as const), pick: idx }),
);

/** Ids handed out so far; a reference may point at an id whose row does not exist (yet or any more). */
const ids = { households: [] as string[], units: [] as string[], persons: [] as string[] };
const ref = (list: string[], i: number | null) =>
  i === null ? null : (list[i % Math.max(1, list.length)] ?? randomUUID());

async function apply(o: Op) {
  const h = (i: number | null) => (i === null ? null : hamlets[i]!);
  switch (o.op) {
    case 'household': {
      const id = randomUUID();
      ids.households.push(id);
      await exec(sql`insert into households (id, commune_id, hamlet_id, group_id, head_name, external_key)
        values (${id}, ${communes[o.commune]!}, ${h(o.hamlet)!}, ${randomUUID()}, 'Hộ thử', ${id})`);
      return;
    }
    case 'moveHousehold':
      return exec(sql`update households set hamlet_id = ${h(o.hamlet)!} where id = ${ref(ids.households, o.pick)}`);
    case 'deleteHousehold':
      return exec(sql`delete from households where id = ${ref(ids.households, o.pick)}`);
    case 'unit': {
      const id = randomUUID();
      ids.units.push(id);
      await exec(sql`insert into units (id, commune_id, hamlet_id, name, type, head_name)
        values (${id}, ${communes[o.commune]!}, ${h(o.hamlet)}, ${'Đơn vị ' + id}, 'school', 'Thủ trưởng')`);
      return;
    }
    case 'moveUnit':
      return exec(sql`update units set hamlet_id = ${h(o.hamlet)} where id = ${ref(ids.units, o.pick)}`);
    case 'clan':
      return exec(sql`insert into clans (id, commune_id, hamlet_id, name, head_name)
        values (${randomUUID()}, ${communes[o.commune]!}, ${h(o.hamlet)}, ${'Họ ' + randomUUID()}, 'Trưởng họ')`);
    case 'person': {
      const id = randomUUID();
      ids.persons.push(id);
      await exec(sql`insert into persons (id, commune_id, household_id, unit_id, full_name)
        values (${id}, ${communes[o.commune]!}, ${ref(ids.households, o.household)}, ${ref(ids.units, o.unit)}, 'Người thử')`);
      return;
    }
    case 'movePerson':
      return exec(sql`update persons set household_id = ${ref(ids.households, o.household)},
        unit_id = ${ref(ids.units, o.unit)} where id = ${ref(ids.persons, o.pick)}`);
    case 'deletePerson':
      return exec(sql`delete from persons where id = ${ref(ids.persons, o.pick)}`);
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.close());

describe('registry_counts (maintained denominators)', () => {
  it('equals a recount after any sequence of registry writes, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        expect(await maintained()).toEqual(await recount());
      }),
      { numRuns: 30, seed: 20261203 },
    );
    expect((await recount()).length).toBeGreaterThan(3);
  });
});
