import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** 2xx answers per second of the run (what was actually accepted). */
  okRps: number;
  /** Answers by HTTP status, e.g. { '201': 480, '503': 3 }. */
  statuses: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds, or a fixed number of requests with `amount`. */
  duration?: number;
  amount?: number;
  method?: 'GET' | 'POST' | 'PUT';
  /** Per-request headers/body/path; called for every request autocannon sends. */
  setupRequest?: (req: { path: string; headers: Record<string, string>; method?: string; body?: string | Buffer }) => {
    path: string;
    headers: Record<string, string>;
    method?: string;
    body?: string | Buffer;
  };
  headers?: Record<string, string>;
  /** Seconds before an unanswered request counts as an error (autocannon's default is 10). */
  timeout?: number;
}

/** One autocannon run; latencies in ms (autocannon's HDR histogram: p97.5 stands in for p95). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 5 }),
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.timeout ? { timeout: options.timeout } : {}),
    ...(options.setupRequest
      ? {
          requests: [
            {
              method: options.method ?? 'GET',
              // autocannon wants the whole request back (method included), not just the changes.
              setupRequest: ((req: Record<string, unknown>) => ({
                ...req,
                ...options.setupRequest!(req as never),
              })) as never,
            },
          ],
        }
      : {}),
  });
  const l = result.latency as unknown as Record<string, number>;
  return {
    rps: result.requests.average,
    p50: l.p50 ?? 0,
    p95: l.p97_5 ?? l.p95 ?? 0,
    p99: l.p99 ?? 0,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    okRps: result['2xx'] / Math.max(0.001, result.duration),
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]),
    ),
    seconds: result.duration,
  };
}

/** Latency percentiles of a list of samples (ms). */
export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), n: s.length };
}
