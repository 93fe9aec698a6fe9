/** Small helpers shared by every file output. */
import { unitLabel } from '../../notify/templates.ts';

/** Folds Vietnamese to ASCII (đ → d, diacritics dropped): file names that survive any unzip tool. */
export function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

export function slug(s: string, max = 60): string {
  const out = asciiFold(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return out || 'khong-ten';
}

/**
 * `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987): old clients
 * take the ASCII fallback, every current browser and the Zalo webview the UTF-8 name.
 */
export function contentDisposition(name: string): string {
  const fallback = asciiFold(name)
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const VN_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** dd/MM/yyyy HH:mm in Vietnam time, whatever the server's zone. */
export function vnDateTime(d: Date | null | undefined): string {
  if (!d) return '';
  const p = Object.fromEntries(VN_TIME.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** "Xã Mỹ An" from kind "xã" and name "Mỹ An" (a name that already carries its kind stays). */
export function officialName(kind: string, name: string): string {
  return unitLabel(kind, name);
}

/** The place in a date line: "Mỹ An" for Xã Mỹ An, but "Phường 3" whole (a number is no place). */
export function placeOf(kind: string, name: string): string {
  const full = unitLabel(kind, name);
  const kindWords = kind.trim().split(/\s+/);
  const words = full.split(/\s+/);
  const head = words.slice(0, kindWords.length).join(' ').toLocaleLowerCase('vi');
  const rest = words.slice(kindWords.length).join(' ');
  if (head !== kindWords.join(' ').toLocaleLowerCase('vi') || !rest || /^\d+$/.test(rest)) return full;
  return rest;
}

/** '2026-11-10' → '10/11/2026'. */
export function vnDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-');
  return `${d}/${m}/${y}`;
}

// ---------------------------------------------------------------- CSV

/** Excel reads UTF-8 only with a byte-order mark; without it Vietnamese turns into mojibake. */
export const UTF8_BOM = '\uFEFF';

/**
 * CSV injection (OWASP): a text cell starting with = + - @ (or tab / CR, which Excel strips
 * before evaluating) is prefixed with a single quote so spreadsheets show it as text.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(v: string | number | null | undefined, isText: boolean): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : isText ? neutralise(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF). Strings are user text and get neutralised; numbers are ours. */
export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map((v) => csvField(v, typeof v === 'string')).join(',') + '\r\n';
}
