import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { coarsenGps, parseExifDate, readExifHints } from '@hoctap/server/evidence/exif-hints.ts';
import { buildExifApp1, EXIF_FIXTURE, insertApp1, sceneJpeg } from '../../fixtures/make-photos.ts';
import { readFixture } from './photo-fixtures.ts';

const NOW = new Date('2025-11-01T00:00:00Z');

async function jpegWithExif(spec: Parameters<typeof buildExifApp1>[0]): Promise<Buffer> {
  return insertApp1(await sceneJpeg('room', 64, 48), buildExifApp1(spec));
}

describe('readExifHints (from the original, as hints)', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it('reads capture time with OffsetTimeOriginal and GPS from the fixture', async () => {
    const hints = await readExifHints(await readFixture('exif-gps-orient6.jpg'), NOW);
    expect(hints.exifPresent).toBe(true);
    expect(hints.capturedAt?.toISOString()).toBe(EXIF_FIXTURE.capturedAtIso);
    expect(hints.capturedAtOffsetAssumed).toBe(false);
    expect(hints.gps?.latitude).toBeCloseTo(EXIF_FIXTURE.latitude, 6);
    expect(hints.gps?.longitude).toBeCloseTo(EXIF_FIXTURE.longitude, 6);
  });

  it('does not depend on the server time zone', async () => {
    const bytes = await readFixture('exif-gps-orient6.jpg');
    process.env.TZ = 'America/New_York';
    const a = await readExifHints(bytes, NOW);
    process.env.TZ = 'Asia/Tokyo';
    const b = await readExifHints(bytes, NOW);
    expect(a.capturedAt?.toISOString()).toBe(EXIF_FIXTURE.capturedAtIso);
    expect(b.capturedAt?.toISOString()).toBe(EXIF_FIXTURE.capturedAtIso);
  });

  it('assumes Asia/Ho_Chi_Minh (+07:00) when there is no offset tag', async () => {
    const hints = await readExifHints(await jpegWithExif({ dateTimeOriginal: '2025:10:12 08:30:15' }), NOW);
    expect(hints.capturedAt?.toISOString()).toBe('2025-10-12T01:30:15.000Z');
    expect(hints.capturedAtOffsetAssumed).toBe(true);
    expect(hints.gps).toBeUndefined();
  });

  it('honours another offset when the phone wrote one', async () => {
    const hints = await readExifHints(
      await jpegWithExif({ dateTimeOriginal: '2025:10:12 08:30:15', offsetTimeOriginal: '-05:00' }),
      NOW,
    );
    expect(hints.capturedAt?.toISOString()).toBe('2025-10-12T13:30:15.000Z');
  });

  it('ignores implausible capture times (placeholder, future, before 2000)', async () => {
    for (const dateTimeOriginal of ['0000:00:00 00:00:00', '2030:01:01 00:00:00', '1999:12:31 23:00:00']) {
      const hints = await readExifHints(await jpegWithExif({ dateTimeOriginal, orientation: 1 }), NOW);
      expect(hints.capturedAt, dateTimeOriginal).toBeUndefined();
      expect(hints.exifPresent).toBe(true);
    }
  });

  it('ignores (0, 0) GPS, which apps write when they have no fix', async () => {
    const hints = await readExifHints(await jpegWithExif({ gps: { latitude: 0, longitude: 0 } }), NOW);
    expect(hints.gps).toBeUndefined();
  });

  it('reads southern/western coordinates with their sign', async () => {
    const hints = await readExifHints(await jpegWithExif({ gps: { latitude: -33.8568, longitude: -70.6483 } }), NOW);
    expect(hints.gps?.latitude).toBeCloseTo(-33.8568, 4);
    expect(hints.gps?.longitude).toBeCloseTo(-70.6483, 4);
  });

  it('returns no hints (and never throws) for files without EXIF or in formats exifr does not parse', async () => {
    for (const name of ['plain.png', 'plain.webp', 'near-dup-a.jpg', 'not-an-image.jpg', 'truncated.jpg'] as const) {
      const hints = await readExifHints(await readFixture(name), NOW);
      expect(hints, name).toEqual({ exifPresent: false });
    }
    expect(await readExifHints(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x02]), NOW)).toEqual({ exifPresent: false });
  });

  it('sees EXIF that sharp itself wrote (cross-check of the hand-built segment)', async () => {
    const jpeg = await sharp(await sceneJpeg('room', 64, 48))
      .withExif({ IFD0: { Make: 'x' }, IFD2: { DateTimeOriginal: '2025:10:12 08:30:15' } })
      .jpeg()
      .toBuffer();
    const hints = await readExifHints(jpeg, NOW);
    expect(hints.capturedAt?.toISOString()).toBe('2025-10-12T01:30:15.000Z');
  });
});

describe('parseExifDate', () => {
  it('parses and converts to UTC', () => {
    expect(parseExifDate('2024:02:29 23:59:59', '+07:00')?.date.toISOString()).toBe('2024-02-29T16:59:59.000Z');
  });
  it('rejects non-dates and roll-overs', () => {
    expect(parseExifDate('2024:02:31 10:00:00', undefined)).toBeUndefined();
    expect(parseExifDate('yesterday', undefined)).toBeUndefined();
    expect(parseExifDate(12345, undefined)).toBeUndefined();
  });
  it('falls back to +07:00 on a malformed offset', () => {
    expect(parseExifDate('2025:01:01 07:00:00', '7h')).toEqual({
      date: new Date('2025-01-01T00:00:00Z'),
      offsetAssumed: true,
    });
  });
});

describe('coarsenGps', () => {
  it('rounds to ~1 km so a stored hint cannot pinpoint a house', () => {
    expect(coarsenGps({ latitude: 21.028499, longitude: 105.854199 })).toEqual({ latitude: 21.03, longitude: 105.85 });
    expect(coarsenGps({ latitude: 21.028499, longitude: 105.854199 }, 1)).toEqual({ latitude: 21, longitude: 105.9 });
  });
});
