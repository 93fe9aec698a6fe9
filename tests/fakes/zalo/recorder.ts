/** Everything the fake received, for assertions ("exactly one refresh reached Zalo"). */
export interface RecordedRequest {
  seq: number;
  at: Date;
  method: string;
  /** Path without query string, e.g. "/v2.0/me". */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON or form body (form bodies become a string record). */
  body: unknown;
  response?: { statusCode: number; body: string };
  /** Set when a scripted failure answered this request instead of the normal handler. */
  scripted?: string;
}

export interface Recorder {
  readonly requests: RecordedRequest[];
  /** Requests to one path (optionally one method). */
  for(path: string, method?: string): RecordedRequest[];
  clear(): void;
}

export function createRecorder(): Recorder & { push(r: Omit<RecordedRequest, 'seq'>): RecordedRequest } {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  return {
    requests,
    for(path, method) {
      return requests.filter((r) => r.path === path && (method === undefined || r.method === method.toUpperCase()));
    },
    clear() {
      requests.length = 0;
    },
    push(r) {
      const entry = { ...r, seq: ++seq };
      requests.push(entry);
      return entry;
    },
  };
}
