import { randomUUID } from 'node:crypto';
import type { AssessmentDetailDto } from '@hoctap/shared/api';
import type { Db } from '../../db/types.ts';
import type { ScoreLayer } from '../../db/schema/index.ts';
import { communesOf, READ_ROLES, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, forbidden } from '../../lib/errors.ts';
import { encodeCursor, decodeCursor } from '../../lib/cursor.ts';
import { appendAudit, auditTrail } from '../audit/audit.repo.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { accessOf, requireReader } from './access.ts';
import type { AssessmentCtx } from './assessment-ctx.repo.ts';
import { insertComments, listAssessments, listComments, scopeSql } from './assessments.repo.ts';
import { detailParts } from './reading.repo.ts';
import { commentDto, evidenceDto, summaryDto, timelineEntry } from './assessment-dto.ts';
import { applicableCodes } from './scoring.ts';
import { createWorkflow } from './workflow.ts';

const isAdmin = (actor: Actor) => actor.roles.some((g) => g.role === 'admin');

/** Reads of assessments (queue, detail, timeline) and comments. */
export function createReadingService(deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService }) {
  const { db, clock, criteriaSets } = deps;
  const { loadCtx } = createWorkflow(clock);

  async function detail(actor: Actor, ctx: AssessmentCtx): Promise<AssessmentDetailDto> {
    const a = ctx.a;
    const {
      answers: answerRows,
      evidence: evidenceRows,
      comments: commentRows,
      decision,
    } = await detailParts(db, a.id, a.decisionId);
    const layer = (l: ScoreLayer) =>
      answerRows
        .filter((r) => r.layer === l)
        .map((r) => ({
          indicatorCode: r.indicatorCode,
          points: r.points,
          note: r.note,
          reason: r.reason,
          updatedAt: r.updatedAt.toISOString(),
        }));
    void actor;
    return {
      ...summaryDto(a),
      verdict: a.verdict,
      layers: { self: layer('self'), verifier: layer('verifier'), commune: layer('commune') },
      evidence: evidenceRows.map(evidenceDto),
      comments: commentRows.map(commentDto),
      decision: decision ? { id: decision.id, number: decision.number, decidedOn: decision.decidedOn } : null,
    };
  }

  return {
    async list(
      actor: Actor,
      q: { campaignId?: string; subjectType?: string; unitId?: string; state?: string; cursor?: string; limit: number },
    ) {
      const scope = {
        all: isAdmin(actor),
        communeIds: communesOf(actor, ['officer', 'province_viewer']),
        hamletIds: actor.roles
          .filter((g) => READ_ROLES.includes(g.role) && g.unitLevel === 'hamlet')
          .map((g) => g.unitId),
        groupIds: actor.roles
          .filter((g) => READ_ROLES.includes(g.role) && g.unitLevel === 'group')
          .map((g) => g.unitId),
        subjectIds: [actor.householdId, actor.personId].filter((x): x is string => !!x),
        headUserId: actor.userId,
      };
      const after = decodeCursor(q.cursor, 2) as [string, string] | null;
      const rows = await listAssessments(db, scopeSql(scope), q, after, q.limit);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => summaryDto(r.a)),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.sortAt, last.a.id]) : null,
      };
    },

    async get(actor: Actor, id: string, actFor: string | null | undefined): Promise<AssessmentDetailDto> {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      return detail(actor, ctx);
    },

    async comments(actor: Actor, id: string, actFor: string | null | undefined) {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      return { items: (await listComments(db, id)).map(commentDto) };
    },

    async addComment(
      actor: Actor,
      id: string,
      body: { indicatorCode?: string | undefined; body: string },
      actFor: string | null | undefined,
    ) {
      return db.transaction(async (tx) => {
        const ctx = await loadCtx(tx, id);
        const acc = accessOf(actor, ctx, actFor);
        requireReader(acc);
        if (!acc.owner && !acc.verifierRole)
          throw forbidden('Bạn chỉ được xem hồ sơ này, không được bình luận.', 'READ_ONLY');
        if (body.indicatorCode) {
          const set = await criteriaSets.load(tx, ctx.a.criteriaSetId);
          if (!applicableCodes(set, ctx.a.subjectGroup).has(body.indicatorCode))
            throw badRequest(`Chỉ số ${body.indicatorCode} không có trong bộ tiêu chí.`, 'INDICATOR_UNKNOWN');
        }
        const now = clock.now();
        const row = {
          id: randomUUID(),
          assessmentId: id,
          indicatorCode: body.indicatorCode ?? null,
          authorId: actor.userId,
          body: body.body,
          createdAt: now,
        };
        await insertComments(tx, [row]);
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          onBehalfOf: acc.onBehalfOf,
          action: 'comment',
          entityType: 'assessment',
          entityId: id,
          data: { indicatorCode: row.indicatorCode },
        });
        return commentDto(row);
      });
    },

    async timeline(actor: Actor, id: string, actFor: string | null | undefined) {
      const ctx = await loadCtx(db, id);
      requireReader(accessOf(actor, ctx, actFor));
      const rows = await auditTrail(db, 'assessment', id);
      return { items: rows.map(timelineEntry) };
    },
  };
}
