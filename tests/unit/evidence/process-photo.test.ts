import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceError } from '@hoctap/server/evidence/errors.ts';
import { readExifHints } from '@hoctap/server/evidence/exif-hints.ts';
import { inspectUpload } from '@hoctap/server/evidence/inspect-upload.ts';
import { hammingDistance, NEAR_DUPLICATE_MAX_DISTANCE } from '@hoctap/server/evidence/perceptual-hash.ts';
import { processPhoto, type ProcessedPhoto } from '@hoctap/server/evidence/process-photo.ts';
import { sniffImage } from '@hoctap/server/evidence/sniff.ts';
import { HEAD_BYTES } from '@hoctap/server/evidence/temp-upload.ts';
import { EXIF_FIXTURE, sceneJpeg } from '../../fixtures/make-photos.ts';
import { endsWithEoi, readFixture, scratchDir, type PhotoFixture } from './photo-fixtures.ts';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
const NOW = new Date('2025-11-01T00:00:00Z');

beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => {
  await scratch.cleanup();
});

/**
 * Inspects the file as the upload path does, from the head its copy kept in memory, and checks
 * that reading the file alone gives exactly the same answer or the same refusal.
 */
async function inspectBothWays(path: string, options: { maxBytes?: number; maxInputPixels?: number } = {}) {
  const bytes = await readFile(path);
  const known = { bytes: bytes.length, head: bytes.subarray(0, HEAD_BYTES) };
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (value) => ({ value }),
      (e: unknown) => ({ error: e instanceof EvidenceError ? [e.code, e.statusCode, e.message] : String(e) }),
    );
  const [fromFile, fromHead] = await Promise.all([
    outcome(inspectUpload(path, options)),
    outcome(inspectUpload(path, { ...options, known })),
  ]);
  expect(fromHead).toEqual(fromFile);
  return inspectUpload(path, { ...options, known });
}

/** What the upload path and the worker do in turn: inspect the upload, then process its bytes. */
async function processFile(path: string, options: { maxBytes?: number; maxInputPixels?: number } = {}) {
  const { mime } = await inspectBothWays(path, options);
  return processPhoto(await readFile(path), mime, {
    now: NOW,
    ...(options.maxInputPixels ? { maxInputPixels: options.maxInputPixels } : {}),
  });
}

async function processFixture(name: PhotoFixture): Promise<ProcessedPhoto> {
  return processFile(await scratch.copy(name));
}

async function failure(p: Promise<unknown>): Promise<EvidenceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EvidenceError);
  return err as EvidenceError;
}

/** Every marker segment of a JPEG up to SOS (where the metadata would be). */
function jpegMarkers(buf: Buffer): number[] {
  const markers: number[] = [];
  let i = 2;
  while (i + 4 <= buf.length && buf[i] === 0xff) {
    const marker = buf[i + 1] ?? 0;
    markers.push(marker);
    if (marker === 0xda) break; // SOS: entropy-coded data follows
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return markers;
}

describe('processPhoto: the EXIF + GPS + orientation 6 photo', () => {
  let out: ProcessedPhoto;
  let original: Buffer;
  beforeAll(async () => {
    original = await readFixture('exif-gps-orient6.jpg');
    out = await processFixture('exif-gps-orient6.jpg');
  });

  it('returns hints read from the ORIGINAL; the coordinates never leave processing', () => {
    expect(out.exifPresent).toBe(true);
    expect(out.capturedAt?.toISOString()).toBe(EXIF_FIXTURE.capturedAtIso);
    expect(out.capturedAtOffsetAssumed).toBe(false);
    expect(out.hasLocation).toBe(true);
    expect(JSON.stringify(out)).not.toContain(String(EXIF_FIXTURE.latitude).slice(0, 6));
    expect(Object.keys(out)).not.toContain('gps');
  });

  it('applies the orientation: stored 480×360 landscape becomes 360×480 portrait', async () => {
    expect([out.sourceWidth, out.sourceHeight]).toEqual([EXIF_FIXTURE.storedHeight, EXIF_FIXTURE.storedWidth]);
    expect([out.width, out.height]).toEqual([360, 480]);
    const meta = await sharp(out.image).metadata();
    expect([meta.width, meta.height]).toEqual([360, 480]);
    expect(meta.orientation).toBeUndefined();
    // The red marker at the stored top-left must now be at the top-RIGHT (90° clockwise).
    const { data, info } = await sharp(out.image).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const [r1, g1, b1] = pixel(info.width - 20, 20) as [number, number, number];
    expect(r1).toBeGreaterThan(180);
    expect(g1).toBeLessThan(80);
    expect(b1).toBeLessThan(80);
    const [r2, g2] = pixel(20, 20) as [number, number];
    expect(r2 - g2).toBeLessThan(100); // not red at the top-left any more
  });

  it('strips ALL metadata from the image and the thumbnail (no EXIF, no GPS, no XMP/ICC)', async () => {
    for (const buf of [out.image, out.thumbnail]) {
      const meta = await sharp(buf).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      const hints = await readExifHints(buf); // exifr.gps() + exifr.parse() underneath
      expect(hints).toEqual({ exifPresent: false });
      expect(buf.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
      expect(buf.includes(Buffer.from('HocTap Fixture', 'latin1'))).toBe(false);
      // Only structural JPEG segments before the scan: no APP1 (EXIF/XMP), APP2 (ICC), COM.
      const markers = jpegMarkers(buf);
      expect(markers.filter((m) => m === 0xe1 || m === 0xe2 || m === 0xfe)).toEqual([]);
    }
    // ...whereas the original really had it (the test would be vacuous otherwise).
    expect(jpegMarkers(original)).toContain(0xe1);
  });

  it('produces a JPEG thumbnail of ≤ 320 px', async () => {
    expect(await sniffImage(out.thumbnail)).toBe('image/jpeg');
    expect(Math.max(out.thumbnailWidth, out.thumbnailHeight)).toBe(320);
    expect([out.thumbnailWidth, out.thumbnailHeight]).toEqual([240, 320]);
    expect(endsWithEoi(out.thumbnail)).toBe(true);
  });
});

describe('processPhoto: formats', () => {
  it.each(['plain.png', 'plain.webp', 'near-dup-a.jpg'] as const)('re-encodes %s to a bare JPEG', async (name) => {
    const out = await processFixture(name);
    expect(await sniffImage(out.image)).toBe('image/jpeg');
    expect(endsWithEoi(out.image)).toBe(true);
    expect(out.exifPresent).toBe(false);
    expect(out.capturedAt).toBeUndefined();
    expect(out.hasLocation).toBe(false);
    expect(out.phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports the sniffed type of what was sent, whatever the name says', async () => {
    expect((await inspectUpload(await scratch.copy('plain.png'))).mime).toBe('image/png');
    expect((await inspectUpload(await scratch.copy('plain.webp'))).mime).toBe('image/webp');
  });

  it('flattens PNG transparency onto white', async () => {
    const out = await processFixture('plain.png');
    const { data } = await sharp(out.image).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0)).toBeGreaterThan(240);
  });

  it('does not enlarge small pictures', async () => {
    const out = await processFixture('plain.webp');
    expect([out.width, out.height]).toEqual([320, 240]);
  });
});

describe('processPhoto: hostile and broken input', () => {
  it('neutralises a JPEG+HTML polyglot: nothing after the EOI marker', async () => {
    const original = await readFixture('polyglot.jpg');
    expect(original.includes(Buffer.from('<script'))).toBe(true);
    const out = await processFixture('polyglot.jpg');
    for (const buf of [out.image, out.thumbnail]) {
      expect(endsWithEoi(buf)).toBe(true);
      const text = buf.toString('latin1').toLowerCase();
      expect(text.includes('<html')).toBe(false);
      expect(text.includes('<script')).toBe(false);
    }
  });

  it('refuses HEIC with 415', async () => {
    const err = await failure(processFixture('iphone.heic'));
    expect(err).toMatchObject({ code: 'UNSUPPORTED_HEIC', statusCode: 415 });
  });

  it('refuses a text file named .jpg with 415', async () => {
    const err = await failure(processFixture('not-an-image.jpg'));
    expect(err).toMatchObject({ code: 'UNSUPPORTED_TYPE', statusCode: 415 });
  });

  it('accepts a truncated JPEG at upload (its header is fine) but fails it in processing', async () => {
    const path = await scratch.copy('truncated.jpg');
    await expect(inspectUpload(path)).resolves.toMatchObject({ mime: 'image/jpeg' });
  });

  it('refuses a truncated JPEG with 422 and the "try again" message', async () => {
    const err = await failure(processFixture('truncated.jpg'));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.statusCode).toBe(422);
    expect(err.message).toBe('Ảnh bị lỗi hoặc tải lên chưa hết, vui lòng thử lại.');
    expect(String((err.cause as Error).message)).toMatch(/premature end/i); // for logs only
  });

  it('refuses a JPEG whose body is garbage after a valid header', async () => {
    const good = await readFixture('near-dup-a.jpg');
    const bad = Buffer.from(good);
    bad.fill(0x55, 700, bad.length - 2); // header kept, scan data destroyed
    const err = await failure(processFile(await scratch.write('garbage.jpg', bad)));
    expect(err.code).toBe('CORRUPT_IMAGE');
  });

  it('refuses a decompression bomb (15000×15000 PNG, 27 KB) quickly, before decoding', async () => {
    const rssBefore = process.memoryUsage().rss;
    const err = await failure(processFixture('pixel-bomb.png'));
    expect(err).toMatchObject({ code: 'PIXEL_LIMIT', statusCode: 422 });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('honours a lower maxInputPixels', async () => {
    const path = await scratch.copy('near-dup-a.jpg'); // 640×480 = 307 200 px
    const err = await failure(processFile(path, { maxInputPixels: 300_000 }));
    expect(err.code).toBe('PIXEL_LIMIT');
  });

  it('reads a header longer than the head kept in memory from the file', async () => {
    // Two 64 KB application segments before the frame header: the head ends before the size is known.
    const photo = await sceneJpeg('room', 400, 300);
    const filler = (n: number) => Buffer.concat([Buffer.from([0xff, 0xef, 0xff, 0xff]), Buffer.alloc(0xfffd, n)]);
    const long = Buffer.concat([photo.subarray(0, 2), filler(1), filler(2), photo.subarray(2)]);
    await expect(sharp(long.subarray(0, HEAD_BYTES)).metadata()).rejects.toThrow();
    const path = await scratch.write('long-header.jpg', long);
    await expect(inspectBothWays(path)).resolves.toMatchObject({ mime: 'image/jpeg', width: 400, height: 300 });
  });

  it('refuses an empty file with 400', async () => {
    const err = await failure(processFile(await scratch.write('empty.jpg', Buffer.alloc(0))));
    expect(err).toMatchObject({ code: 'EMPTY_FILE', statusCode: 400 });
  });

  it('refuses a file above maxBytes with 413 (defence in depth behind streamToTempFile)', async () => {
    const path = await scratch.copy('near-dup-a.jpg');
    const err = await failure(processFile(path, { maxBytes: 10_000 }));
    expect(err).toMatchObject({ code: 'TOO_LARGE', statusCode: 413 });
    expect(err.message).toMatch(/tối đa/);
  });
});

describe('processPhoto: duplicates', () => {
  it('gives the same pHash to the same bytes processed twice', async () => {
    const a = await processFixture('near-dup-a.jpg');
    const b = await processFixture('near-dup-a.jpg');
    expect(a.phash).toBe(b.phash);
  });

  it(`flags the recompressed/resized/brightened copy as a near duplicate (≤ ${NEAR_DUPLICATE_MAX_DISTANCE}) but not a different picture`, async () => {
    const a = await processFixture('near-dup-a.jpg');
    const b = await processFixture('near-dup-b.jpg');
    const other = await processFixture('different.jpg');
    expect(hammingDistance(a.phash, b.phash)).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE); // ...but near
    expect(hammingDistance(a.phash, other.phash)).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE);
  });
});

describe('processPhoto: a typical phone photo', () => {
  it('turns a 2400×1800 JPEG into ≤ 1600 px + 320 px thumbnail (timed)', async () => {
    const big = await sceneJpeg('room', 2400, 1800, 90, 21);
    const path = await scratch.write('phone.jpg', big);
    await processFile(path); // warm-up (libvips init, code paths)
    const runs: number[] = [];
    let out!: ProcessedPhoto;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      out = await processFile(path);
      runs.push(performance.now() - t);
    }
    expect([out.width, out.height]).toEqual([1600, 1200]);
    expect([out.thumbnailWidth, out.thumbnailHeight]).toEqual([320, 240]);
    expect(out.image.length).toBeLessThan(big.length);
    const median = [...runs].sort((a, b) => a - b)[1] ?? 0;
    console.log(
      `[figures] 2400×1800 JPEG (${(big.length / 1024).toFixed(0)} KB) → 1600×1200 ${(out.image.length / 1024).toFixed(0)} KB + thumb ${(out.thumbnail.length / 1024).toFixed(0)} KB: median ${median.toFixed(0)} ms (runs ${runs.map((r) => r.toFixed(0)).join(', ')})`,
    );
  }, 600_000);
});
