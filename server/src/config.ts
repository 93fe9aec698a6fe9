import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting the server reads, parsed once from the environment. `loadConfig` collects every
 * problem before failing so an operator fixes a broken deployment in one pass, not one per restart.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

// Used only outside production, so a laptop demo needs no secrets; production must set
// JWT_SECRET, and setting it to this published value is refused there too.
export const DEV_JWT_SECRET = 'dev-only-secret-not-for-production-use-0123456789';

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'phải là một URL postgres:// (must be a postgres:// URL)')
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: csv.default(['https://h5.zdn.vn', 'http://localhost', 'http://127.0.0.1']),
    // Addresses or CIDRs of the reverse proxies in front of the API; only their X-Forwarded-For is
    // believed. Empty (the default): the socket address is the client, so a header cannot dodge
    // the login rate limits.
    TRUST_PROXY: csv
      .pipe(
        z.array(
          z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], 'một địa chỉ IP hoặc CIDR (an IP address or CIDR)'),
        ),
      )
      .default([]),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    UPLOAD_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    JWT_SECRET: z.string().min(32, 'cần ít nhất 32 ký tự (at least 32 characters)').optional(),
    JWT_ISSUER: z.string().min(1).default('hoctap'),
    JWT_AUDIENCE: z.string().min(1).default('hoctap-mini-app'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    DEV_LOGIN: bool.default(false),
    SEED_DEMO: bool.default(false),
    /** Benchmarks only: GET /api/v1/bench/baseline, the same-process yardstick (never in production). */
    BENCH_BASELINE_ROUTE: bool.default(false),
    API_DOCS: bool.optional(),
    MINI_APP_DIR: z.string().optional(),
    ZALO_APP_ID: z.string().regex(/^\d+$/, 'là một dãy số (digits only)').optional(),
    ZALO_APP_SECRET: z.string().min(8).optional(),
    ZALO_GRAPH_BASE_URL: z.url().default('https://graph.zalo.me'),
    // Notifications (docs/zalo-setup.md). Every channel is optional: with none set the demo logs only.
    ZALO_OAUTH_BASE_URL: z.url().default('https://oauth.zaloapp.com'),
    ZALO_OA_BASE_URL: z.url().default('https://openapi.zalo.me'),
    ZALO_MINIAPP_OPENAPI_BASE_URL: z.url().default('https://openapi.mini.zalo.me'),
    ZALO_MINIAPP_ID: z.string().regex(/^\d+$/, 'là một dãy số (digits only)').optional(),
    ZALO_MINIAPP_API_KEY: z.string().min(8).optional(),
    ZALO_MINIAPP_NOTIFY_TEMPLATE_ID: z.string().min(1).optional(),
    ZALO_MINIAPP_DAILY_CAP: z.coerce.number().int().min(0).default(1000),
    ZALO_OA_ID: z.string().regex(/^\d+$/, 'là một dãy số (digits only)').optional(),
    ZALO_OA_SECRET_KEY: z.string().min(8).optional(),
    ZALO_OA_REFRESH_TOKEN: z.string().min(8).optional(),
    ZALO_ZBS_TEMPLATE_IDS: z
      .string()
      .regex(/^\s*[a-z_]+=[\w-]+\s*(,\s*[a-z_]+=[\w-]+\s*)*$/, 'dạng loai_tin=template_id,… (kind=templateId,…)')
      .optional(),
    ZALO_WEBHOOK_VARIANTS: z
      .string()
      .regex(
        /^\s*(app_id|oa_id)\+(oa_secret_key|app_secret)\s*(,\s*(app_id|oa_id)\+(oa_secret_key|app_secret)\s*)*$/,
        'dạng app_id+oa_secret_key,…',
      )
      .default('app_id+oa_secret_key'),
    ZALO_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    DISPATCHER_ENABLED: bool.optional(),
    NOTIFY_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    NOTIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    NOTIFY_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    // A group message whose send timed out is looked for in the group (and sent once more if
    // absent) after this long: 6 h by default, so a slow Zalo has long finished (docs/zalo.md).
    NOTIFY_UNCERTAIN_DELAY_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(6 * 60 * 60_000),
    NOTIFY_REMINDER_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(10 * 60_000),
    // Photo evidence (docs: README "Ảnh minh chứng"). Processing runs in worker threads.
    EVIDENCE_PROCESSING: bool.optional(),
    EVIDENCE_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
    // Where photos are processed: worker threads of the API process, or a child process at a lower
    // CPU priority (PostgreSQL only: PGlite allows one process), so a burst of uploads is
    // accepted first and processed in the time left over.
    EVIDENCE_PROCESSOR: z.enum(['threads', 'process']).optional(),
    EVIDENCE_PROCESSOR_NICE: z.coerce.number().int().min(0).max(19).default(10),
    EVIDENCE_QUEUE_MAX: z.coerce.number().int().min(1).default(5000),
    EVIDENCE_MIN_FREE_MB: z.coerce.number().int().min(0).default(512),
    EVIDENCE_LEASE_MS: z.coerce.number().int().min(1).default(120_000),
    EVIDENCE_POLL_MS: z.coerce.number().int().min(50).default(1000),
    EXPORT_RENDER_THREADS: z.coerce.number().int().min(0).max(8).default(1),
    VERIFY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    POSTING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
    // How often blobs no row references (a crash between blob and row) are looked for and removed.
    EVIDENCE_SWEEP_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(60_000)
      .default(6 * 3600_000),
    // Where photo bytes live: the data directory (default) or S3-compatible object storage.
    BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
    S3_ENDPOINT: z.url().optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    S3_PREFIX: z
      .string()
      .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*\/)*$/, 'dạng thu-muc/ (ends with /)')
      .default(''),
    // Privacy (modules/privacy): photos are deleted this many days after their campaign closes.
    PHOTO_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    PHOTO_RETENTION_INTERVAL_MS: z.coerce.number().int().min(60_000).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.BLOB_STORE === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'bắt buộc khi BLOB_STORE=s3 (required)' });
    }
    if (env.NODE_ENV === 'production') {
      if (env.DEV_LOGIN) {
        ctx.addIssue({
          code: 'custom',
          path: ['DEV_LOGIN'],
          message: 'không được bật khi NODE_ENV=production (never enabled in production)',
        });
      }
      if (env.BENCH_BASELINE_ROUTE) {
        ctx.addIssue({
          code: 'custom',
          path: ['BENCH_BASELINE_ROUTE'],
          message: 'chỉ dùng khi đo hiệu năng, không bật khi NODE_ENV=production (benchmarks only)',
        });
      }
      if (!env.JWT_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message: 'bắt buộc khi NODE_ENV=production (required in production)',
        });
      } else if (env.JWT_SECRET === DEV_JWT_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message:
            'đây là khóa phát triển công khai, ai cũng giả được phiên đăng nhập; hãy đặt một khóa ngẫu nhiên (the published development secret: anyone could forge tokens)',
        });
      }
    }
  });

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string | undefined;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'pg'; url: string; poolMax: number };
  logLevel: string;
  corsOrigins: string[];
  /** Reverse proxies whose X-Forwarded-For is believed (addresses/CIDRs); empty: none. */
  trustProxy: string[];
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  maxEventLoopDelayMs: number;
  shutdownGraceMs: number;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  devLogin: boolean;
  seedDemo: boolean;
  benchBaselineRoute: boolean;
  /** Serve the OpenAPI document and its UI at /docs (off in production unless API_DOCS=true). */
  apiDocs: boolean;
  miniAppDir: string | undefined;
  zalo: {
    appId: string | undefined;
    appSecret: string | undefined;
    graphBaseUrl: string;
    oauthBaseUrl: string;
    oaBaseUrl: string;
    miniAppOpenApiBaseUrl: string;
    miniAppId: string | undefined;
    miniAppApiKey: string | undefined;
    miniAppNotifyTemplateId: string | undefined;
    miniAppDailyCap: number;
    oaId: string | undefined;
    oaSecretKey: string | undefined;
    oaRefreshToken: string | undefined;
    /** ZBS template id per message kind (deadline_reminder, assessment_returned, …). */
    zbsTemplateIds: Record<string, string>;
    webhookVariants: { firstTerm: 'app_id' | 'oa_id'; secret: 'oa_secret_key' | 'app_secret' }[];
    timeoutMs: number;
  };
  notify: {
    /** The in-process outbox loop; off by default under NODE_ENV=test (tests drive dispatchOnce). */
    dispatcherEnabled: boolean;
    intervalMs: number;
    batchSize: number;
    maxAttempts: number;
    leaseMs: number;
    reminderIntervalMs: number;
    /** Wait before reconciling a group message whose send outcome is unknown. */
    uncertainDelayMs: number;
  };
  evidence: {
    /** The photo processing loop; off by default under NODE_ENV=test (tests drain it). */
    processingEnabled: boolean;
    /** Worker threads in the API process, or a child process (PostgreSQL) at `processorNice`. */
    processor: 'threads' | 'process';
    processorNice: number;
    workers: number;
    queueMax: number;
    minFreeBytes: number;
    leaseMs: number;
    pollMs: number;
    /** Period of the orphan-blob sweeper. */
    sweepIntervalMs: number;
  };
  /** Worker threads that build XLSX/PDF exports (0: on the main thread). */
  exportRenderThreads: number;
  /** Public certificate look-ups per client address and minute (the page and its JSON twin). */
  verifyRateLimitPerMinute: number;
  /** Default length of a posting window (niêm yết) when the campaign sets none. */
  postingDays: number;
  blobStore:
    | { kind: 'fs'; root: string }
    | {
        kind: 's3';
        endpoint: string | undefined;
        bucket: string;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
        prefix: string;
      };
  photoRetentionDays: number;
  /** Period of the photo retention purge; 0 = not scheduled (tests run the purge themselves). */
  photoRetentionIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const processor = e.DATABASE_URL ? (e.EVIDENCE_PROCESSOR ?? 'process') : 'threads';
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'pg', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    // Load shedding measures this machine's event loop: tests must not depend on the machine's
    // speed, so it is off under NODE_ENV=test unless a test sets it.
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS ?? (e.NODE_ENV === 'test' ? 0 : 1000),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    jwt: {
      secret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    },
    devLogin: e.DEV_LOGIN,
    seedDemo: e.SEED_DEMO,
    benchBaselineRoute: e.BENCH_BASELINE_ROUTE,
    apiDocs: e.API_DOCS ?? e.NODE_ENV !== 'production',
    miniAppDir: e.MINI_APP_DIR ? resolve(e.MINI_APP_DIR) : undefined,
    zalo: {
      appId: e.ZALO_APP_ID,
      appSecret: e.ZALO_APP_SECRET,
      graphBaseUrl: e.ZALO_GRAPH_BASE_URL,
      oauthBaseUrl: e.ZALO_OAUTH_BASE_URL,
      oaBaseUrl: e.ZALO_OA_BASE_URL,
      miniAppOpenApiBaseUrl: e.ZALO_MINIAPP_OPENAPI_BASE_URL,
      miniAppId: e.ZALO_MINIAPP_ID,
      miniAppApiKey: e.ZALO_MINIAPP_API_KEY,
      miniAppNotifyTemplateId: e.ZALO_MINIAPP_NOTIFY_TEMPLATE_ID,
      miniAppDailyCap: e.ZALO_MINIAPP_DAILY_CAP,
      oaId: e.ZALO_OA_ID,
      oaSecretKey: e.ZALO_OA_SECRET_KEY,
      oaRefreshToken: e.ZALO_OA_REFRESH_TOKEN,
      zbsTemplateIds: Object.fromEntries(
        (e.ZALO_ZBS_TEMPLATE_IDS ?? '')
          .split(',')
          .map((p) => p.trim().split('=') as [string, string])
          .filter(([k, v]) => k && v),
      ),
      webhookVariants: e.ZALO_WEBHOOK_VARIANTS.split(',').map((v) => {
        const [firstTerm, secret] = v.trim().split('+') as ['app_id' | 'oa_id', 'oa_secret_key' | 'app_secret'];
        return { firstTerm, secret };
      }),
      timeoutMs: e.ZALO_HTTP_TIMEOUT_MS,
    },
    notify: {
      dispatcherEnabled: e.DISPATCHER_ENABLED ?? e.NODE_ENV !== 'test',
      intervalMs: e.NOTIFY_DISPATCH_INTERVAL_MS,
      batchSize: e.NOTIFY_BATCH_SIZE,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      leaseMs: e.NOTIFY_LEASE_MS,
      reminderIntervalMs: e.NOTIFY_REMINDER_INTERVAL_MS,
      uncertainDelayMs: e.NOTIFY_UNCERTAIN_DELAY_MS,
    },
    evidence: {
      processingEnabled: e.EVIDENCE_PROCESSING ?? e.NODE_ENV !== 'test',
      processor,
      processorNice: e.EVIDENCE_PROCESSOR_NICE,
      // Threads in the API: leave a core to the API and PostgreSQL. A child process at a lower
      // priority may use them all, and at least two photos in flight overlap one's disk writes
      // and database round trips with the other's image work.
      workers:
        e.EVIDENCE_WORKERS ??
        (processor === 'process'
          ? Math.max(2, Math.min(4, availableParallelism()))
          : Math.max(1, Math.min(4, availableParallelism() - 1))),
      queueMax: e.EVIDENCE_QUEUE_MAX,
      minFreeBytes: e.EVIDENCE_MIN_FREE_MB * 1024 * 1024,
      leaseMs: e.EVIDENCE_LEASE_MS,
      pollMs: e.EVIDENCE_POLL_MS,
      sweepIntervalMs: e.EVIDENCE_SWEEP_INTERVAL_MS,
    },
    exportRenderThreads: e.EXPORT_RENDER_THREADS,
    verifyRateLimitPerMinute: e.VERIFY_RATE_LIMIT_PER_MINUTE,
    postingDays: e.POSTING_DAYS,
    blobStore:
      e.BLOB_STORE === 's3'
        ? {
            kind: 's3',
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET!,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
            prefix: e.S3_PREFIX,
          }
        : { kind: 'fs', root: resolve(dataDir, 'blobs') },
    photoRetentionDays: e.PHOTO_RETENTION_DAYS,
    // Off by default under NODE_ENV=test: the tests run the purge themselves, on their clock.
    photoRetentionIntervalMs: e.PHOTO_RETENTION_INTERVAL_MS ?? (e.NODE_ENV === 'test' ? 0 : 24 * 3600_000),
  };
}
