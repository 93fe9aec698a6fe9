import type { Clock } from '@hoctap/server/lib/clock.ts';

/**
 * Controllable clock shared by the fake server and the clients under test, so token expiry,
 * the 06:00–22:00 Mini App window and daily caps can be driven deterministically.
 * Starts on real time; `set`/`advance` freeze it.
 */
export interface FakeClock extends Clock {
  nowMs(): number;
  set(at: Date | number | string): void;
  advance(ms: number): void;
  /** Back to real time. */
  useRealTime(): void;
}

export function createFakeClock(start?: Date | number | string): FakeClock {
  let frozen: number | null = start === undefined ? null : new Date(start).getTime();
  const nowMs = () => frozen ?? Date.now();
  return {
    now: () => new Date(nowMs()),
    nowMs,
    set(at) {
      frozen = new Date(at).getTime();
    },
    advance(ms) {
      frozen = nowMs() + ms;
    },
    useRealTime() {
      frozen = null;
    },
  };
}

/** Vietnam is UTC+7 all year (no DST). */
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function vnHour(ms: number): number {
  return new Date(ms + VN_OFFSET_MS).getUTCHours();
}

/** Calendar day number in Asia/Ho_Chi_Minh, for "per day" counters. */
export function vnDay(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
}

/** Build an instant from a Vietnam wall-clock time, e.g. vnTime('2026-12-01T05:30'). */
export function vnTime(localIso: string): Date {
  return new Date(`${localIso}${localIso.length <= 16 ? ':00' : ''}+07:00`);
}
