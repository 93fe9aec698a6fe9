import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { compile } from '@hoctap/shared';
import { buildApp } from '@hoctap/server';
import { loadConfig } from '@hoctap/server/config.ts';
import { connect } from '@hoctap/server/db/connect.ts';
import { runMigrations } from '@hoctap/server/db/migrate.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { seedDemoCampaign } from '@hoctap/server/db/seed/demo-campaign.ts';
import { systemClock } from '@hoctap/server/lib/clock.ts';
import { CONSENT_VERSION, consentTextHash } from '@hoctap/server/modules/identity/consent-texts.ts';
import { BENCH_JWT_SECRET } from './server-process.ts';
import { benchToken } from './tokens.ts';

/** Where a benchmark's API keeps its data: a fresh PostgreSQL database or a PGlite directory. */
export interface BenchStore {
  engine: 'PostgreSQL' | 'PGlite';
  /** Environment for the API process. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database created for this run (dropped by `dispose`), so runs never see each other's rows. */
export async function freshPostgres(label: string): Promise<BenchStore & { url: string }> {
  const name = `hoctap_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-bench-'));
  return {
    engine: 'PostgreSQL',
    url,
    env: { DATABASE_URL: url, DATA_DIR: dataDir, DATABASE_POOL_MAX: '10' },
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The embedded engine: no DATABASE_URL, PGlite under a temporary DATA_DIR. */
export function freshPglite(): BenchStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoctap-bench-pglite-'));
  return {
    engine: 'PGlite',
    env: { DATA_DIR: dataDir },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export interface BenchHousehold {
  userId: string;
  householdId: string;
  token: string;
  /** A ready draft (every indicator answered, required photos processed), or null. */
  assessmentId: string | null;
}

export interface BenchWorld {
  campaignId: string;
  /** Indicator codes of the household form (uploads spread over them). */
  codes: string[];
  households: BenchHousehold[];
}

/**
 * The single-commune demo (the same seed `SEED_DEMO=true` writes) plus `households` more
 * households in one tổ, each with a consenting user, and a ready draft for the first `drafts`.
 * One draft is made through the API (so it is whatever the API accepts); the rest are copies of
 * it written in bulk SQL through the same schema and constraints, which is seconds instead of
 * minutes. Runs in this process before the API process starts (PGlite allows one opener).
 */
export async function buildWorld(store: BenchStore, opts: { households: number; drafts: number }): Promise<BenchWorld> {
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: BENCH_JWT_SECRET,
    EVIDENCE_PROCESSING: 'false',
    DISPATCHER_ENABLED: 'false',
    ...store.env,
  };
  const config = loadConfig(env);
  const database = await connect(config.database);
  try {
    await runMigrations(database);
    await seedDemo(database.db, systemClock);
    const app = await buildApp(config, { logger: false, database });
    try {
      await seedDemoCampaign(app.services, systemClock);
      const q = <T>(query: ReturnType<typeof sql>) => database.db.execute(query).then((r) => rowsOf<T>(r));
      const [campaign] = await q<{ id: string }>(
        sql`select id from campaigns where commune_id = ${DEMO.communeId} order by year desc limit 1`,
      );
      const group = DEMO.groups[DEMO.groups.length - 1]!;
      const households = await addHouseholds(q, opts.households, group);
      // The template: registered and answered through the API.
      const t = households[0]!;
      const call = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
        const r = await app.inject({
          method,
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${t.token}` },
          payload: payload as object,
        });
        if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
        return r.json();
      };
      const template = randomUUID();
      await call('POST', '/assessments', {
        id: template,
        campaignId: campaign!.id,
        subjectType: 'household',
        subjectId: t.householdId,
      });
      const [row] = await q<{ criteria_set_id: string }>(
        sql`select criteria_set_id from assessments where id = ${template}`,
      );
      const set = await app.services.criteriaSets.load(database.db, row!.criteria_set_id);
      const view = compile(set).views.get('')!;
      for (const i of view.indicators) {
        const points = i.allowed?.length ? Math.max(...i.allowed) : i.maxPoints;
        await call('PUT', `/assessments/${template}/answers/${i.code}`, { points });
      }
      t.assessmentId = template;
      // Processed photos where the form asks for them: submit reads them like a real draft's.
      for (const i of view.indicators) {
        for (let k = 0; k < i.minPhotos; k++) {
          const key = `bench/${randomUUID()}`;
          await q(sql`insert into evidence (id, assessment_id, indicator_code, commune_id, sha256, state, mime,
                        image_key, thumb_key, bytes, width, height, uploaded_by, created_at, processed_at)
                      values (${randomUUID()}, ${template}, ${i.code}, ${DEMO.communeId}, ${randomUUID()}, 'ready',
                        'image/jpeg', ${key}, ${`${key}-thumb`}, 200000, 1600, 1200, ${t.userId}, now(), now())`);
        }
      }
      await cloneDrafts(q, template, households.slice(1, opts.drafts));
      // Planner statistics for what was just bulk-loaded, as autovacuum would have them in a
      // database that grew over a season: without them PostgreSQL took the 35.000 photos of the
      // commune for a handful and scanned them all for each duplicate search (~12 ms a photo).
      await q(sql`analyze`);
      return { campaignId: campaign!.id, codes: view.indicators.map((i) => i.code), households };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

type Query = <T>(query: ReturnType<typeof sql>) => Promise<T[]>;

function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : ((r as { rows?: T[] }).rows ?? [])) as T[];
}

async function addHouseholds(q: Query, n: number, group: { id: string; hamletId: string }): Promise<BenchHousehold[]> {
  const out: BenchHousehold[] = [];
  for (let i = 0; i < n; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
      h: randomUUID(),
      u: randomUUID(),
      n: i + k + 1,
    }));
    const hs = JSON.stringify(chunk);
    // jsonb_to_recordset: one statement per table for a whole chunk, on both engines.
    await q(sql`insert into households (id, commune_id, hamlet_id, group_id, head_name, external_key)
      select h, ${DEMO.communeId}, ${group.hamletId}, ${group.id}, 'Hộ đo tải ' || n, 'bench-' || h
      from jsonb_to_recordset(${hs}::jsonb) as x(h uuid, u uuid, n int)`);
    await q(sql`insert into users (id, display_name, household_id)
      select u, 'Chủ hộ đo tải ' || n, h from jsonb_to_recordset(${hs}::jsonb) as x(h uuid, u uuid, n int)`);
    for (const purpose of ['evaluation', 'photos'] as const) {
      await q(sql`insert into consents (id, user_id, purpose, action, text_version, text_hash, at)
        select gen_random_uuid(), u, ${purpose}, 'grant', ${CONSENT_VERSION}, ${consentTextHash(purpose, 'household')}, now()
        from jsonb_to_recordset(${hs}::jsonb) as x(h uuid, u uuid)`);
    }
    for (const c of chunk) out.push({ userId: c.u, householdId: c.h, token: benchToken(c.u), assessmentId: null });
  }
  return out;
}

/** Copies the template draft (row, answers, processed photos, maintained counts) for each household. */
async function cloneDrafts(q: Query, template: string, targets: BenchHousehold[]): Promise<void> {
  for (let i = 0; i < targets.length; i += 1000) {
    const chunk = targets.slice(i, i + 1000);
    for (const t of chunk) t.assessmentId = randomUUID();
    const js = JSON.stringify(chunk.map((t) => ({ a: t.assessmentId, h: t.householdId, u: t.userId })));
    await q(sql`insert into assessments (id, campaign_id, subject_type, subject_id, subject_name, commune_id, hamlet_id,
        group_id, criteria_set_id, subject_group, state, version, self_total, verdict, created_by, created_at, updated_at)
      select x.a, t.campaign_id, t.subject_type, x.h, t.subject_name, t.commune_id, t.hamlet_id, t.group_id,
        t.criteria_set_id, t.subject_group, t.state, t.version, t.self_total, t.verdict, x.u, t.created_at, t.updated_at
      from jsonb_to_recordset(${js}::jsonb) as x(a uuid, h uuid, u uuid), assessments t where t.id = ${template}`);
    await q(sql`insert into answers (assessment_id, layer, indicator_code, points, note, updated_by, updated_at)
      select x.a, s.layer, s.indicator_code, s.points, s.note, x.u, s.updated_at
      from jsonb_to_recordset(${js}::jsonb) as x(a uuid, h uuid, u uuid), answers s where s.assessment_id = ${template}`);
    await q(sql`insert into evidence (id, assessment_id, indicator_code, commune_id, sha256, state, mime, image_key,
        thumb_key, bytes, width, height, uploaded_by, created_at, processed_at)
      select gen_random_uuid(), x.a, e.indicator_code, e.commune_id, md5(random()::text), 'ready', e.mime, e.image_key,
        e.thumb_key, e.bytes, e.width, e.height, x.u, e.created_at, e.processed_at
      from jsonb_to_recordset(${js}::jsonb) as x(a uuid, h uuid, u uuid), evidence e where e.assessment_id = ${template}`);
    // The dashboards' counts move with every state change; the copies are drafts like the template.
    await q(sql`update assessment_counts c set n = n + ${chunk.length}
      from assessments t where t.id = ${template} and c.campaign_id = t.campaign_id
        and c.subject_type = t.subject_type and c.state = t.state
        and c.unit_id in (t.hamlet_id, t.commune_id, ${DEMO.provinceId})`);
  }
}

/** A submit of `h`'s ready draft, with a fresh idempotency key (autocannon's setupRequest). */
export function submitRequest(h: BenchHousehold) {
  return {
    method: 'POST',
    path: `/api/v1/assessments/${h.assessmentId}/submit`,
    headers: { authorization: `Bearer ${h.token}`, 'idempotency-key': randomUUID() },
  };
}
