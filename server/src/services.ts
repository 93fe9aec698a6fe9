import type { Config } from './config.ts';
import type { Database } from './db/connect.ts';
import type { Db } from './db/types.ts';
import type { Clock } from './lib/clock.ts';
import { createPeriodicJob } from './lib/periodic.ts';
import { createMeService } from './modules/identity/me.service.ts';
import { createSessionService, type AccessClaims } from './modules/identity/sessions.service.ts';
import { createAuthService } from './modules/identity/auth.service.ts';
import { createRegistryService } from './modules/registry/registry.service.ts';
import { createImportService } from './modules/imports/imports.service.ts';
import { createPersonsImportService } from './modules/imports/persons-import.service.ts';
import { createUnitsImportService } from './modules/imports/units-import.service.ts';
import { createReportService } from './modules/reports/reports.service.ts';
import { createExportService } from './modules/exports/exports.service.ts';
import { createHistoryService } from './modules/history/history.service.ts';
import { createRenderPool } from './modules/exports/render-pool.ts';
import { createZaloLoginService } from './modules/identity/zalo-login.service.ts';
import { createCriteriaSetService } from './modules/criteria-sets/criteria-sets.service.ts';
import { createCampaignService } from './modules/campaigns/campaigns.service.ts';
import { createAssessmentService } from './modules/assessments/assessments.service.ts';
import { createEvidenceService } from './modules/evidence-uploads/evidence.service.ts';
import { createPhotoProcessing, processingOptions } from './modules/evidence-uploads/photo-processing.ts';
import { createProcessorProcess } from './modules/evidence-uploads/processor-process.ts';
import { createEvidenceBackground } from './modules/evidence-uploads/background.ts';
import { createBlobStore, FsBlobStore } from './storage/index.ts';
import { createPrivacyService } from './modules/privacy/privacy.service.ts';
import { createGraphClient } from './zalo/index.ts';
import { createWebLoginClient } from './zalo/web-login-client.ts';
import { createNotifications } from './notify/index.ts';
import type { Logger } from './notify/alerts.ts';
import { createNotificationService } from './modules/notifications/notifications.service.ts';
import { createCertificateService } from './modules/certificates/certificates.service.ts';
import { createPostingService } from './modules/postings/postings.service.ts';

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
  const me = createMeService({ db, clock, log: deps.log ?? silentLog });
  const registry = createRegistryService({ db, clock });
  const imports = {
    ...createImportService({ db, clock }),
    ...createPersonsImportService({ db, clock }),
    ...createUnitsImportService({ db, clock }),
  };
  const reports = createReportService({ db, clock });
  const graph = config.zalo.appSecret
    ? createGraphClient({ baseUrl: config.zalo.graphBaseUrl, appSecret: config.zalo.appSecret })
    : null;
  // The console's web sign-in needs the app id too (Zalo's permission page is per app).
  const webLogin =
    config.zalo.appSecret && config.zalo.appId
      ? createWebLoginClient({
          oauthBaseUrl: config.zalo.oauthBaseUrl,
          appId: config.zalo.appId,
          appSecret: config.zalo.appSecret,
        })
      : null;
  const zaloLogin = createZaloLoginService({ db, clock, graph, webLogin, sessions });
  const auth = createAuthService({ db, sessions, zaloLogin, me });
  const criteriaSets = createCriteriaSetService({ db, clock });
  const campaigns = createCampaignService({ db, clock, criteriaSets });
  const certificates = createCertificateService({
    db,
    clock,
    publicBase: config.publicUrl ?? `http://localhost:${config.port}`,
  });
  const postings = createPostingService({ db, clock, defaultDays: config.postingDays });
  const assessments = createAssessmentService({ db, clock, criteriaSets, certificates, postings });
  // Photos: accepted by the evidence service, processed by a worker-thread pool fed from the
  // evidence rows themselves (the durable queue). Lifecycle in app.ts (start/stop).
  const blobs = createBlobStore(config.blobStore);
  const photoProcessing = createPhotoProcessing({
    db,
    clock,
    blobs,
    log: deps.log ?? silentLog,
    options: processingOptions(config.evidence, database.kind),
  });
  // On PostgreSQL the loop runs in a child process at a lower CPU priority (processor-process.ts);
  // this process keeps its own loop object for drain() in tests and scripts.
  const processorProcess =
    config.evidence.processor === 'process' && config.database.kind === 'pg'
      ? createProcessorProcess({
          settings: {
            // A small pool: the child runs a few photos at a time.
            database: { ...config.database, poolMax: 4 },
            blobStore: config.blobStore,
            evidence: config.evidence,
            logLevel: config.logLevel,
          },
          log: deps.log ?? silentLog,
        })
      : null;
  const processor = processorProcess ?? photoProcessing;
  const evidence = createEvidenceService({
    db,
    clock,
    blobs,
    // On the blob disk for the filesystem store, so the copy into it stays on one filesystem.
    tempDir: blobs instanceof FsBlobStore ? blobs.tempDir : `${config.dataDir}/tmp`,
    maxBytes: config.uploadLimitBytes,
    limits: { queueMax: config.evidence.queueMax, minFreeBytes: config.evidence.minFreeBytes, bodiesAtOnce: 8 },
    me,
    criteriaSets,
    onAccepted: () => processor.wake(),
  });
  const evidenceBackground = createEvidenceBackground({
    processing: processorProcess
      ? {
          start: () => processorProcess.start(),
          // Threads a test's drain() started in this process stop too.
          stop: async () => {
            await processorProcess.stop();
            await photoProcessing.stop();
          },
        }
      : photoProcessing,
    sweepOrphans: () => evidence.sweepOrphans(),
    sweepIntervalMs: config.evidence.sweepIntervalMs,
    log: deps.log ?? silentLog,
  });
  const renderPool = createRenderPool(config.exportRenderThreads);
  const exports = createExportService({ db, clock, blobs, reports, certificates, render: renderPool.render });
  const history = createHistoryService({ db, criteriaSets, render: renderPool.render });
  const privacy = createPrivacyService({ db, clock, blobs, retentionDays: config.photoRetentionDays });
  const log = deps.log ?? silentLog;
  /** Deletes photos past their retention (PHOTO_RETENTION_*); started and stopped by app.ts. */
  const photoRetention = createPeriodicJob({
    everyMs: config.photoRetentionIntervalMs,
    run: async () => {
      const r = await privacy.purgeExpiredPhotos();
      if (r.photos > 0) log.info({ photos: r.photos, files: r.files }, 'photo retention purge');
    },
    onError: (err) => log.error({ err }, 'photo retention purge failed'),
  });
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
    auth,
    sessions,
    me,
    registry,
    imports,
    reports,
    exports,
    history,
    renderPool,
    zaloLogin,
    criteriaSets,
    campaigns,
    assessments,
    certificates,
    postings,
    evidence,
    photoProcessing,
    /** The photo processor child process (null: processing runs on this process's threads). */
    photoProcessor: processorProcess,
    evidenceBackground,
    privacy,
    photoRetention,
    notify,
    notifications,
  };
}

const silentLog: Logger = { error: () => {}, warn: () => {}, info: () => {} };

export type Services = ReturnType<typeof createServices>;
