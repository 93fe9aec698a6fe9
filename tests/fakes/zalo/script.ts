/**
 * Scripted failures: "the next N calls to this endpoint fail like this". Covers the behaviours
 * docs/zalo.md §10: the fake can inject: HTTP 200 with error != 0, -32 with rate-limit headers,
 * 5xx, timeouts, dropped connections.
 */
export type FakeFailure =
  /** Zalo-style failure: body `{ error, message }`, HTTP 200 unless `httpStatus` says otherwise. */
  | { error: number; message?: string; httpStatus?: number; headers?: Record<string, string>; retryAfterSec?: number }
  /** Raw HTTP failure, e.g. `{ httpStatus: 502, body: '<html>Bad gateway</html>' }`. */
  | { httpStatus: number; body?: string; headers?: Record<string, string> }
  /** Answer normally but only after `delayMs` (the request IS executed: models a client timeout). */
  | { delayMs: number }
  /**
   * Hold the request until the client gives up (its timeout closes the connection), THEN execute
   * it: Zalo answering after the client's timeout, whatever that timeout and the machine's speed.
   */
  | { afterClientGivesUp: true }
  /** Destroy the socket without answering. */
  | { dropConnection: true };

export type ScriptedFailure = FakeFailure & { times?: number };

export interface Script {
  /** `path` is the request path without query, e.g. "/v2.0/me" or "/v3.0/oa/group/message". */
  failNext(path: string, failure: ScriptedFailure | number): void;
  /** Remaining scripted failures for a path (or all). */
  pending(path?: string): number;
  reset(): void;
}

export function createScript(): Script & { take(path: string): FakeFailure | undefined } {
  const queues = new Map<string, { failure: FakeFailure; left: number }[]>();
  return {
    failNext(path, failure) {
      const f: ScriptedFailure = typeof failure === 'number' ? { error: failure } : failure;
      const { times = 1, ...rest } = f as ScriptedFailure & { times?: number };
      const q = queues.get(path) ?? [];
      q.push({ failure: rest as FakeFailure, left: times });
      queues.set(path, q);
    },
    pending(path) {
      const count = (q: { left: number }[]) => q.reduce((n, e) => n + e.left, 0);
      if (path !== undefined) return count(queues.get(path) ?? []);
      let n = 0;
      for (const q of queues.values()) n += count(q);
      return n;
    },
    reset() {
      queues.clear();
    },
    take(path) {
      const q = queues.get(path);
      const head = q?.[0];
      if (!q || !head) return undefined;
      head.left -= 1;
      if (head.left <= 0) q.shift();
      return head.failure;
    },
  };
}

export function describeFailure(f: FakeFailure): string {
  if ('delayMs' in f) return `delay ${f.delayMs}ms`;
  if ('dropConnection' in f) return 'drop connection';
  if ('afterClientGivesUp' in f) return 'answer after the client gave up';
  if ('error' in f) return `error ${f.error}`;
  return `http ${f.httpStatus}`;
}
