// The one place the mini app talks HTTP. A typed fetch client (Bearer token, one refresh on 401,
// retries with exponential backoff for network errors, 5xx and 429/503 with Retry-After) plus the
// endpoint functions. When the server's routes land, adjust the functions at the bottom only.
import type {
  AdminUnit,
  AssessmentDetail,
  AssessmentSummary,
  AssessmentWithVerdict,
  Campaign,
  CampaignCreateBody,
  CarryOver,
  CarryOverResult,
  Clan,
  CommentDto,
  ConsentPurpose,
  ConsentState,
  CriteriaSetSummary,
  Decision,
  DecisionBody,
  DecisionResult,
  Household,
  InboxPage,
  MessageLogPage,
  OrgUnit,
  ReportSummary,
  ReturnBody,
  ShareSummary,
  TimelineEntry,
  VerifyBody,
  DevUser,
  ErrorBody,
  EvidenceDto,
  LoginResponse,
  Me,
  Page,
  PhoneLinkBody,
  TokenPair,
} from './types.ts';
import { postingEndpoints } from './postings-api.ts';
import { historyEndpoints } from './history-api.ts';

export type ApiErrorKind = 'http' | 'network' | 'offline' | 'aborted';

/** An error every screen can show: `message` is always Vietnamese and readable by a household. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly body: ErrorBody | undefined;
  readonly reqId: string | undefined;
  /** The server's own text for 4xx (shown under the Vietnamese title). */
  readonly detail: string | undefined;

  constructor(kind: ApiErrorKind, status: number, body?: ErrorBody, cause?: unknown) {
    super(vietnameseMessage(kind, status, body), cause === undefined ? undefined : { cause });
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.reqId = body?.reqId;
    this.detail = status >= 400 && status < 500 && body?.message ? body.message : undefined;
  }

  /** Worth another try later (network, server busy): drafts stay pending. */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'offline' ||
      this.status >= 500 ||
      this.status === 429 ||
      this.status === 408
    );
  }
}

export function vietnameseMessage(kind: ApiErrorKind, status: number, body?: ErrorBody): string {
  if (kind === 'offline') return 'Điện thoại đang mất mạng. Dữ liệu đã nhập vẫn được giữ lại, hãy thử lại khi có mạng.';
  if (kind === 'network') return 'Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.';
  if (kind === 'aborted') return 'Yêu cầu đã bị hủy.';
  switch (status) {
    case 400:
    case 422:
      return 'Thông tin gửi lên chưa hợp lệ.';
    case 401:
      return 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.';
    case 403:
      return 'Bạn không có quyền thực hiện việc này.';
    case 404:
      return 'Không tìm thấy dữ liệu.';
    case 409:
      return 'Dữ liệu đã thay đổi hoặc đã được xử lý trước đó.';
    case 410:
      return 'Mã này đã hết hạn hoặc đã được dùng.';
    case 413:
      return 'Ảnh quá lớn, không gửi được.';
    case 415:
      return 'Định dạng tệp không được hỗ trợ. Hãy chọn ảnh JPG hoặc PNG.';
    case 429:
      return 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.';
    case 503:
      return 'Máy chủ đang bận. Vui lòng thử lại sau ít phút.';
    default:
      if (status >= 500) return 'Máy chủ gặp sự cố. Vui lòng thử lại sau.';
      return body?.message ? `Có lỗi xảy ra (${status}).` : `Có lỗi xảy ra (mã ${status}).`;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  getAccessToken: () => string | null;
  getRefreshToken: () => string | null;
  onTokens: (tokens: TokenPair) => void;
  /** Refresh failed: the session is gone; the app shows the login screen. */
  onAuthLost: () => void;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff delay in ms (default 500), doubled each retry, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  isOnline?: () => boolean;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | null | undefined>;
  json?: unknown;
  body?: FormData | Blob;
  headers?: Record<string, string>;
  /** Send the Bearer token and refresh on 401 (default true). */
  auth?: boolean;
  /** Safe to repeat after a 500/network error (default: GET/PUT/DELETE, or an Idempotency-Key). */
  idempotent?: boolean;
  signal?: AbortSignal;
  responseType?: 'json' | 'blob';
  /** Upload progress 0..1 (uses XMLHttpRequest, since fetch cannot report it). */
  onUploadProgress?: (fraction: number) => void;
  /** Retries for this request (default: the client's maxRetries). */
  maxRetries?: number;
}

/** fetch() over XMLHttpRequest, for upload progress. Rejects with TypeError on network errors like fetch. */
export function xhrFetch(onProgress: (fraction: number) => void): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init?.method ?? 'GET', String(input));
      xhr.responseType = 'blob';
      for (const [k, v] of Object.entries((init?.headers as Record<string, string> | undefined) ?? {}))
        xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const i = line.indexOf(':');
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        const nullBody = xhr.status === 204 || xhr.status === 304;
        resolve(new Response(nullBody ? null : (xhr.response as Blob), { status: xhr.status, headers }));
      };
      xhr.onerror = () => reject(new TypeError('Network request failed'));
      xhr.ontimeout = () => reject(new TypeError('Network request timed out'));
      xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
      init?.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send((init?.body as XMLHttpRequestBodyInit | null | undefined) ?? null);
    });
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Retry-After as seconds or an HTTP date → ms (capped), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now(), capMs = 30_000): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, capMs);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), capMs);
}

function isErrorBody(x: unknown): x is ErrorBody {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ErrorBody).statusCode === 'number' &&
    typeof (x as ErrorBody).message === 'string'
  );
}

export function createApiClient(opts: ApiClientOptions) {
  const doFetch = opts.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const maxRetries = opts.maxRetries ?? 3;
  const baseDelay = opts.baseDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 8_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const isOnline = opts.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine !== false));
  let refreshing: Promise<boolean> | null = null;

  function url(path: string, query?: RequestOptions['query']): string {
    let u = opts.baseUrl.replace(/\/$/, '') + path;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
      const s = qs.toString();
      if (s) u += (u.includes('?') ? '&' : '?') + s;
    }
    return u;
  }

  function backoff(attempt: number): number {
    const exp = Math.min(maxDelay, baseDelay * 2 ** attempt);
    // Full jitter on the upper half so many phones do not retry in lock-step after an outage.
    return Math.round(exp / 2 + (random() * exp) / 2);
  }

  /** One refresh for all concurrent 401s. Resolves true when a new access token was stored. */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const refreshToken = opts.getRefreshToken();
    if (!refreshToken) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const res = await doFetch(url('/api/v1/auth/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
        if (!res.ok) return false;
        const tokens = (await res.json()) as TokenPair;
        if (!tokens?.accessToken) return false;
        opts.onTokens(tokens);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function readError(res: Response): Promise<ErrorBody | undefined> {
    try {
      const text = await res.text();
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      return isErrorBody(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async function request<T>(path: string, o: RequestOptions = {}): Promise<T> {
    const method = o.method ?? 'GET';
    const auth = o.auth ?? true;
    const idempotent =
      o.idempotent ??
      (method === 'GET' || method === 'PUT' || method === 'DELETE' || Boolean(o.headers?.['Idempotency-Key']));
    const retries = o.maxRetries ?? maxRetries;
    let attempt = 0;
    let refreshed = false;

    for (;;) {
      const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
      let body: BodyInit | undefined;
      if (o.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(o.json);
      } else if (o.body !== undefined) {
        body = o.body;
      }
      const token = auth ? opts.getAccessToken() : null;
      if (token) headers.Authorization = `Bearer ${token}`;

      let res: Response;
      try {
        const init: RequestInit = { method, headers };
        if (body !== undefined) init.body = body;
        if (o.signal) init.signal = o.signal;
        const send =
          o.onUploadProgress && typeof XMLHttpRequest !== 'undefined' && !opts.fetch
            ? xhrFetch(o.onUploadProgress)
            : doFetch;
        res = await send(url(path, o.query), init);
      } catch (err) {
        if (o.signal?.aborted) throw new ApiError('aborted', 0, undefined, err);
        // A network error: the request may or may not have reached the server.
        if (attempt < retries && idempotent) {
          await sleep(backoff(attempt));
          attempt++;
          continue;
        }
        throw new ApiError(isOnline() ? 'network' : 'offline', 0, undefined, err);
      }

      if (res.status === 401 && auth && !refreshed && opts.getRefreshToken()) {
        refreshed = true;
        const errBody = await readError(res);
        if (await refresh()) continue;
        opts.onAuthLost();
        throw new ApiError('http', 401, errBody);
      }

      if (!res.ok) {
        // 503/429 mean "not processed, come back later": safe to repeat for any method.
        const retryable = RETRY_STATUSES.has(res.status) && (idempotent || res.status === 503 || res.status === 429);
        if (retryable && attempt < retries) {
          const wait = parseRetryAfter(res.headers.get('Retry-After')) ?? backoff(attempt);
          await res.body?.cancel().catch(() => undefined);
          await sleep(Math.max(wait, 0));
          attempt++;
          continue;
        }
        if (res.status === 401 && auth) opts.onAuthLost();
        throw new ApiError('http', res.status, await readError(res));
      }

      if (res.status === 204) return undefined as T;
      if (o.responseType === 'blob') return (await res.blob()) as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }

  return { request, refresh, url };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Lists come as `{ items, nextCursor }`; tolerate a bare array too. */
/**
 * index.html asks for the login list while this script is still downloading (outside Zalo, signed
 * out, same origin): taken once here. Anything but a 200 is asked again through the client, which
 * owns retries and the Vietnamese errors (a 404 says the demo login is off).
 */
async function takeEarlyDevUsers(): Promise<Page<DevUser> | DevUser[] | undefined> {
  const w = globalThis as { __hoctapDevUsers?: Promise<Response | undefined> };
  const early = w.__hoctapDevUsers;
  delete w.__hoctapDevUsers;
  if (!early || resolveApiBase() !== '') return undefined;
  try {
    const res = await early;
    return res?.ok ? ((await res.json()) as Page<DevUser> | DevUser[]) : undefined;
  } catch {
    return undefined;
  }
}

function items<T>(x: Page<T> | T[]): T[] {
  return Array.isArray(x) ? x : (x?.items ?? []);
}

const enc = encodeURIComponent;

export interface EndpointOptions {
  /** Assisted mode: the household a tổ leader is filling in for (X-Act-For-Household). */
  actFor?: () => string | null | undefined;
}

/** The endpoints, typed. Everything the screens call goes through here. */
export function createEndpoints(client: ApiClient, eo: EndpointOptions = {}) {
  const r = client.request;
  /** Headers for routes that accept assisted mode. */
  const af = (extra: Record<string, string> = {}): Record<string, string> => {
    const h = eo.actFor?.();
    return h ? { ...extra, 'X-Act-For-Household': h } : extra;
  };
  return {
    devUsers: async () => {
      const early = await takeEarlyDevUsers();
      return items(early ?? (await r<Page<DevUser> | DevUser[]>('/api/v1/auth/dev-users', { auth: false })));
    },
    devLogin: (userId: string) =>
      r<LoginResponse>('/api/v1/auth/dev-login', { method: 'POST', json: { userId }, auth: false, idempotent: true }),
    zaloLogin: (accessToken: string) =>
      r<LoginResponse>('/api/v1/auth/zalo', { method: 'POST', json: { accessToken }, auth: false, idempotent: true }),
    logout: (refreshToken: string) => r<void>('/api/v1/auth/logout', { method: 'POST', json: { refreshToken } }),
    me: () => r<Me>('/api/v1/me'),
    consentState: () => r<ConsentState>('/api/v1/me/consents'),
    giveConsents: (purposes: ConsentPurpose[], textVersion: string) =>
      r<ConsentState>('/api/v1/me/consents', { method: 'POST', json: { purposes, textVersion }, idempotent: true }),
    withdrawConsents: (purposes: ConsentPurpose[]) =>
      r<ConsentState>('/api/v1/me/consents/withdraw', { method: 'POST', json: { purposes }, idempotent: true }),
    /** The Zalo access token and the phone token from getPhoneNumber(), exchanged by the server. */
    sendPhoneToken: (body: PhoneLinkBody) => r<{ phone: string }>('/api/v1/me/phone', { method: 'POST', json: body }),
    claimInvite: (code: string) =>
      r<unknown>(`/api/v1/invites/${enc(code)}/claim`, { method: 'POST', idempotent: true }),
    campaigns: async (communeId?: string) =>
      items(await r<Page<Campaign> | Campaign[]>('/api/v1/campaigns', { query: { communeId } })),
    assessments: async (q: { campaignId?: string; subjectType?: string; unitId?: string; state?: string }) =>
      items(
        await r<Page<AssessmentSummary> | AssessmentSummary[]>('/api/v1/assessments', { query: { limit: 200, ...q } }),
      ),
    createAssessment: (a: {
      id: string;
      campaignId: string;
      subjectType: string;
      subjectId: string;
      subjectGroup?: string;
    }) => r<AssessmentSummary>('/api/v1/assessments', { method: 'POST', json: a, idempotent: true, headers: af() }),
    assessment: (id: string) => r<AssessmentDetail>(`/api/v1/assessments/${enc(id)}`, { headers: af() }),
    saveAnswer: (id: string, indicatorCode: string, answer: { points: number; note?: string }) =>
      r<unknown>(`/api/v1/assessments/${enc(id)}/answers/${enc(indicatorCode)}`, {
        method: 'PUT',
        json: answer,
        headers: af(),
      }),
    /** Last year's answers and photos this draft may start from (docs/transparency.md §6). */
    carryOver: (id: string) => r<CarryOver>(`/api/v1/assessments/${enc(id)}/carry-over`, { headers: af() }),
    applyCarryOver: (id: string, indicators: string[]) =>
      r<CarryOverResult>(`/api/v1/assessments/${enc(id)}/carry-over`, {
        method: 'POST',
        json: { indicators },
        idempotent: true,
        headers: af(),
      }),
    uploadEvidence: (
      id: string,
      indicatorCode: string,
      file: Blob,
      uploadKey: string,
      onProgress?: (fraction: number) => void,
    ) => {
      const form = new FormData();
      form.append('file', file, 'minh-chung.jpg');
      // A photo is ~100–250 KB after resizing: on a dropped link the whole upload is repeated
      // (same Idempotency-Key, so the server keeps one copy), for longer than other requests
      // (0,5 + 1 + 2 + 4 + 8 + 8 s ≈ 24 s of backoff) because a moving phone loses signal for
      // seconds at a time. Resumable uploads would save at most one photo's bytes per drop.
      const o: RequestOptions = {
        method: 'POST',
        query: { indicatorCode },
        body: form,
        headers: af({ 'Idempotency-Key': uploadKey }),
        maxRetries: 6,
      };
      if (onProgress) o.onUploadProgress = onProgress;
      return r<EvidenceDto>(`/api/v1/assessments/${enc(id)}/evidence`, o);
    },
    evidenceBlob: (path: string) => r<Blob>(path, { responseType: 'blob', headers: af() }),
    submit: (id: string, idempotencyKey: string) =>
      r<AssessmentWithVerdict>(`/api/v1/assessments/${enc(id)}/submit`, {
        method: 'POST',
        headers: af({ 'Idempotency-Key': idempotencyKey }),
      }),
    timeline: async (id: string) =>
      items(await r<Page<TimelineEntry>>(`/api/v1/assessments/${enc(id)}/timeline`, { headers: af() })),
    addComment: (id: string, body: { indicatorCode?: string; body: string }, key: string) =>
      r<CommentDto>(`/api/v1/assessments/${enc(id)}/comments`, {
        method: 'POST',
        json: body,
        headers: af({ 'Idempotency-Key': key }),
      }),
    verify: (id: string, body: VerifyBody) =>
      r<AssessmentWithVerdict>(`/api/v1/assessments/${enc(id)}/verify`, { method: 'POST', json: body }),
    returnForFix: (id: string, body: ReturnBody) =>
      r<AssessmentSummary>(`/api/v1/assessments/${enc(id)}/return`, { method: 'POST', json: body }),
    review: (body: { campaignId: string; hamletId: string; subjectType: string }) =>
      r<{ reviewed: number; assessmentIds: string[] }>('/api/v1/assessments/review', {
        method: 'POST',
        json: body,
        idempotent: true,
      }),
    decisions: async (campaignId: string) =>
      items(await r<Page<Decision>>(`/api/v1/campaigns/${enc(campaignId)}/decisions`)),
    decide: (campaignId: string, body: DecisionBody) =>
      r<DecisionResult>(`/api/v1/campaigns/${enc(campaignId)}/decisions`, { method: 'POST', json: body }),
    criteriaSets: async (subjectType?: string) =>
      items(await r<Page<CriteriaSetSummary>>('/api/v1/criteria-sets', { query: { subjectType } })),
    createCampaign: (body: CampaignCreateBody) =>
      r<Campaign>('/api/v1/campaigns', { method: 'POST', json: body, idempotent: true }),
    patchCampaign: (id: string, body: Partial<Omit<CampaignCreateBody, 'id' | 'communeId' | 'year'>>) =>
      r<Campaign>(`/api/v1/campaigns/${enc(id)}`, { method: 'PATCH', json: body, idempotent: true }),
    adminUnits: async (parentId?: string) =>
      items(await r<Page<AdminUnit>>('/api/v1/admin-units', { query: { parentId } })),
    /** Clans in my scope; a clan head sees the clans they head (headUserId). */
    clans: async (communeId?: string) =>
      items(await r<Page<Clan>>('/api/v1/clans', { query: { communeId, limit: 200 } })),
    /** Commune units (schools, agencies, …) in my scope; a unit head sees the units they head. */
    orgUnits: async (communeId?: string) =>
      items(await r<Page<OrgUnit>>('/api/v1/units', { query: { communeId, limit: 200 } })),
    households: async (unitId?: string) =>
      items(await r<Page<Household>>('/api/v1/households', { query: { unitId, limit: 200 } })),
    reportSummary: (campaignId: string, unitId: string) =>
      r<ReportSummary>('/api/v1/reports/summary', { query: { campaignId, unitId } }),
    inbox: (o: { cursor?: string } = {}) => r<InboxPage>('/api/v1/inbox', { query: { cursor: o.cursor, limit: 50 } }),
    markRead: (id: string) =>
      r<{ id: string; readAt: string }>(`/api/v1/inbox/${enc(id)}/read`, { method: 'POST', idempotent: true }),
    messages: (q: { communeId?: string; status?: string; cursor?: string } = {}) =>
      r<MessageLogPage>('/api/v1/messages', { query: { ...q, limit: 100 } }),
    shareSummary: (unitId: string) => r<ShareSummary>(`/api/v1/share-summaries/${enc(unitId)}`),
    /** Posting of proposed lists and objections (docs/transparency.md §2). */
    postings: postingEndpoints(r),
    /** Years side by side and commendation proposals (docs/transparency.md §3–§5). */
    history: historyEndpoints(r),
    /** A file (export, PDF) fetched with the token, to be saved through a blob link. */
    download: (path: string, query?: RequestOptions['query']) =>
      r<Blob>(path, { responseType: 'blob', ...(query ? { query } : {}) }),
    /** Any other route, on the same session (the officer console's endpoints: console/api.ts). */
    request: r,
  };
}

export type Endpoints = ReturnType<typeof createEndpoints>;

/**
 * API origin: VITE_API_BASE when set at build time; inside Zalo the app is served from Zalo's CDN,
 * so the origin comes from app-config.json (`template.apiBase`); otherwise same origin ('').
 */
export function resolveApiBase(): string {
  const fromEnv = (import.meta.env.VITE_API_BASE as string | undefined) ?? '';
  if (fromEnv) return fromEnv;
  const cfg = (globalThis as { APP_CONFIG?: { template?: { apiBase?: string } } }).APP_CONFIG;
  return cfg?.template?.apiBase ?? '';
}
