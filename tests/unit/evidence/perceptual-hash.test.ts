import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  hammingDistance,
  isNearDuplicate,
  NEAR_DUPLICATE_MAX_DISTANCE,
  perceptualHash,
  phashFromGreyscale32,
  phashToBigInt,
  phashToSigned,
  phashBands,
  bandNeighbours,
  BAND_SEARCH_RADIUS,
} from '@hoctap/server/evidence/perceptual-hash.ts';
import { readFixture } from './photo-fixtures.ts';

const hex64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((b) => b.toString(16).padStart(16, '0'));

describe('hammingDistance', () => {
  it('counts differing bits of hex strings and bigints alike', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance(0xffn, '00000000000000f0')).toBe(4);
    expect(hammingDistance('ABCDEF0123456789', 'abcdef0123456789')).toBe(0);
  });

  it('rejects anything that is not a 64-bit hash', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
    expect(() => hammingDistance('zzzzzzzzzzzzzzzz', '0000000000000000')).toThrow(RangeError);
  });

  it('is a metric on 64-bit hashes (property)', () => {
    fc.assert(
      fc.property(hex64, hex64, hex64, (a, b, c) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, b)).toBeLessThanOrEqual(64);
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(hammingDistance(a, b) + hammingDistance(b, c));
        expect(hammingDistance(phashToBigInt(a), b)).toBe(hammingDistance(a, b));
      }),
    );
  });
});

describe('phashFromGreyscale32', () => {
  it('returns 16 lowercase hex chars', () => {
    const gradient = Uint8Array.from({ length: 1024 }, (_, i) => (i % 32) * 8);
    expect(phashFromGreyscale32(gradient)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ignores global brightness and contrast (DCT + median threshold)', () => {
    const base = Uint8Array.from({ length: 1024 }, (_, i) => 40 + ((i * 37) % 101) + (i >> 5));
    const brighter = base.map((v) => Math.min(255, Math.round(v * 1.2 + 10)));
    expect(hammingDistance(phashFromGreyscale32(base), phashFromGreyscale32(brighter))).toBe(0);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => phashFromGreyscale32(new Uint8Array(10))).toThrow(RangeError);
  });
});

describe('perceptualHash on real pictures', () => {
  it(`near-duplicate pair ≤ ${NEAR_DUPLICATE_MAX_DISTANCE}, different picture > ${NEAR_DUPLICATE_MAX_DISTANCE}`, async () => {
    const a = await perceptualHash(await readFixture('near-dup-a.jpg'));
    const b = await perceptualHash(await readFixture('near-dup-b.jpg'));
    const other = await perceptualHash(await readFixture('different.jpg'));
    const near = hammingDistance(a, b);
    const far = hammingDistance(a, other);
    expect(near).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE);
    expect(far).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE);
    expect(isNearDuplicate(a, b)).toBe(true);
    expect(isNearDuplicate(a, other)).toBe(false);
    // A wide margin, not a lucky threshold: different scenes sit near 32 (random bits).
    expect(far).toBeGreaterThanOrEqual(20);
  });

  it('applies EXIF orientation first, so a photo and its rotated twin hash alike', async () => {
    const original = await readFixture('exif-gps-orient6.jpg');
    // The same picture with the rotation baked into the pixels and no orientation tag.
    const baked = await sharp(original).autoOrient().jpeg({ quality: 90 }).toBuffer();
    expect((await sharp(baked).metadata()).orientation ?? 1).toBe(1);
    expect(hammingDistance(await perceptualHash(original), await perceptualHash(baked))).toBeLessThanOrEqual(2);
    // ...while the stored (unrotated) pixels, re-encoded without the tag, look like another picture.
    const sideways = await sharp(original).jpeg().toBuffer();
    expect((await sharp(sideways).metadata()).width).toBe(480);
    expect(hammingDistance(await perceptualHash(original), await perceptualHash(sideways))).toBeGreaterThan(
      NEAR_DUPLICATE_MAX_DISTANCE,
    );
  });

  it('flattens transparency instead of failing on PNG alpha', async () => {
    expect(await perceptualHash(await readFixture('plain.png'))).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('band lookup (the near-duplicate index)', () => {
  it('cuts the hash into four 16-bit bands, most significant first', () => {
    expect(phashBands('0001000200030004')).toEqual([1, 2, 3, 4]);
    expect(phashBands('ffff00000000ffff')).toEqual([0xffff, 0, 0, 0xffff]);
    // Stored as a signed bigint; the bands come from the same bits.
    expect(phashBands(phashToSigned('ffff00000000ffff'))).toEqual([0xffff, 0, 0, 0xffff]);
  });

  it('lists every 16-bit value within radius 2 exactly once (1 + 16 + 120)', () => {
    const n = bandNeighbours(0xa5a5);
    expect(n).toHaveLength(137);
    expect(new Set(n).size).toBe(137);
    for (const v of n) expect(hammingDistance(BigInt(v), BigInt(0xa5a5))).toBeLessThanOrEqual(2);
    expect(BAND_SEARCH_RADIUS).toBe(2);
  });

  it(`finds every hash within ${NEAR_DUPLICATE_MAX_DISTANCE} bits through at least one band (pigeonhole)`, () => {
    const flips = fc.uniqueArray(fc.integer({ min: 0, max: 63 }), {
      minLength: 0,
      maxLength: NEAR_DUPLICATE_MAX_DISTANCE,
    });
    fc.assert(
      fc.property(hex64, flips, (h, bits) => {
        let other = phashToBigInt(h);
        for (const b of bits) other ^= 1n << BigInt(b);
        const mine = phashBands(h);
        const theirs = phashBands(other);
        // What the SQL does: theirs[i] = any(bandNeighbours(mine[i])) for some band i.
        return mine.some((band, i) => bandNeighbours(band).includes(theirs[i]!));
      }),
      { numRuns: 2000 },
    );
  });

  it('misses hashes that are far apart in every band (the lookup is selective)', () => {
    // 3 flipped bits in each band: 12 in all, beyond the threshold, and no band within 2.
    let other = phashToBigInt('0123456789abcdef');
    for (const b of [0, 1, 2, 16, 17, 18, 32, 33, 34, 48, 49, 50]) other ^= 1n << BigInt(b);
    const mine = phashBands('0123456789abcdef');
    const theirs = phashBands(other);
    expect(mine.some((band, i) => bandNeighbours(band).includes(theirs[i]!))).toBe(false);
  });
});
