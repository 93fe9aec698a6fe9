import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { connect, type Database } from './db/connect.ts';
import { appliedMigrationCount, expectedMigrationCount, runMigrations } from './db/migrate.ts';
import { seedDemoCampaign } from './db/seed/demo-campaign.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { frameworkErrorHandler, registerErrorHandling } from './plugins/error-handler.ts';
import { registerInputHygiene } from './plugins/input-hygiene.ts';
import { loggerOptions } from './plugins/logging.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerMiniApp } from './plugins/mini-app.ts';
import { registerCompression } from './plugins/compression.ts';
import rateLimit from '@fastify/rate-limit';
import { healthRoutes } from './modules/health/health.routes.ts';
import { baselineRoutes } from './modules/health/baseline.routes.ts';
import { selectUserName } from './modules/health/baseline.repo.ts';
import { registerAuth } from './plugins/auth.ts';
import { createServices, type Services } from './services.ts';
import { authRoutes } from './modules/identity/auth.routes.ts';
import { meRoutes } from './modules/identity/me.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { onboardingRoutes } from './modules/registry/onboarding.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { seedDemo } from './db/seed/demo.ts';
import { criteriaSetRoutes } from './modules/criteria-sets/criteria-sets.routes.ts';
import { campaignRoutes } from './modules/campaigns/campaigns.routes.ts';
import { assessmentRoutes } from './modules/assessments/assessments.routes.ts';
import { evidenceRoutes } from './modules/evidence-uploads/evidence.routes.ts';
import { reportRoutes } from './modules/reports/reports.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { historyRoutes } from './modules/history/history.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { zaloWebhookRoutes } from './modules/notifications/webhook.routes.ts';
import { privacyRoutes } from './modules/privacy/privacy.routes.ts';
import { certificateRoutes } from './modules/certificates/certificates.routes.ts';
import { verifyPageRoutes } from './modules/certificates/page.routes.ts';
import { postingRoutes } from './modules/postings/postings.routes.ts';

export interface AppOverrides {
  /** An already migrated database (tests); the app then does not close it. */
  database?: Database;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Sees every route as it is registered (the authorization matrix and the fuzz walk them all). */
  onRoute?: (route: RouteOptions) => void;
}

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function isAllowedOrigin(origin: string, allowList: string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return allowList.some((allowed) => {
    // "http://localhost" allows every port on localhost: dev servers pick their own.
    const a = new URL(allowed);
    if (a.protocol !== url.protocol || a.hostname !== url.hostname) return false;
    return a.port === '' ? true : a.port === url.port;
  });
}

/** The one composition root: main.ts and every test build the app through here. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const app = Fastify({
    logger: overrides.logger ?? loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    // Reuse a sane caller-provided id (mini app retries, proxies), otherwise mint one.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    // Only the configured proxies' X-Forwarded-For is believed; by default nobody's is, so a client
    // cannot pick its own address (and rate-limit bucket) with a header.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
  }).withTypeProvider<ZodTypeProvider>();

  if (overrides.onRoute) app.addHook('onRoute', overrides.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Once shutdown starts, responses still in flight ask the client to drop the socket; otherwise a
  // kept-alive connection would hold close() open until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  const ownsDatabase = !overrides.database;
  const database = overrides.database ?? (await connect(config.database));
  app.addHook('onClose', async () => {
    if (ownsDatabase) await database.close();
  });
  if (ownsDatabase) await runMigrations(database);
  const clock = overrides.clock ?? systemClock;
  if (config.seedDemo && ownsDatabase) await seedDemo(database.db, clock);

  // External plugins first, then ours, then routes (fastify/demo's composition order).
  await app.register(helmet, {
    // Swagger UI and the mini app load their own scripts; everything else is JSON.
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  await app.register(cors, {
    origin: (origin, cb) => cb(null, !origin || isAllowedOrigin(origin, config.corsOrigins)),
    credentials: false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(underPressure, {
    // PGlite runs queries on the main thread (WASM), so a busy embedded database looks like a
    // stalled event loop; shedding load there would only turn a slow demo into a broken one.
    maxEventLoopDelay: database.kind === 'pglite' ? 0 : config.maxEventLoopDelayMs,
    retryAfter: 5,
    pressureHandler: (_req, reply) => {
      reply.status(503).header('retry-after', '5').send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Hệ thống đang quá tải, vui lòng thử lại sau ít phút.',
        reqId: reply.request.id,
        code: 'UNDER_PRESSURE',
      });
    },
  });
  // Per-route limits only (login, uploads); counters are per process, see README.
  await app.register(rateLimit, { global: false });
  await registerCompression(app);
  registerErrorHandling(app);
  registerInputHygiene(app);
  await registerOpenApi(app, { serveDocs: config.apiDocs });
  const services = createServices({
    config,
    database,
    clock,
    // Resolved at call time: the JWT plugin is registered just below.
    signAccess: (claims) => app.jwt.sign(claims),
    log: app.log,
  });
  await registerAuth(app, config, services.auth);
  app.decorate('services', services);
  // The shipped criteria sets are rows too (campaigns reference them by id). A database handed in
  // unmigrated (the readiness test) has no table for them yet.
  if ((await appliedMigrationCount(database)) === expectedMigrationCount()) await services.criteriaSets.syncCatalog();
  if (config.seedDemo && ownsDatabase) await seedDemoCampaign(services, clock);

  await app.register(healthRoutes(database));
  await registerMiniApp(app, config.miniAppDir);
  await app.register(
    async (api) => {
      await api.register(authRoutes(services, { devLogin: config.devLogin }));
      await api.register(meRoutes(services));
      await api.register(privacyRoutes(services));
      await api.register(registryRoutes(services));
      await api.register(onboardingRoutes(services));
      await api.register(importRoutes(services));
      await api.register(criteriaSetRoutes(services));
      await api.register(campaignRoutes(services));
      await api.register(assessmentRoutes(services));
      await api.register(evidenceRoutes(services));
      await api.register(reportRoutes(services));
      await api.register(exportRoutes(services));
      await api.register(historyRoutes(services));
      await api.register(certificateRoutes(services));
      await api.register(postingRoutes(services));
      await api.register(notificationRoutes(services.notifications));
      if (config.benchBaselineRoute) await api.register(baselineRoutes((id) => selectUserName(database, id)));
    },
    { prefix: '/api/v1' },
  );
  await app.register(zaloWebhookRoutes(services.notify.webhook));
  await app.register(verifyPageRoutes(services));

  // The outbox loop runs in-process (mandatory on PGlite: one connection, one process). preClose
  // stops it and waits for the current tick before the database closes.
  if (config.notify.dispatcherEnabled) {
    app.addHook('onReady', async () => services.notify.start());
    app.addHook('preClose', async () => services.notify.stop());
  }

  // Photo evidence: the processing pool and the orphan-blob sweeper (config EVIDENCE_*). stop()
  // always runs, so worker threads a test started through drain() never outlive the app.
  if (config.evidence.processingEnabled) app.addHook('onReady', async () => services.evidenceBackground.start());
  app.addHook('preClose', async () => services.evidenceBackground.stop());
  app.addHook('onClose', async () => services.renderPool.close());
  // The "opened today" writes noted so far land before the database closes.
  app.addHook('preClose', async () => services.me.openedWritten());
  // Photo retention purge (PHOTO_RETENTION_INTERVAL_MS; not scheduled under NODE_ENV=test).
  app.addHook('onReady', async () => services.photoRetention.start());
  app.addHook('preClose', async () => services.photoRetention.stop());

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
