/**
 * 64-bit perceptual hash (pHash) for near-duplicate photos, in-house on top of sharp.
 *
 * Why: exact duplicates are caught by sha256 of the original bytes, but the same photo
 * re-sent after Zalo recompression, a resize or a brightness tweak has a different sha256.
 * pHash keeps only the lowest spatial frequencies of a 32×32 greyscale thumbnail (via a DCT), so
 * it survives recompression, resizing and global brightness/contrast changes, while two different
 * scenes land ~32 bits apart. It is the same algorithm as Python's `imagehash.phash`.
 *
 * Policy: a distance ≤ NEAR_DUPLICATE_MAX_DISTANCE is a *flag for the verifier* ("this looks like
 * the photo household X sent"), never an automatic rejection — two neighbours photographing the
 * same hamlet reading room legitimately produce similar pictures.
 *
 * Format: 16 lowercase hex chars (big-endian, bit 63 = coefficient (0,0)); convert with
 * `BigInt('0x' + hex)` for a `bigint`/`bit(64)` column.
 */
import sharp, { type Sharp } from 'sharp';

/** Side of the greyscale square the DCT runs on. */
export const PHASH_INPUT_SIZE = 32;
/** Side of the low-frequency block kept (8×8 = 64 bits). */
const LOW = 8;

/**
 * Largest Hamming distance still flagged as "probably the same photo". Recompressed/resized
 * copies measure 0–4 here; different scenes ~20–40. (docs/architecture.md §7.4)
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 8;

/** cos((2x+1)uπ/2N) for u < 8, x < 32, computed once. */
const COS: Float64Array = (() => {
  const t = new Float64Array(LOW * PHASH_INPUT_SIZE);
  for (let u = 0; u < LOW; u++) {
    for (let x = 0; x < PHASH_INPUT_SIZE; x++) {
      t[u * PHASH_INPUT_SIZE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_INPUT_SIZE));
    }
  }
  return t;
})();

/**
 * pHash of a 32×32 single-channel (greyscale, 8-bit) raw pixel buffer, row-major.
 * Only the 8×8 lowest frequencies of the 2-D DCT-II are computed (separable: rows, then columns).
 */
export function phashFromGreyscale32(pixels: Uint8Array): string {
  const N = PHASH_INPUT_SIZE;
  if (pixels.length !== N * N) {
    throw new RangeError(`expected ${N * N} greyscale pixels, got ${pixels.length}`);
  }
  // rows[y][u] = Σx p(x,y)·cos_u(x)
  const rows = new Float64Array(N * LOW);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += (pixels[y * N + x] ?? 0) * (COS[u * N + x] ?? 0);
      rows[y * LOW + u] = s;
    }
  }
  // coeffs[v][u] = Σy rows[y][u]·cos_v(y)
  const coeffs = new Float64Array(LOW * LOW);
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += (rows[y * LOW + u] ?? 0) * (COS[v * N + y] ?? 0);
      coeffs[v * LOW + u] = s;
    }
  }
  // Threshold at the median so about half the bits are set whatever the exposure.
  const sorted = Float64Array.from(coeffs).sort();
  const median = ((sorted[31] ?? 0) + (sorted[32] ?? 0)) / 2;
  let hash = 0n;
  for (let i = 0; i < LOW * LOW; i++) {
    hash = (hash << 1n) | ((coeffs[i] ?? 0) > median ? 1n : 0n);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * pHash of an encoded image (or a sharp pipeline the caller prepared). Orientation is applied
 * first so a photo and its rotated-by-EXIF twin hash alike; alpha is flattened onto white.
 */
export async function perceptualHash(
  input: Buffer | Sharp,
  options: { limitInputPixels?: number } = {},
): Promise<string> {
  const pipeline = Buffer.isBuffer(input)
    ? sharp(input, { limitInputPixels: options.limitInputPixels ?? 40_000_000 }).autoOrient()
    : input;
  const pixels = await pipeline
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(PHASH_INPUT_SIZE, PHASH_INPUT_SIZE, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return phashFromGreyscale32(pixels);
}

/** Number of differing bits between two 64-bit hashes (hex strings or bigints). */
export function hammingDistance(a: string | bigint, b: string | bigint): number {
  let x = toBigInt(a) ^ toBigInt(b);
  let count = 0;
  while (x > 0n) {
    x &= x - 1n; // clears the lowest set bit
    count++;
  }
  return count;
}

export function isNearDuplicate(a: string | bigint, b: string | bigint): boolean {
  return hammingDistance(a, b) <= NEAR_DUPLICATE_MAX_DISTANCE;
}

// ---- Candidate lookup by bands (multi-index hashing) ------------------------------------------

/** The 64 bits are stored as four 16-bit bands, each with its own index. */
export const PHASH_BANDS = 4;
const BAND_BITS = 16;
const BAND_MASK = (1n << BigInt(BAND_BITS)) - 1n;

/**
 * Hamming radius searched inside each band. If two hashes differ in at most
 * NEAR_DUPLICATE_MAX_DISTANCE (8) bits spread over 4 bands, at least one band differs in at most
 * ⌊8 / 4⌋ = 2 bits (otherwise the total would be ≥ 4 × 3 = 12). So looking up, in each band,
 * every value within 2 bits of the query's band (137 values) finds EVERY near-duplicate: the
 * lookup is exact, not a heuristic, and touches only rows sharing a band value.
 */
export const BAND_SEARCH_RADIUS = Math.floor(NEAR_DUPLICATE_MAX_DISTANCE / PHASH_BANDS);

/** The four unsigned 16-bit bands, most significant first. */
export function phashBands(h: string | bigint): [number, number, number, number] {
  const x = toBigInt(h);
  const band = (i: number) => Number((x >> BigInt(BAND_BITS * (PHASH_BANDS - 1 - i))) & BAND_MASK);
  return [band(0), band(1), band(2), band(3)];
}

/** Every 16-bit value within `radius` bits of `band` (itself included). */
export function bandNeighbours(band: number, radius = BAND_SEARCH_RADIUS): number[] {
  const out = [band];
  let frontier = [{ value: band, lowest: 0 }];
  for (let r = 1; r <= radius; r++) {
    const next: { value: number; lowest: number }[] = [];
    // Flip bits in increasing positions only, so each value is produced once.
    for (const { value, lowest } of frontier) {
      for (let bit = lowest; bit < BAND_BITS; bit++) {
        const v = value ^ (1 << bit);
        out.push(v);
        next.push({ value: v, lowest: bit + 1 });
      }
    }
    frontier = next;
  }
  return out;
}

/** Signed 64-bit value of a hash, as stored in a PostgreSQL bigint column. */
export function phashToSigned(h: string | bigint): bigint {
  return BigInt.asIntN(64, toBigInt(h));
}

export function phashToBigInt(hex: string): bigint {
  return toBigInt(hex);
}

function toBigInt(h: string | bigint): bigint {
  if (typeof h === 'bigint') return BigInt.asUintN(64, h);
  if (!/^[0-9a-f]{16}$/i.test(h)) throw new RangeError(`not a 64-bit hex hash: ${h}`);
  return BigInt(`0x${h}`);
}
