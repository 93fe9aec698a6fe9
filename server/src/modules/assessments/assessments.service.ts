import type { Db } from '../../db/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import type { DecisionHooks } from './decisions.service.ts';
import { createCarryOverService } from './carry-over.service.ts';
import { createDecisionService } from './decisions.service.ts';
import { createReadingService } from './reading.service.ts';
import { createSubmissionService } from './submission.service.ts';
import { createVerificationService } from './verification.service.ts';

/**
 * The assessment workflow, one file per job: submission (register, self-assess, submit),
 * verification (verify, return, withdraw, appeal), decisions (hamlet review, commune decision) and
 * reading (queue, detail, comments, timeline), carry-over from last year. Routes call exactly one method of this object.
 */
export function createAssessmentService(
  deps: { db: Db; clock: Clock; criteriaSets: CriteriaSetService } & DecisionHooks,
) {
  return {
    ...createSubmissionService(deps),
    ...createVerificationService(deps),
    ...createDecisionService(deps),
    ...createReadingService(deps),
    ...createCarryOverService(deps),
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
