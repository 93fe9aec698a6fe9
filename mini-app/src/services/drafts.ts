// Whatever a person types or chooses is written to localStorage first and removed only when the
// server has confirmed it, so nothing is lost on a failed request, a closed app or a dead battery.
// Zalo's webview keeps localStorage; nativeStorage would need a Zalo-version check.

const PREFIX = 'hoctap:';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readJson<T>(key: string): T | undefined {
  const s = storage();
  if (!s) return undefined;
  try {
    const raw = s.getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Quota full: the in-memory state still has the value; nothing else we can do here.
  }
}

export function removeKey(key: string): void {
  try {
    storage()?.removeItem(PREFIX + key);
  } catch {
    /* ignore */
  }
}

/** A text field draft (invite code, notes): kept until the server confirms. */
export const textDraft = {
  get: (name: string): string => readJson<string>(`text:${name}`) ?? '',
  set: (name: string, value: string) => (value ? writeJson(`text:${name}`, value) : removeKey(`text:${name}`)),
  clear: (name: string) => removeKey(`text:${name}`),
};

export interface PendingAnswer {
  points: number | null;
  note?: string;
  /** Local time of the change (ms). */
  at: number;
}

/** Answers changed on this phone and not yet confirmed by the server, per assessment. */
export const answerDrafts = {
  key: (assessmentId: string) => `answers:${assessmentId}`,
  all(assessmentId: string): Record<string, PendingAnswer> {
    return readJson<Record<string, PendingAnswer>>(this.key(assessmentId)) ?? {};
  },
  put(assessmentId: string, code: string, answer: PendingAnswer): void {
    const all = this.all(assessmentId);
    all[code] = answer;
    writeJson(this.key(assessmentId), all);
  },
  /** Remove only if unchanged since `at` (a newer local edit stays pending). */
  confirm(assessmentId: string, code: string, at: number): void {
    const all = this.all(assessmentId);
    if (all[code] && all[code].at <= at) {
      delete all[code];
      if (Object.keys(all).length === 0) removeKey(this.key(assessmentId));
      else writeJson(this.key(assessmentId), all);
    }
  },
};

/** Stable client ids, so a retried create/submit is the same request to the server. */
export function stableId(name: string): string {
  const existing = readJson<string>(`id:${name}`);
  if (existing) return existing;
  const id = uuid();
  writeJson(`id:${name}`, id);
  return id;
}
/**
 * The Idempotency-Key of a submit: one per assessment VERSION, so a retry of the same submit
 * replays it while the submit after a return (a newer version) is a new request. A key per state
 * would be the same on every return and replay the first resubmit (issue 13, item 10).
 */
export function submitKey(assessment: { id: string; version: number }): string {
  return stableId(`submit:${assessment.id}:v${assessment.version}`);
}
export function forgetId(name: string): void {
  removeKey(`id:${name}`);
}

export function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
