import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { Db } from './db/types.ts';
import type { Actor } from './lib/actor.ts';
import type { Clock } from './lib/clock.ts';
import { unauthorized } from './lib/errors.ts';
import { createMeService } from './modules/identity/me.service.ts';
import { createSessionService, type AccessClaims } from './modules/identity/sessions.service.ts';
import { loadActor } from './modules/identity/users.repo.ts';
import { createRegistryService } from './modules/registry/registry.service.ts';
import { createImportService } from './modules/imports/imports.service.ts';
import { createReportService } from './modules/reports/reports.service.ts';
import { createExportService } from './modules/exports/exports.service.ts';
import { createZaloLoginService } from './modules/identity/zalo-login.service.ts';
import { createCriteriaSetService } from './modules/criteria-sets/criteria-sets.service.ts';
import { createCampaignService } from './modules/campaigns/campaigns.service.ts';
import { createAssessmentService } from './modules/assessments/assessments.service.ts';
import { createEvidenceService } from './modules/evidence-uploads/evidence.service.ts';
import { createLimiter } from './evidence/index.ts';
import { createFsBlobStore } from './storage/index.ts';
import { createGraphClient } from './zalo/index.ts';
import { createNotifications } from './notify/index.ts';
import type { Logger } from './notify/alerts.ts';
import { createNotificationService } from './modules/notifications/notifications.service.ts';

/**
 * Builds every service once, with narrow dependencies. Routes get this object and call exactly
 * one service method each; no route touches SQL.
 */
export function createServices(deps: {
  config: Config;
  database: Database;
  clock: Clock;
  signAccess: (claims: AccessClaims) => string;
  log?: Logger;
}) {
  const { config, database, clock } = deps;
  const db: Db = database.db;
  const sessions = createSessionService({
    db,
    clock,
    signAccess: deps.signAccess,
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    refreshTtlDays: config.jwt.refreshTtlDays,
  });
  const me = createMeService({ db, clock });
  const registry = createRegistryService({ db, clock });
  const imports = createImportService({ db, clock });
  const reports = createReportService({ db, clock });
  const graph = config.zalo.appSecret
    ? createGraphClient({ baseUrl: config.zalo.graphBaseUrl, appSecret: config.zalo.appSecret })
    : null;
  const zaloLogin = createZaloLoginService({ db, clock, graph, sessions });
  const criteriaSets = createCriteriaSetService({ db, clock });
  const campaigns = createCampaignService({ db, clock, criteriaSets });
  const assessments = createAssessmentService({ db, clock, criteriaSets, me });
  // One limiter per process bounds concurrent image work (2 cores here).
  const blobs = createFsBlobStore(`${config.dataDir}/blobs`);
  const evidence = createEvidenceService({ db, clock, blobs, limiter: createLimiter(2), maxBytes: config.uploadLimitBytes, me, criteriaSets });
  const exports = createExportService({ db, clock, blobs, reports });
  const notify = createNotifications({ config, database, clock, log: deps.log ?? silentLog });
  const notifications = createNotificationService({
    db,
    clock,
    demo: () => notify.demo,
    deepLinkBase: config.zalo.miniAppId ? `https://zalo.me/s/${config.zalo.miniAppId}` : null,
    publicUrl: config.publicUrl,
  });

  return {
    config,
    clock,
    db,
    sessions,
    me,
    registry,
    imports,
    reports,
    exports,
    zaloLogin,
    criteriaSets,
    campaigns,
    assessments,
    evidence,
    notify,
    notifications,
    async loadActor(userId: string): Promise<Actor> {
      const a = await loadActor(db, userId);
      if (!a) throw unauthorized();
      const { status: _s, authVersion: _v, ...actor } = a;
      return actor;
    },
  };
}

const silentLog: Logger = { error: () => {}, warn: () => {}, info: () => {} };

export type Services = ReturnType<typeof createServices>;
