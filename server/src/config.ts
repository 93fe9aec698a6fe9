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
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
    UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    JWT_SECRET: z.string().min(32, 'cần ít nhất 32 ký tự (at least 32 characters)').optional(),
    JWT_ISSUER: z.string().min(1).default('hoctap'),
    JWT_AUDIENCE: z.string().min(1).default('hoctap-mini-app'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    DEV_LOGIN: bool.default(false),
    SEED_DEMO: bool.default(false),
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
      .regex(/^\s*(app_id|oa_id)\+(oa_secret_key|app_secret)\s*(,\s*(app_id|oa_id)\+(oa_secret_key|app_secret)\s*)*$/, 'dạng app_id+oa_secret_key,…')
      .default('app_id+oa_secret_key'),
    ZALO_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    DISPATCHER_ENABLED: bool.optional(),
    NOTIFY_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    NOTIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    NOTIFY_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    NOTIFY_REMINDER_INTERVAL_MS: z.coerce.number().int().min(1000).default(10 * 60_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (env.DEV_LOGIN) {
        ctx.addIssue({
          code: 'custom',
          path: ['DEV_LOGIN'],
          message: 'không được bật khi NODE_ENV=production (never enabled in production)',
        });
      }
      if (!env.JWT_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message: 'bắt buộc khi NODE_ENV=production (required in production)',
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
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  maxEventLoopDelayMs: number;
  shutdownGraceMs: number;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  devLogin: boolean;
  seedDemo: boolean;
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
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Used only outside production, so a laptop demo needs no secrets; production must set JWT_SECRET.
const DEV_JWT_SECRET = 'dev-only-secret-not-for-production-use-0123456789';

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
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
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
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
    },
  };
}
