import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExifApp1, minimalHeic, PHOTOS_DIR, pngBomb } from '../../fixtures/make-photos.ts';
import { readFixture } from './photo-fixtures.ts';

describe('photo fixtures', () => {
  it('are all present and small (< 200 KB each, < 400 KB in total)', async () => {
    const names = (await readdir(PHOTOS_DIR)).filter((n) => n !== 'README.md');
    expect(names.sort()).toEqual(
      [
        'different.jpg',
        'exif-gps-orient6.jpg',
        'iphone.heic',
        'near-dup-a.jpg',
        'near-dup-b.jpg',
        'not-an-image.jpg',
        'pixel-bomb.png',
        'plain.png',
        'plain.webp',
        'polyglot.jpg',
        'truncated.jpg',
      ].sort(),
    );
    let total = 0;
    for (const n of names) {
      const { size } = await stat(join(PHOTOS_DIR, n));
      expect(size, n).toBeLessThan(200 * 1024);
      total += size;
    }
    expect(total).toBeLessThan(400 * 1024);
  });

  it('hand-built files match their generator byte for byte', async () => {
    expect(await readFixture('iphone.heic')).toEqual(minimalHeic());
    expect(await readFixture('pixel-bomb.png')).toEqual(pngBomb(15000));
  });

  it('the EXIF fixture carries exactly the generated APP1 segment after SOI', async () => {
    const jpeg = await readFixture('exif-gps-orient6.jpg');
    const app1 = buildExifApp1({
      orientation: 6,
      dateTimeOriginal: '2025:10:12 08:30:15',
      offsetTimeOriginal: '+07:00',
      gps: { latitude: 21.0285, longitude: 105.8542 },
    });
    expect(jpeg.subarray(2, 2 + app1.length)).toEqual(app1);
  });
});
