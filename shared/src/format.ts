/*
 * How every figure a person reads is written: group messages, share summaries, reports, XLSX
 * cells, PDFs and (soon) the mini app. Vietnamese conventions: decimal comma ("77,5"), thousands
 * with a dot ("1.250"), a space before the percent sign ("77,5 %"), one decimal only where it is
 * needed ("100 %", "0,5 %"). One module, so the dashboard, the XLSX and the Zalo group never
 * disagree by a rounding.
 */

/**
 * Rounds half away from zero at `decimals`, after trimming binary noise: 7/80 is stored as
 * 0.08749999999999999, and a reader (and Excel, which works on 15 significant digits) expects
 * 8,8 %, not 8,7 %.
 */
export function roundHalfAway(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(x) * f).toPrecision(12));
  return (Math.sign(x) * Math.round(scaled)) / f || 0;
}

/** Vietnamese number: decimal comma, dot for thousands, no trailing zeros ("7,5", "80", "1.250,5"). */
export function formatNumber(n: number, maxDecimals = 2): string {
  const r = roundHalfAway(n, maxDecimals);
  const [int, frac] = Math.abs(r).toFixed(maxDecimals).split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const decimals = (frac ?? '').replace(/0+$/, '');
  return `${r < 0 ? '-' : ''}${grouped}${decimals ? `,${decimals}` : ''}`;
}

/** Decimals shown for a share: one, unless the rounded percentage is whole. */
export const SHARE_DECIMALS = 1;

/** The share as it is shown, as a fraction: 0.775 → 0.775, 0.08749999… → 0.088. XLSX cells store this. */
export function roundShare(share: number): number {
  return roundHalfAway(share, SHARE_DECIMALS + 2);
}

/** True when the shown percentage has no decimal (85 %, 100 %), false for 77,5 %. */
export function shareIsWhole(share: number): boolean {
  return Number.isInteger(roundHalfAway(share * 100, SHARE_DECIMALS));
}

/** 0.775 → "77,5 %", 0.005 → "0,5 %", 1 → "100 %", null → "—" (no denominator). */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${formatNumber(share * 100, SHARE_DECIMALS)} %`;
}

/** n of d as a share, or null without a denominator (every share names its denominator). */
export function shareOf(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

/**
 * Excel number format that shows `share` exactly as formatShare does, in a Vietnamese-locale
 * Excel or LibreOffice (the decimal mark is the reader's locale): "0 %" or "0.0 %".
 */
export function shareNumFmt(share: number | null | undefined): string {
  return share === null || share === undefined || shareIsWhole(share) ? '0 %' : '0.0 %';
}

/** Counts: "1.250". */
export function formatCount(n: number): string {
  return formatNumber(n, 0);
}
