import { randomUUID } from 'node:crypto';
import {
  buildWorld,
  clientsFor,
  createWorkflowApp,
  fillAll,
  GDHT_CODES,
  openCampaign,
  type Client,
  type World,
} from '../../helpers/workflow-fixtures.ts';

export const PUBLIC_URL = 'https://hoctap.example.vn';

/** An app, the standard world, a campaign and signed-in clients of its people. */
export async function transparencyWorld(env: Record<string, string> = {}) {
  const app = await createWorkflowApp({ PUBLIC_URL, ...env });
  const w: World = await buildWorld(app.db);
  const [officer, hamletHead, leaderA, leaderB, hhA1, hhA2, hhB1, hhC1, hhOther, otherOfficer] = await clientsFor(
    app.t.app,
    [
      w.u.officer,
      w.u.hamletHead1,
      w.u.leaderA,
      w.u.leaderB,
      w.u.hhA1,
      w.u.hhA2,
      w.u.hhB1,
      w.u.hhC1,
      w.u.hhOther,
      w.u.otherOfficer,
    ] as const,
  );
  const campaignId = await openCampaign(officer, w.commune.id);
  return {
    ...app,
    w,
    campaignId,
    c: { officer, hamletHead, leaderA, leaderB, hhA1, hhA2, hhB1, hhC1, hhOther, otherOfficer },
  };
}
export type TransparencyWorld = Awaited<ReturnType<typeof transparencyWorld>>;

/** Registers, fills (full points), submits and verifies a household's assessment; returns its id. */
export async function verifiedHousehold(
  tw: TransparencyWorld,
  owner: Client,
  householdId: string,
  verifier: Client,
): Promise<string> {
  const id = randomUUID();
  const reg = await owner.post('/assessments', {
    id,
    campaignId: tw.campaignId,
    subjectType: 'household',
    subjectId: householdId,
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  await fillAll(owner, id, GDHT_CODES, 10);
  const sub = await owner.post(`/assessments/${id}/submit`, {}, { 'idempotency-key': randomUUID() });
  if (sub.status !== 200) throw new Error(`submit: ${sub.status} ${JSON.stringify(sub.body)}`);
  const ver = await verifier.post(`/assessments/${id}/verify`, { answers: [] });
  if (ver.status !== 200) throw new Error(`verify: ${ver.status} ${JSON.stringify(ver.body)}`);
  return id;
}

export async function review(tw: TransparencyWorld, hamletId: string) {
  const r = await tw.c.officer.post('/assessments/review', {
    campaignId: tw.campaignId,
    hamletId,
    subjectType: 'household',
  });
  if (r.status !== 200) throw new Error(`review: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export function decide(tw: TransparencyWorld, number: string, extra: Record<string, unknown> = {}) {
  return tw.c.officer.post(`/campaigns/${tw.campaignId}/decisions`, {
    subjectType: 'household',
    number,
    decidedOn: '2026-11-10',
    signer: 'Nguyễn Văn Quyết',
    ...extra,
  });
}
