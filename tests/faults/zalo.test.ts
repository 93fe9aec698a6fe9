import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@hoctap/server/modules/campaigns/campaigns.repo.ts';
import { startFakeZalo, type FakeZalo } from '../fakes/zalo/fake-zalo.ts';
import { buildWorld, emit, mapGroup, seedOaToken, type World } from '../helpers/notify-fixtures.ts';
import { APP, zaloEnv } from '../integration/notify/zalo-env.ts';
import { createFaultEnv, until, type FaultEnv } from './lib/fault-env.ts';

/**
 * Zalo misbehaving while the API's own dispatcher runs (real process, real HTTP to the fake on
 * loopback). Outcomes only, whatever the dispatcher's internals:
 *   - Zalo down for a while (502s): every group message is delivered, each exactly once;
 *   - Zalo answering after our timeout (it DID post the message): each group message reaches the
 *     group exactly once — a send whose outcome is unknown is not blindly repeated.
 * Time is moved for the outbox, not waited for: rows rescheduled within RETRY_HORIZON are made due
 * at once (an ordinary backoff); a row parked further out is a deliberate "uncertain, reconcile
 * later" and is left alone.
 */

const GMF = '/v3.0/oa/group/message';
const RETRY_HORIZON = '10 minutes';

let fake: FakeZalo;
let env: FaultEnv;
let w: World;
let year = 2030;

async function outboxGroupRows() {
  return rowsOf<{ id: number; status: string; recipient: string; payload: { text?: string }; due_soon: boolean }>(
    await env.database.db.execute(sql`
      select id, status, recipient, payload,
             next_attempt_at <= now() + ${RETRY_HORIZON}::interval as due_soon
      from notification_outbox where channel <> 'event' order by id`),
  );
}

/** Opens a campaign year: one group message per hamlet and one for the commune. */
async function announce(): Promise<string> {
  const y = year++;
  await emit(
    env.database.db,
    {
      kind: 'campaign_opened',
      campaignId: w.campaignId,
      communeId: w.communeId,
      year: y,
      selfAssessmentDueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
    `opened:${y}`,
    new Date(),
  );
  return `năm ${y}`;
}

const deliveredWith = (marker: string) =>
  fake.delivered.filter((d) => d.channel === 'gmf' && String((d.payload as { text?: string }).text).includes(marker));

/** Drives the outbox until nothing is left to do soon, and Zalo has answered every request. */
async function settle(marker: string, expected: number) {
  await until(
    `group messages of ${marker} settled`,
    async () => {
      // Backoff elapses now (the test's clock for the outbox), parked rows stay parked.
      await env.database.db.execute(sql`
        update notification_outbox set next_attempt_at = now()
        where status = 'pending' and channel <> 'event' and next_attempt_at <= now() + ${RETRY_HORIZON}::interval`);
      const rows = (await outboxGroupRows()).filter((r) => String(r.payload.text).includes(marker));
      const busy = rows.some((r) => r.status === 'sending' || (r.status === 'pending' && r.due_soon));
      const inFlight = fake.record.for(GMF).some((r) => !r.response);
      return rows.length === expected && !busy && !inFlight && deliveredWith(marker).length >= expected;
    },
    600,
  );
}

function copiesPerGroup(marker: string): number[] {
  const per = new Map<string, number>();
  for (const d of deliveredWith(marker)) per.set(d.recipient, (per.get(d.recipient) ?? 0) + 1);
  return [...per.values()];
}

beforeAll(async () => {
  fake = await startFakeZalo({ ...APP });
  env = await createFaultEnv(
    zaloEnv(fake, {
      DISPATCHER_ENABLED: 'true',
      NOTIFY_DISPATCH_INTERVAL_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '20',
      ZALO_HTTP_TIMEOUT_MS: '400',
    }),
    async (database) => {
      const db = database.db;
      const now = new Date();
      w = await buildWorld(db, {
        now,
        selfDueAt: new Date(now.getTime() + 30 * 86_400_000),
        hamlets: [
          { name: 'Mỹ Hòa', households: 3 },
          { name: 'Mỹ Lợi', households: 3 },
        ],
      });
      for (const unitId of [w.communeId, ...w.hamlets.map((h) => h.id)])
        await mapGroup(db, unitId, fake.addGroup({ name: `Nhóm ${unitId.slice(0, 4)}` }).groupId);
      await seedOaToken(db, APP.oaId, fake.issueOaTokens(), now);
    },
  );
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.script.reset();
  fake.record.clear();
});

describe('Zalo faults, real API process', () => {
  it('Zalo down for a while: every group message delivered, each exactly once', async () => {
    fake.script.failNext(GMF, { httpStatus: 502, times: 4 });
    const marker = await announce();
    await settle(marker, 3);
    expect(fake.record.for(GMF).filter((r) => r.scripted).length).toBe(4);
    expect(copiesPerGroup(marker)).toEqual([1, 1, 1]);
    const rows = (await outboxGroupRows()).filter((r) => String(r.payload.text).includes(marker));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('Zalo answering after the timeout: each group message reaches its group exactly once', async () => {
    fake.script.failNext(GMF, { delayMs: 1500, times: 3 });
    const marker = await announce();
    await settle(marker, 3);
    expect(fake.record.for(GMF).filter((r) => r.scripted).length).toBe(3);
    expect(copiesPerGroup(marker), 'copies of each group message').toEqual([1, 1, 1]);
    // Nothing is lost either: no row was dropped as dead without Zalo having it.
    const rows = (await outboxGroupRows()).filter((r) => String(r.payload.text).includes(marker));
    expect(rows.filter((r) => r.status === 'dead')).toEqual([]);
  });

  it('the dispatcher keeps working afterwards', async () => {
    const marker = await announce();
    await settle(marker, 3);
    expect(copiesPerGroup(marker)).toEqual([1, 1, 1]);
  });
});
