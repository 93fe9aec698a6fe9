import { randomUUID } from 'node:crypto';
import type { Db } from '@hoctap/server/db/types.ts';
import { adminUnits, consents, households, roleAssignments, users } from '@hoctap/server/db/schema/index.ts';
import { CONSENT_VERSION, consentTextHash } from '@hoctap/server/modules/identity/consent-texts.ts';
import { printRow, startBenchServer } from './bench-app.ts';

const GDHT_CODES = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2'];
const DAY = 86_400_000;

/** Runs `fn` over `items` with `concurrency` in flight; returns per-call latencies (ms) and failures. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<number>) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t0 = performance.now();
        const status = await fn(item);
        latencies.push(performance.now() - t0);
        if (status >= 300) failures.push(String(status));
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

function figures(r: Awaited<ReturnType<typeof pool>>) {
  const s = [...r.latencies].sort((a, b) => a - b);
  const q = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(1);
  const byStatus = [...new Set(r.failures)].map((s) => `${s}×${r.failures.filter((f) => f === s).length}`).join(',');
  return { 'per_s': Math.round(r.latencies.length / r.seconds), p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), failed: r.failures.length, ...(byStatus ? { statuses: byStatus } : {}) };
}

/** A commune with one hamlet, one tổ and `n` households, each with a consenting, linked user. */
async function world(db: Db, n: number) {
  const mk = (level: 'province' | 'commune' | 'hamlet' | 'group', parent: { id: string; path: string } | null) => {
    const id = randomUUID();
    return { id, path: `${parent?.path ?? '/'}${id}/`, level, parentId: parent?.id ?? null };
  };
  const province = mk('province', null);
  const commune = mk('commune', province);
  const hamlet = mk('hamlet', commune);
  const group = mk('group', hamlet);
  await db.insert(adminUnits).values(
    [province, commune, hamlet, group].map((u) => ({ id: u.id, level: u.level, kind: u.level, name: `Đơn vị ${u.level}`, parentId: u.parentId, path: u.path })),
  );
  const officer = randomUUID();
  await db.insert(users).values({ id: officer, displayName: 'Cán bộ đo tải', devLogin: true });
  await db.insert(roleAssignments).values({ id: randomUUID(), userId: officer, role: 'officer', unitId: commune.id });
  const people: { userId: string; householdId: string }[] = [];
  for (let i = 0; i < n; i++) people.push({ userId: randomUUID(), householdId: randomUUID() });
  for (let i = 0; i < n; i += 500) {
    const chunk = people.slice(i, i + 500);
    await db.insert(households).values(
      chunk.map((p, j) => ({ id: p.householdId, communeId: commune.id, hamletId: hamlet.id, groupId: group.id, headName: `Hộ ${i + j}`, externalKey: p.householdId })),
    );
    await db.insert(users).values(chunk.map((p, j) => ({ id: p.userId, displayName: `Chủ hộ ${i + j}`, householdId: p.householdId })));
    await db.insert(consents).values(
      chunk.map((p) => ({ id: randomUUID(), userId: p.userId, purpose: 'evaluation' as const, action: 'grant' as const, textVersion: CONSENT_VERSION, textHash: consentTextHash('evaluation'), at: new Date() })),
    );
  }
  return { communeId: commune.id, officer, people };
}

/**
 * The household hot path over real HTTP: register an assessment, save ten draft answers, submit
 * with an Idempotency-Key. Each phase is timed separately; submissions/s is the headline figure
 * (ODK Central ingests ~130–190/s on this kind of machine).
 */
export async function benchSubmissions(n: number, concurrency: number): Promise<void> {
  const server = await startBenchServer();
  try {
    const db = server.app.services.db;
    const w = await world(db, n);
    const sign = (userId: string) => `Bearer ${server.app.jwt.sign({ sub: userId, ver: '1' })}`;
    const now = Date.now();
    const at = (d: number) => new Date(now + d * DAY).toISOString();
    const campaign = await fetch(`${server.url}/api/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: sign(w.officer), 'content-type': 'application/json' },
      body: JSON.stringify({
        communeId: w.communeId,
        year: new Date(now).getUTCFullYear(),
        title: 'Đo tải',
        registrationOpensAt: at(-1),
        selfAssessmentDueAt: at(10),
        verificationDueAt: at(20),
        recognitionDueAt: at(25),
        reportDueAt: at(30),
      }),
    }).then((r) => r.json() as Promise<{ id: string }>);

    const jobs = w.people.map((p) => ({ ...p, assessmentId: randomUUID(), auth: sign(p.userId) }));
    const call = (method: string, path: string, auth: string, body?: unknown, extra: Record<string, string> = {}) =>
      fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });

    const register = await pool(jobs, concurrency, (j) =>
      call('POST', '/assessments', j.auth, { id: j.assessmentId, campaignId: campaign.id, subjectType: 'household', subjectId: j.householdId }),
    );
    printRow('register assessment', figures(register));
    // A phone saves one household's answers one after another; different households in parallel.
    const answers = jobs.flatMap((j) => GDHT_CODES.map((code) => ({ j, code })));
    const byHousehold = new Map<string, Promise<number>>();
    const drafts = await pool(answers, concurrency, ({ j, code }) => {
      const prev = byHousehold.get(j.assessmentId) ?? Promise.resolve(200);
      const next = prev.then(() => call('PUT', `/assessments/${j.assessmentId}/answers/${code}`, j.auth, { points: 9 }));
      byHousehold.set(j.assessmentId, next);
      return next;
    });
    printRow('save draft answer (PUT)', figures(drafts));
    const submits = await pool(jobs, concurrency, (j) =>
      call('POST', `/assessments/${j.assessmentId}/submit`, j.auth, undefined, { 'idempotency-key': `bench-${j.assessmentId}` }),
    );
    printRow('submit (one transaction)', figures(submits));
    const retries = await pool(jobs.slice(0, Math.min(200, n)), concurrency, (j) =>
      call('POST', `/assessments/${j.assessmentId}/submit`, j.auth, undefined, { 'idempotency-key': `bench-${j.assessmentId}` }),
    );
    printRow('submit retry (same key, stored)', figures(retries));
  } finally {
    await server.close();
  }
}
