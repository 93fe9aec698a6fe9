/**
 * Zalo error model and the classification a dispatcher acts on.
 *
 * Zalo reports most failures as HTTP 200 with `error != 0` in the body (docs/zalo.md §8), so an error
 * is identified by its Zalo code first and by the HTTP status only when there is no code (5xx,
 * gateway pages, timeouts). The table is docs/zalo.md §8.
 */

/** Which Zalo surface produced the error. Some codes mean different things per surface. */
export type ZaloChannel = 'graph' | 'oauth' | 'oa' | 'zbs' | 'miniapp';

/**
 * What the caller (the outbox dispatcher) should do with the message that failed.
 * `reschedule_tomorrow` is its own class (docs/zalo.md §8)
 * (ZNS/ZBS daily and monthly quotas, Mini App 1/user/day and 1000/app/day caps).
 */
export type ZaloAction =
  | 'retry' // transient: backoff with jitter
  | 'refresh_token_then_retry' // OA token invalid/expired: refresh once, retry once
  | 'rate_limited' // wait retryAfterMs, then retry
  | 'reschedule_morning' // night-time ban: next 06:05 Asia/Ho_Chi_Minh
  | 'reschedule_tomorrow' // daily quota: next day
  | 'dead' // permanent for this message: dead-letter, try the fallback channel
  | 'alert_human'; // configuration / billing / code problem: hold and page someone

export interface ZaloErrorClass {
  action: ZaloAction;
  /** Can the same message still succeed later without a human changing anything? */
  retryable: boolean;
  /** Should operations be told, even if the message itself is simply dead-lettered (e.g. -237)? */
  alert: boolean;
  reason: string;
}

const c = (action: ZaloAction, reason: string, alert = action === 'alert_human'): ZaloErrorClass => ({
  action,
  retryable: action !== 'dead' && action !== 'alert_human',
  alert,
  reason,
});

/** Zalo's key codes and their handling (docs/zalo.md §8). */
export const ZALO_ERROR_TABLE: ReadonlyMap<number, ZaloErrorClass> = new Map<number, ZaloErrorClass>([
  [-216, c('refresh_token_then_retry', 'access token is invalid')],
  [-220, c('refresh_token_then_retry', 'access token expired or removed')],
  [-124, c('refresh_token_then_retry', 'ZNS: access token invalid')],
  [-32, c('rate_limited', 'app/OA reached the API rate limit')],
  [-230, c('dead', 'user has not interacted with the OA in 7 days')],
  [-213, c('dead', 'user has not followed the OA')],
  [-227, c('dead', 'user banned or inactive > 45 days')],
  [-234, c('reschedule_morning', 'night-time ban (OA promotion)')],
  [-133, c('reschedule_morning', 'night-time ban (ZNS/ZBS template)')],
  // Permanent for the message, and ops must renew the asset: dead AND alert.
  [-237, c('dead', 'group is disabled (GMF asset expired)', true)],
  [-242, c('alert_human', 'invalid appsecret_proof (config bug)')],
  [-1241, c('alert_human', 'ZNS: invalid appsecret_proof (config bug)')],
  [-144, c('reschedule_tomorrow', 'ZNS daily quota exceeded')],
  [-147, c('reschedule_tomorrow', 'ZNS template daily quota exceeded')],
  [-1441, c('reschedule_tomorrow', 'monthly promotion quota exceeded')],
  [-108, c('dead', 'phone number invalid')],
  [-114, c('dead', 'user cannot receive the message')],
  [-118, c('dead', 'user cannot receive ZNS')],
  [-119, c('dead', 'user cannot receive ZNS')],
  [-139, c('dead', 'user refused ZNS')],
  [-140, c('dead', 'user refused ZNS')],
  [-141, c('dead', 'user refused ZNS')],
  [-201, c('dead', 'invalid parameter')],
  [-115, c('alert_human', 'ZCA balance problem')],
  [-136, c('alert_human', 'ZCA billing not linked')],
  [-137, c('alert_human', 'ZCA billing problem')],
  [-320, c('alert_human', 'ZCA billing problem')],
  [-321, c('alert_human', 'ZCA billing problem')],
  // Permanent for the message, and the template owner must act: dead AND alert.
  [-131, c('dead', 'template not approved', true)],
  [-146, c('dead', 'template disabled for low quality', true)],
  [-209, c('alert_human', 'app not activated')],
  [-212, c('alert_human', 'OA API not registered for the app')],
  [-223, c('alert_human', 'OA has not authorised the app')],
  [112, c('alert_human', 'app not linked to the OA')],
  [-240, c('alert_human', 'MessageV2 API shut down (code bug: use v3)')],
  [-14002, c('alert_human', 'OAuth: app not active')],
  [-14003, c('alert_human', 'OAuth: invalid redirect uri')],
]);

/**
 * Mini App Open API notification (docs/zalo.md §5): the response shape and error codes are
 * UNVERIFIED. These codes are the ones OUR fake server returns for the documented rules; they
 * are kept in a per-channel table so they can never shadow the OA codes above. Replace them with
 * the real numbers once observed against a live app.
 */
export const MINIAPP_NOTIFY_ERRORS = {
  unauthorized: -2100, // bad X-Api-Key / X-MiniApp-Id
  notAllowed: -2101, // user did not allow notifications (requestSendNotification)
  notVisitedRecently: -2102, // user did not open the Mini App in the last 7 days
  userDailyLimit: -2103, // one notification per user per day
  outsideWindow: -2104, // only 06:00–22:00 (Vietnam time)
  appDailyLimit: -2105, // 1000 notifications per app per day
  invalidTemplate: -2106, // unknown template / template data too long (title ≤ 32)
} as const;

const MINIAPP_TABLE: ReadonlyMap<number, ZaloErrorClass> = new Map<number, ZaloErrorClass>([
  [MINIAPP_NOTIFY_ERRORS.unauthorized, c('alert_human', 'Mini App API key / app id rejected')],
  [MINIAPP_NOTIFY_ERRORS.notAllowed, c('dead', 'user has not allowed Mini App notifications')],
  [MINIAPP_NOTIFY_ERRORS.notVisitedRecently, c('dead', 'user has not opened the Mini App in 7 days')],
  [MINIAPP_NOTIFY_ERRORS.userDailyLimit, c('reschedule_tomorrow', 'one notification per user per day')],
  [MINIAPP_NOTIFY_ERRORS.outsideWindow, c('reschedule_morning', 'notifications only 06:00–22:00')],
  [MINIAPP_NOTIFY_ERRORS.appDailyLimit, c('reschedule_tomorrow', 'app-wide daily notification cap')],
  [MINIAPP_NOTIFY_ERRORS.invalidTemplate, c('dead', 'invalid template or template data')],
]);

/**
 * Classify a failure. `code` is the Zalo `error` number from the body (null when there was none:
 * transport failure, HTML error page, empty body); `httpStatus` is null when no response arrived.
 */
export function classifyZaloError(
  code: number | null,
  httpStatus: number | null,
  channel: ZaloChannel = 'oa',
): ZaloErrorClass {
  if (code !== null) {
    if (channel === 'graph' && (code === -216 || code === -220 || code === -124)) {
      // A USER access token cannot be refreshed by the server; the Mini App must call
      // getAccessToken() again (docs/zalo.md §2). Retrying the same token is pointless.
      return c('dead', 'user access token invalid or expired: client must re-authenticate');
    }
    const hit = (channel === 'miniapp' ? MINIAPP_TABLE.get(code) : undefined) ?? ZALO_ERROR_TABLE.get(code);
    if (hit) return hit;
  }
  if (httpStatus === null) return c('retry', 'no response (timeout or network error)');
  if (httpStatus === 429) return c('rate_limited', `HTTP 429`);
  if (httpStatus >= 500 || httpStatus === 408) return c('retry', `HTTP ${httpStatus}`);
  if (httpStatus === 401 || httpStatus === 403) return c('alert_human', `HTTP ${httpStatus}: credentials rejected`);
  if (code !== null) {
    // An unlisted Zalo code: we do not know whether retrying is safe or useful, so hold the
    // message for a human instead of spamming or silently dropping it.
    return c('alert_human', `unclassified Zalo error ${code}`);
  }
  if (httpStatus >= 400) return c('alert_human', `HTTP ${httpStatus}`);
  return c('alert_human', 'unexpected response');
}

export type ZaloErrorKind =
  | 'api' // Zalo answered with error != 0 (usually HTTP 200)
  | 'http' // non-2xx without a usable Zalo error body
  | 'timeout'
  | 'network'
  | 'invalid_response' // 2xx but the body did not match the expected schema
  | 'invalid_request' // rejected locally before sending (e.g. text too long)
  | 'no_token' // no OA token available (needs admin consent)
  | 'token_store'; // the TokenStore failed (rotated pair kept in memory, not used yet)

export interface ZaloErrorInit {
  kind: ZaloErrorKind;
  channel: ZaloChannel;
  endpoint: string;
  code?: number | null;
  httpStatus?: number | null;
  message: string;
  retryAfterMs?: number | null;
  cause?: unknown;
  /** Override the table (used for local errors where the table has nothing to say). */
  classification?: ZaloErrorClass;
  /** The request may have reached Zalo and been executed: see ZaloError.outcomeUnknown. */
  outcomeUnknown?: boolean;
}

export class ZaloError extends Error {
  override readonly name = 'ZaloError';
  readonly kind: ZaloErrorKind;
  readonly channel: ZaloChannel;
  readonly endpoint: string;
  /** Zalo `error` number, null when the response carried none. */
  readonly code: number | null;
  /** HTTP status, null when no response arrived (timeout / network). */
  readonly httpStatus: number | null;
  readonly action: ZaloAction;
  readonly retryable: boolean;
  readonly alert: boolean;
  readonly reason: string;
  /** For `rate_limited`: how long to wait before the next call. */
  readonly retryAfterMs: number | null;
  /**
   * A send whose request was (or may have been) written before the client gave up: a timeout,
   * or a connection reset after writing. Zalo may have delivered it, so resending blindly could
   * post the same group message twice.
   */
  readonly outcomeUnknown: boolean;

  constructor(init: ZaloErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.channel = init.channel;
    this.endpoint = init.endpoint;
    this.code = init.code ?? null;
    this.httpStatus = init.httpStatus ?? null;
    const cls =
      init.classification ??
      (init.kind === 'invalid_response'
        ? // The request may have been executed (a send that succeeded with an unexpected body):
          // retrying could duplicate a message, so a human looks at it.
          c('alert_human', 'unexpected response shape from Zalo')
        : classifyZaloError(this.code, this.httpStatus, init.channel));
    this.action = cls.action;
    this.retryable = cls.retryable;
    this.alert = cls.alert;
    this.reason = cls.reason;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      channel: this.channel,
      endpoint: this.endpoint,
      code: this.code,
      httpStatus: this.httpStatus,
      action: this.action,
      retryable: this.retryable,
      alert: this.alert,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
      outcomeUnknown: this.outcomeUnknown,
      message: this.message,
    };
  }
}

export function isZaloError(e: unknown): e is ZaloError {
  return e instanceof ZaloError;
}
