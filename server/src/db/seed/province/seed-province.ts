import type pg from 'pg';
import { bulkInsert, type BulkColumn } from './bulk-insert.ts';
import { buildCommune, type CommuneRows, type ProvinceShape } from './commune-rows.ts';
import { provinceSeedId } from './names.ts';

/**
 * `npm run seed:province`: a deterministic province on PostgreSQL (~100 communes, ~3,000 hamlets,
 * ~12,000 tổ, ~800,000 households by default) through the application's own schema and
 * constraints. It runs in ONE transaction, so a crash leaves nothing and a rerun starts clean;
 * a province already present is left alone (idempotent). Counts are maintained the way the
 * workflow maintains them: `assessment_counts` is computed from the loaded assessments.
 */

export interface ProvinceSeedOptions {
  households: number;
  communes?: number;
  hamletsPerCommune?: number;
  groupsPerHamlet?: number;
  year: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface ProvinceSeedResult {
  seeded: boolean;
  provinceId: string;
  shape: ProvinceShape;
  rows: Partial<Record<keyof CommuneRows, number>>;
}

export const PROVINCE_ID = provinceSeedId('province');

const c = (name: string, type: BulkColumn['type']): BulkColumn => ({ name, type });
const TABLES: Record<keyof CommuneRows, { table: string; columns: BulkColumn[] }> = {
  adminUnits: {
    table: 'admin_units',
    columns: [
      c('id', 'uuid'),
      c('level', 'text'),
      c('kind', 'text'),
      c('name', 'text'),
      c('code', 'text'),
      c('parent_id', 'uuid'),
      c('path', 'text'),
      c('effective_from', 'date'),
      c('created_at', 'timestamptz'),
    ],
  },
  clans: {
    table: 'clans',
    columns: [
      c('id', 'uuid'),
      c('commune_id', 'uuid'),
      c('hamlet_id', 'uuid'),
      c('name', 'text'),
      c('head_name', 'text'),
      c('head_user_id', 'uuid'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  units: {
    table: 'units',
    columns: [
      c('id', 'uuid'),
      c('commune_id', 'uuid'),
      c('hamlet_id', 'uuid'),
      c('name', 'text'),
      c('type', 'text'),
      c('head_name', 'text'),
      c('head_user_id', 'uuid'),
      c('staff_count', 'int'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  households: {
    table: 'households',
    columns: [
      c('id', 'uuid'),
      c('commune_id', 'uuid'),
      c('hamlet_id', 'uuid'),
      c('group_id', 'uuid'),
      c('head_name', 'text'),
      c('address', 'text'),
      c('member_count', 'smallint'),
      c('phone', 'text'),
      c('clan_id', 'uuid'),
      c('external_key', 'text'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  persons: {
    table: 'persons',
    columns: [
      c('id', 'uuid'),
      c('commune_id', 'uuid'),
      c('household_id', 'uuid'),
      c('unit_id', 'uuid'),
      c('full_name', 'text'),
      c('birth_year', 'smallint'),
      c('relation', 'text'),
      c('in_school', 'bool'),
      c('cdht_group', 'text'),
      c('is_worker', 'bool'),
      c('created_at', 'timestamptz'),
    ],
  },
  users: {
    table: 'users',
    columns: [
      c('id', 'uuid'),
      c('display_name', 'text'),
      c('phone', 'text'),
      c('household_id', 'uuid'),
      c('person_id', 'uuid'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  roles: {
    table: 'role_assignments',
    columns: [
      c('id', 'uuid'),
      c('user_id', 'uuid'),
      c('role', 'text'),
      c('unit_id', 'uuid'),
      c('created_at', 'timestamptz'),
    ],
  },
  campaigns: {
    table: 'campaigns',
    columns: [
      c('id', 'uuid'),
      c('commune_id', 'uuid'),
      c('year', 'smallint'),
      c('title', 'text'),
      c('criteria_set_ids', 'jsonb'),
      c('registration_opens_at', 'timestamptz'),
      c('self_assessment_due_at', 'timestamptz'),
      c('verification_due_at', 'timestamptz'),
      c('recognition_due_at', 'timestamptz'),
      c('report_due_at', 'timestamptz'),
      c('status', 'text'),
      c('created_by', 'uuid'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  assessments: {
    table: 'assessments',
    columns: [
      c('id', 'uuid'),
      c('campaign_id', 'uuid'),
      c('subject_type', 'text'),
      c('subject_id', 'uuid'),
      c('subject_name', 'text'),
      c('commune_id', 'uuid'),
      c('hamlet_id', 'uuid'),
      c('group_id', 'uuid'),
      c('criteria_set_id', 'text'),
      c('subject_group', 'text'),
      c('state', 'text'),
      c('version', 'int'),
      c('self_total', 'float8'),
      c('verified_total', 'float8'),
      c('commune_total', 'float8'),
      c('verdict', 'jsonb'),
      c('submitted_at', 'timestamptz'),
      c('verified_at', 'timestamptz'),
      c('verified_by', 'uuid'),
      c('decided_at', 'timestamptz'),
      c('decision_id', 'uuid'),
      c('certificate_no', 'text'),
      c('created_by', 'uuid'),
      c('created_at', 'timestamptz'),
      c('updated_at', 'timestamptz'),
    ],
  },
  answers: {
    table: 'answers',
    columns: [
      c('assessment_id', 'uuid'),
      c('layer', 'text'),
      c('indicator_code', 'text'),
      c('points', 'float8'),
      c('note', 'text'),
      c('reason', 'text'),
      c('updated_by', 'uuid'),
      c('updated_at', 'timestamptz'),
    ],
  },
  decisions: {
    table: 'decisions',
    columns: [
      c('id', 'uuid'),
      c('campaign_id', 'uuid'),
      c('subject_type', 'text'),
      c('number', 'text'),
      c('decided_on', 'date'),
      c('signer', 'text'),
      c('signer_title', 'text'),
      c('recognised_count', 'int'),
      c('not_recognised_count', 'int'),
      c('created_by', 'uuid'),
      c('created_at', 'timestamptz'),
    ],
  },
  audit: {
    table: 'audit_events',
    columns: [
      c('at', 'timestamptz'),
      c('actor_id', 'text'),
      c('on_behalf_of', 'text'),
      c('action', 'text'),
      c('entity_type', 'text'),
      c('entity_id', 'text'),
      c('data', 'jsonb'),
    ],
  },
  outbox: {
    table: 'notification_outbox',
    columns: [
      c('dedupe_key', 'text'),
      c('kind', 'text'),
      c('channel', 'text'),
      c('recipient', 'text'),
      c('payload', 'jsonb'),
      c('status', 'text'),
      c('attempts', 'int'),
      c('next_attempt_at', 'timestamptz'),
      c('locked_until', 'timestamptz'),
      c('last_error', 'text'),
      c('provider_message_id', 'text'),
      c('created_at', 'timestamptz'),
      c('sent_at', 'timestamptz'),
    ],
  },
  inbox: {
    table: 'inbox_messages',
    columns: [
      c('id', 'uuid'),
      c('user_id', 'uuid'),
      c('kind', 'text'),
      c('title', 'text'),
      c('body', 'text'),
      c('link', 'text'),
      c('dedupe_key', 'text'),
      c('created_at', 'timestamptz'),
    ],
  },
};

/** The default shape scales the tree with the household count (100 communes at 800,000). */
export function provinceShape(options: ProvinceSeedOptions): ProvinceShape {
  const communes = options.communes ?? Math.max(1, Math.min(100, Math.round(options.households / 8000)));
  return {
    provinceId: PROVINCE_ID,
    provincePath: `/${PROVINCE_ID}/`,
    year: options.year,
    communes,
    hamletsPerCommune: options.hamletsPerCommune ?? 30,
    groupsPerHamlet: options.groupsPerHamlet ?? 4,
    households: options.households,
  };
}

export async function seedProvince(pool: pg.Pool, options: ProvinceSeedOptions): Promise<ProvinceSeedResult> {
  const shape = provinceShape(options);
  const rows: ProvinceSeedResult['rows'] = {};
  const client = await pool.connect();
  try {
    const existing = await client.query('select 1 from admin_units where id = $1', [PROVINCE_ID]);
    if (existing.rowCount) return { seeded: false, provinceId: PROVINCE_ID, shape, rows };
    await client.query('begin');
    // The whole build is one transaction: durability of each batch is not needed until COMMIT.
    await client.query('set local synchronous_commit = off');
    await bulkInsert(client, 'admin_units', TABLES.adminUnits.columns, [
      [
        PROVINCE_ID,
        'province',
        'tỉnh',
        'Tỉnh Sen Hồng (mô phỏng)',
        'SIM',
        null,
        shape.provincePath,
        '2025-07-01',
        new Date(Date.UTC(shape.year, 6, 1)),
      ],
    ]);
    // The province's viewer (the Sở/Hội Khuyến học officer who reads every commune's figures).
    const viewerId = provinceSeedId('user:province-viewer');
    const at = new Date(Date.UTC(shape.year, 6, 1));
    await bulkInsert(client, 'users', TABLES.users.columns, [
      [viewerId, 'Cán bộ tỉnh (mô phỏng)', null, null, null, at, at],
    ]);
    await bulkInsert(client, 'role_assignments', TABLES.roles.columns, [
      [provinceSeedId('role:province-viewer'), viewerId, 'province_viewer', PROVINCE_ID, at],
    ]);
    for (let i = 0; i < shape.communes; i++) {
      const commune = buildCommune(shape, i);
      for (const key of Object.keys(TABLES) as (keyof CommuneRows)[]) {
        const { table, columns } = TABLES[key];
        await bulkInsert(client, table, columns, commune[key]);
        rows[key] = (rows[key] ?? 0) + commune[key].length;
      }
      options.onProgress?.(i + 1, shape.communes, `xã ${i + 1}/${shape.communes}`);
    }
    await client.query(MAINTAINED_COUNTS, [`${shape.provincePath}%`]);
    await client.query('commit');
    // A bulk load leaves the planner without statistics until autovacuum gets round to it (every
    // query planned before then assumes empty tables), and the trigger-maintained registry_counts
    // with one dead row version per household and person loaded (10,000 rows in 210 MB: a
    // province dashboard read them in 0,7 s). Compact it, then vacuum and analyse everything.
    await client.query('vacuum full registry_counts');
    await client.query('vacuum analyze');
    return { seeded: true, provinceId: PROVINCE_ID, shape, rows };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The same rows the workflow maintains per state change: one per hamlet, commune and province. */
const MAINTAINED_COUNTS = `
  insert into assessment_counts (campaign_id, unit_id, subject_type, state, n)
  select a.campaign_id, u.unit_id, a.subject_type, a.state, count(*)::int
  from assessments a
  join admin_units cu on cu.id = a.commune_id and cu.path like $1
  cross join lateral (values (a.hamlet_id), (a.commune_id), (cu.parent_id)) as u(unit_id)
  where u.unit_id is not null
  group by a.campaign_id, u.unit_id, a.subject_type, a.state
`;
