import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/types.ts';
import { adminUnits, assessments, campaigns, certificates, decisions } from '../../db/schema/index.ts';

/** SQL of certificate codes, the public lookup and decision revocation. */

export async function insertCertificates(
  tx: Executor,
  rows: { code: string; assessmentId: string; decisionId: string; createdAt: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(certificates).values(rows).onConflictDoNothing();
}

/** Recognised subjects of a decision that have no code yet (decisions issued before codes existed). */
export async function recognisedWithoutCode(db: Executor, decisionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: assessments.id })
    .from(assessments)
    .leftJoin(certificates, and(eq(certificates.assessmentId, assessments.id), eq(certificates.decisionId, decisionId)))
    .where(and(eq(assessments.decisionId, decisionId), eq(assessments.state, 'recognised'), isNull(certificates.code)));
  return rows.map((r) => r.id);
}

export async function codesOfDecision(db: Executor, decisionId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ code: certificates.code, assessmentId: certificates.assessmentId })
    .from(certificates)
    .where(eq(certificates.decisionId, decisionId));
  return new Map(rows.map((r) => [r.assessmentId, r.code]));
}

/** Exactly what the public page may show, and the state it needs: nothing else is selected. */
export async function lookupCertificate(db: Executor, code: string) {
  const [row] = await db
    .select({
      subjectType: assessments.subjectType,
      subjectName: assessments.subjectName,
      state: assessments.state,
      year: campaigns.year,
      communeKind: adminUnits.kind,
      communeName: adminUnits.name,
      decisionNumber: decisions.number,
      decidedOn: decisions.decidedOn,
      revokedAt: decisions.revokedAt,
    })
    .from(certificates)
    .innerJoin(assessments, eq(assessments.id, certificates.assessmentId))
    .innerJoin(decisions, eq(decisions.id, certificates.decisionId))
    .innerJoin(campaigns, eq(campaigns.id, decisions.campaignId))
    .innerJoin(adminUnits, eq(adminUnits.id, campaigns.communeId))
    .where(eq(certificates.code, code))
    .limit(1);
  return row;
}

export async function findDecisionWithCommune(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: decisions.id,
      communeId: campaigns.communeId,
      revokedAt: decisions.revokedAt,
      number: decisions.number,
    })
    .from(decisions)
    .innerJoin(campaigns, eq(campaigns.id, decisions.campaignId))
    .where(eq(decisions.id, id))
    .limit(1);
  return row;
}

/** Marks a decision revoked once; false when it already was. */
export async function revokeDecision(tx: Executor, id: string, by: string, reason: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(decisions)
    .set({ revokedAt: at, revokedBy: by, revokeReason: reason })
    .where(and(eq(decisions.id, id), isNull(decisions.revokedAt)))
    .returning({ id: decisions.id });
  return rows.length > 0;
}
