import { parseArgs } from 'node:util';
import pg from 'pg';
import { catalog } from '@hoctap/shared/catalog';
import { connect } from '../../connect.ts';
import { runMigrations } from '../../migrate.ts';
import { upsertCatalogSets } from '../../../modules/criteria-sets/criteria-sets.repo.ts';
import { seedProvince } from './seed-province.ts';

/**
 * npm run seed:province -- [--households 800000] [--communes N] [--year 2026] [--database-url URL]
 * Builds the simulated province on PostgreSQL (never on the embedded database: a province is a
 * PostgreSQL deployment). Creates the database when it does not exist yet.
 */
const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '800000' },
    communes: { type: 'string' },
    year: { type: 'string', default: String(new Date().getUTCFullYear()) },
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hoctap_province',
    },
  },
});

const url = values['database-url'];
const households = Number(values.households);
const year = Number(values.year);
if (!Number.isInteger(households) || households < 1 || !Number.isInteger(year)) {
  console.error('Tham số không hợp lệ: --households và --year phải là số nguyên dương.');
  process.exit(2);
}

await ensureDatabase(url);
const database = await connect({ kind: 'pg', url, poolMax: 2 });
await runMigrations(database);
await upsertCatalogSets(
  database.db,
  catalog.map((s) => ({
    id: s.id,
    subjectType: s.subjectType,
    version: String(s.version),
    title: s.title,
    body: s,
    source: 'catalog' as const,
  })),
);
await database.close();

const pool = new pg.Pool({ connectionString: url, max: 1 });
const started = Date.now();
const result = await seedProvince(pool, {
  households,
  ...(values.communes ? { communes: Number(values.communes) } : {}),
  year,
  onProgress: (done, total, label) => progress(done, total, label, started),
});
await pool.end();
process.stderr.write('\n');
if (!result.seeded) {
  console.log(
    `Tỉnh mô phỏng đã có trong cơ sở dữ liệu (${redact(url)}); không ghi thêm. Xóa cơ sở dữ liệu để tạo lại.`,
  );
} else {
  const s = ((Date.now() - started) / 1000).toFixed(1).replace('.', ',');
  console.log(
    `Đã tạo tỉnh mô phỏng trong ${s} giây: ${result.shape.communes} xã, ${result.shape.communes * result.shape.hamletsPerCommune} ấp, ${result.shape.communes * result.shape.hamletsPerCommune * result.shape.groupsPerHamlet} tổ.`,
  );
  for (const [table, n] of Object.entries(result.rows))
    console.log(`  ${table.padEnd(12)} ${n.toLocaleString('vi-VN')}`);
}

function progress(done: number, total: number, label: string, t0: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const secs = Math.round((Date.now() - t0) / 1000);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label} · ${secs} s   `);
}

async function ensureDatabase(target: string) {
  const u = new URL(target);
  const name = u.pathname.slice(1);
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`Tên cơ sở dữ liệu không hợp lệ: ${name}`);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!r.rowCount) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

function redact(target: string): string {
  const u = new URL(target);
  u.password = '';
  return u.toString();
}
