/**
 * Vietnamese text helpers: NFC storage, accent-insensitive folding (NFC and NFD input alike),
 * and phone normalisation.
 */

/** Stored form of any user-entered text: NFC, trimmed, single spaces. */
export function clean(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFC')
    .replace(/[\s\u00a0\u200b]+/g, ' ')
    .trim();
}

/** Accent- and case-insensitive key: "Nguyễn Văn Ân" (NFC or NFD) → "nguyen van an". */
export function fold(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s\u00a0\u200b]+/g, ' ')
    .trim();
}

/**
 * The two strings for SQL `translate(col, FROM, TO)` that fold precomposed (NFC) Vietnamese/Latin
 * letters, upper and lower case, to lowercase ASCII, without relying on the database's locale or
 * the unaccent extension (PGlite has neither reliably). Stored text is NFC, see `clean`.
 */
export const FOLD_FROM_TO: { from: string; to: string } = (() => {
  let from = '';
  let to = '';
  const add = (ch: string) => {
    const f = fold(ch);
    if (f.length === 1 && f !== ch && /[a-z]/.test(f)) {
      from += ch;
      to += f;
    }
  };
  for (let c = 0x41; c <= 0x5a; c++) add(String.fromCharCode(c));
  for (let c = 0xc0; c <= 0x24f; c++) add(String.fromCharCode(c));
  for (let c = 0x1e00; c <= 0x1eff; c++) add(String.fromCharCode(c));
  return { from, to };
})();

/**
 * Vietnamese phone numbers to one stored form, "0" + national number:
 * "+84 912 345 678", "84912345678", "0912.345.678", "912345678" → "0912345678".
 * Returns null for empty input and `false` for something that is not a phone number.
 */
export function normalizePhone(input: string | null | undefined): string | null | false {
  const raw = clean(input);
  if (!raw) return null;
  if (!/^[+\d\s().-]+$/.test(raw)) return false;
  let d = raw.replace(/[^\d+]/g, '');
  if (d.startsWith('+')) d = d.slice(1);
  if (d.startsWith('0084')) d = d.slice(4);
  else if (d.startsWith('84') && d.length >= 11) d = d.slice(2);
  if (!d.startsWith('0')) d = `0${d}`;
  // Mobile: 0 + 9 digits; landline: 02x + 8 digits (11 digits in all).
  if (/^0[35789]\d{8}$/.test(d) || /^02\d{9}$/.test(d)) return d;
  return false;
}

/** "0912345678" → "091…678": enough to recognise, not enough to call. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return phone.length <= 6 ? '…' : `${phone.slice(0, 3)}…${phone.slice(-3)}`;
}

/** "Ấp Mỹ Hòa", "ấp mỹ hoà", "Mỹ Hoà" → "my hoa" (kind word dropped). */
export function hamletKey(s: string): string {
  // Old-style tone placement (hoà/hòa) folds to the same letters anyway.
  return fold(s)
    .replace(/^(ap|khom|thon|to dan pho|khu pho)\s+/, '')
    .trim();
}

/** "Tổ 01", "tổ 1", "1", "Tổ NDTQ số 1" → "1"; "Tổ Mỹ Lợi" → "my loi". */
export function groupKey(s: string): string {
  let f = fold(s)
    .replace(/^(to nhan dan tu quan|to nhan dan|to tu quan|to ndtq|to)\s+/, '')
    .replace(/^so\s+/, '')
    .trim();
  f = f.replace(/\b0+(\d)/g, '$1');
  return f;
}

/** Stable import/identity key of a household: "ma:<mã hộ>" or the normalised place+head+address. */
export function householdKey(p: {
  code?: string | null;
  hamletName: string;
  groupName: string;
  headName: string;
  address: string;
}): string {
  const code = clean(p.code);
  if (code) return `ma:${fold(code).replace(/\s+/g, '')}`;
  return `k:${[hamletKey(p.hamletName), groupKey(p.groupName), fold(p.headName), fold(p.address)].join('|')}`;
}
