import pg from 'pg';
import { bandNeighbours, phashBands } from '../../server/src/evidence/perceptual-hash.ts';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/hoctap_bench_sub_18357' });
await c.connect();
const ph = 8641975237077n;
const hex = ph.toString(16).padStart(16, '0');
const bands = phashBands(hex);
const arr = (i: number) => `{${bandNeighbours(bands[i]!).join(',')}}`;
const commune = 'e8929ec5-91f9-4978-b3a6-490adcefdfd7';
const q = (extra: string) => `explain (analyze, buffers, summary) select id, d from (
      select id, bit_count((phash # $1::bigint)::bit(64))::int as d
      from evidence
      where commune_id = $2::uuid and deleted_at is null and state = 'ready' and id <> $3::uuid
        and (phash_b0 = any($4::int[]) or phash_b1 = any($5::int[])
          or phash_b2 = any($6::int[]) or phash_b3 = any($7::int[]))
    ) x where d <= 8 order by d, id limit 10`;
for (let i = 0; i < 3; i++) {
  const r = await c.query(q(''), [ph.toString(), commune, '00000000-0000-0000-0000-000000000000', arr(0), arr(1), arr(2), arr(3)]);
  if (i === 2) console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
}
await c.end();
