import { TITLE_LABELS } from '@hoctap/shared';
import type { CertificateVerificationDto } from '@hoctap/shared/api';
import type { Db, Executor } from '../../db/types.ts';
import { hasRoleOver, OFFICER_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { officialName } from '../exports/files.ts';
import { newCertificateCode, normaliseCode, verifyUrl, type RandomBytes } from './codes.ts';
import * as repo from './certificates.repo.ts';

/**
 * Certificates anyone can verify (docs/transparency.md §1): codes minted with the decision, the
 * public lookup (no sign-in: the page at /v/<code> and its JSON twin), and revoking a decision.
 */
export function createCertificateService(deps: {
  db: Db;
  clock: Clock;
  /** Where the QR points: PUBLIC_URL, or the local address in development. */
  publicBase: string;
  randomBytes?: RandomBytes;
}) {
  const { db, clock } = deps;
  const mint = () => newCertificateCode(deps.randomBytes);

  return {
    /** In the decision's transaction: one code per recognised subject. */
    async issueCodes(tx: Executor, decisionId: string, assessmentIds: string[], now: Date): Promise<void> {
      await repo.insertCertificates(
        tx,
        assessmentIds.map((assessmentId) => ({ code: mint(), assessmentId, decisionId, createdAt: now })),
      );
    },

    /**
     * Codes of a decision's certificates, minting the missing ones (decisions issued before codes
     * existed get theirs the first time they are printed, and keep them).
     */
    async codesFor(decisionId: string): Promise<Map<string, { code: string; url: string }>> {
      const missing = await repo.recognisedWithoutCode(db, decisionId);
      if (missing.length) {
        const now = clock.now();
        await db.transaction(async (tx) => {
          await repo.insertCertificates(
            tx,
            missing.map((assessmentId) => ({ code: mint(), assessmentId, decisionId, createdAt: now })),
          );
        });
      }
      const codes = await repo.codesOfDecision(db, decisionId);
      return new Map(
        [...codes].map(([assessmentId, code]) => [assessmentId, { code, url: verifyUrl(deps.publicBase, code) }]),
      );
    },

    /** What the public page says about a code; null when it is not a certificate's. */
    async lookup(input: string): Promise<CertificateVerificationDto | null> {
      const code = normaliseCode(input);
      if (!code) return null;
      const row = await repo.lookupCertificate(db, code);
      if (!row) return null;
      return {
        status: row.revokedAt || row.state !== 'recognised' ? 'revoked' : 'genuine',
        subjectType: row.subjectType,
        title: TITLE_LABELS[row.subjectType],
        year: row.year,
        subjectName: row.subjectName,
        communeName: officialName(row.communeKind, row.communeName),
        decisionNumber: row.decisionNumber,
        decidedOn: row.decidedOn,
      };
    },

    async lookupOrThrow(input: string): Promise<CertificateVerificationDto> {
      const found = await this.lookup(input);
      if (!found) throw notFound(undefined, 'CERTIFICATE_UNKNOWN');
      return found;
    },

    /** Thu hồi quyết định: every certificate of it verifies as "đã thu hồi" from now on. Audited. */
    async revokeDecision(actor: Actor, decisionId: string, reason: string) {
      const d = await repo.findDecisionWithCommune(db, decisionId);
      if (!d || !hasRoleOver(actor, OFFICER_ROLES, { communeId: d.communeId }))
        throw notFound('Không tìm thấy quyết định.');
      const now = clock.now();
      return db.transaction(async (tx) => {
        if (!(await repo.revokeDecision(tx, decisionId, actor.userId, reason, now)))
          throw conflict(undefined, 'DECISION_REVOKED');
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'decision.revoked',
          entityType: 'decision',
          entityId: decisionId,
          data: { number: d.number, reason },
        });
        return { id: decisionId, revokedAt: now.toISOString(), reason };
      });
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
