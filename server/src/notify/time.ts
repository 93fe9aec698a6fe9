/**
 * Vietnam wall-clock helpers. Asia/Ho_Chi_Minh is UTC+7 all year (no DST), so plain offset
 * arithmetic is exact and needs no tz database (the Mini App window, ZBS night ban and "one a day"
 * are all Vietnam-time rules: docs/zalo.md §5, §6).
 */
export const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export function vnHour(d: Date): number {
  return new Date(d.getTime() + VN_OFFSET_MS).getUTCHours();
}

/** 00:00 Vietnam time of the day `d` falls on, as an instant. */
export function startOfVnDay(d: Date): Date {
  const local = d.getTime() + VN_OFFSET_MS;
  return new Date(local - (local % DAY_MS) - VN_OFFSET_MS);
}

/** The next `hour`:00 Vietnam time strictly after `d` (today's if still ahead, else tomorrow's). */
export function nextVnHour(d: Date, hour: number): Date {
  const today = new Date(startOfVnDay(d).getTime() + hour * HOUR_MS);
  return today.getTime() > d.getTime() ? today : new Date(today.getTime() + DAY_MS);
}

/** 06:00 Vietnam time of the day after `d`. */
export function tomorrowMorning(d: Date, hour = 6): Date {
  return new Date(startOfVnDay(d).getTime() + DAY_MS + hour * HOUR_MS);
}

/** Is `d` inside [from, to) hours, Vietnam time? */
export function inVnWindow(d: Date, from: number, to: number): boolean {
  const h = vnHour(d);
  return h >= from && h < to;
}

/** "30/10" — how a deadline reads in a short Vietnamese message. */
export function ddmm(d: Date): string {
  const local = new Date(d.getTime() + VN_OFFSET_MS);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}`;
}
