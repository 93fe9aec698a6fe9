/**
 * "When and where was this photo taken?" hints, read from the ORIGINAL upload.
 *
 * They must be read before re-encoding, because the re-encode strips all metadata. They are hints
 * only: EXIF is trivially forgeable and Zalo's own compression often removes it, so nothing may be
 * decided automatically from them (a verifier may look at them).
 *
 * PRIVACY: GPS coordinates are sensitive personal data (location; docs/security.md §2, §4, ASVS
 * 14.2.8). This module returns the precise coordinates so the caller can derive a coarse hint
 * (for example "taken inside the commune: yes/no", or `coarsenGps()` below) *with the household's
 * consent*, and then drop them. Never log them, never store the raw values by default, never send
 * them to the client.
 */
import exifr from 'exifr';

export interface GpsPoint {
  latitude: number;
  longitude: number;
}

export interface ExifHints {
  /** Capture instant (UTC `Date`), from DateTimeOriginal, falling back to DateTimeDigitized. */
  capturedAt?: Date;
  /**
   * True when EXIF had no OffsetTime* tag and Vietnam time (+07:00) was assumed. Phones in
   * Vietnam are almost always set to Asia/Ho_Chi_Minh, which has had no DST since 1975, so a
   * fixed +07:00 is exact for that zone.
   */
  capturedAtOffsetAssumed?: boolean;
  /** Precise coordinates — sensitive, see the module comment. */
  gps?: GpsPoint;
  /** Whether the original carried any EXIF we could read (useful as a weak authenticity hint). */
  exifPresent: boolean;
}

/** Asia/Ho_Chi_Minh: UTC+7 all year. */
const VIETNAM_OFFSET = '+07:00';

/** Photos "taken" before digital cameras or far in the future are clock errors, not hints. */
const EARLIEST_PLAUSIBLE = Date.UTC(2000, 0, 1);
const FUTURE_TOLERANCE_MS = 2 * 24 * 3600 * 1000;

export async function readExifHints(original: Uint8Array, now: Date = new Date()): Promise<ExifHints> {
  const hints: ExifHints = { exifPresent: false };

  // Date tags. `reviveValues: false` keeps "YYYY:MM:DD hh:mm:ss" as text: exifr's revived Date
  // is built in the server's local zone, which would make the result depend on the host TZ.
  try {
    const tags: unknown = await exifr.parse(original, {
      pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTimeDigitized'],
      reviveValues: false,
    });
    if (isRecord(tags)) {
      // exifr reports damaged segments as an `errors` array instead of throwing: not a tag.
      hints.exifPresent = Object.keys(tags).some((k) => k !== 'errors');
      const captured =
        parseExifDate(tags['DateTimeOriginal'], tags['OffsetTimeOriginal']) ??
        parseExifDate(tags['CreateDate'], tags['OffsetTimeDigitized']);
      if (captured && isPlausible(captured.date, now)) {
        hints.capturedAt = captured.date;
        hints.capturedAtOffsetAssumed = captured.offsetAssumed;
      }
    }
  } catch {
    // Unknown container (WebP), or broken EXIF: no hint, never a failed upload.
  }

  // GPS separately: exifr.parse with `pick` + `gps: true` silently returns no GPS (docs/architecture.md §7.3).
  try {
    const gps: unknown = await exifr.gps(original);
    const point = isRecord(gps) ? toValidPoint(gps['latitude'], gps['longitude']) : undefined;
    if (point) {
      hints.gps = point;
      hints.exifPresent = true;
    }
  } catch {
    // Same as above.
  }

  return hints;
}

/**
 * Parses an EXIF "YYYY:MM:DD hh:mm:ss" with an optional "+hh:mm" offset into a UTC instant.
 * Exported for tests.
 */
export function parseExifDate(value: unknown, offset: unknown): { date: Date; offsetAssumed: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return undefined; // includes the "0000:00:00 00:00:00" placeholder some cameras write
  const off = typeof offset === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim()) : null;
  const tz = off ? `${off[1]}${off[2]}:${off[3]}` : VIETNAM_OFFSET;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject roll-overs such as 2024-02-31, which Date would silently turn into March.
  const local = new Date(date.getTime() + offsetMinutes(tz) * 60_000);
  if (local.getUTCMonth() + 1 !== Number(m[2]) || local.getUTCDate() !== Number(m[3])) {
    return undefined;
  }
  return { date, offsetAssumed: off === null };
}

/**
 * Rounds coordinates to `decimals` places (2 ≈ 1.1 km, enough for "which commune") so that a
 * stored hint cannot pinpoint a house. Prefer storing a yes/no "inside the commune" flag.
 */
export function coarsenGps(gps: GpsPoint, decimals = 2): GpsPoint {
  const f = 10 ** decimals;
  return { latitude: Math.round(gps.latitude * f) / f, longitude: Math.round(gps.longitude * f) / f };
}

function offsetMinutes(tz: string): number {
  const sign = tz.startsWith('-') ? -1 : 1;
  return sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
}

function isPlausible(date: Date, now: Date): boolean {
  const t = date.getTime();
  return t >= EARLIEST_PLAUSIBLE && t <= now.getTime() + FUTURE_TOLERANCE_MS;
}

function toValidPoint(lat: unknown, lon: unknown): GpsPoint | undefined {
  if (typeof lat !== 'number' || typeof lon !== 'number') return undefined;
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  // (0, 0) is what many apps write when they have no fix.
  if (lat === 0 && lon === 0) return undefined;
  return { latitude: lat, longitude: lon };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
