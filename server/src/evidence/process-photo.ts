/**
 * The expensive half of the photo pipeline, run in a worker thread (photo-worker.ts): original
 * bytes in, storable derivatives and hints out.
 *
 * The original is decoded once and re-encoded (no metadata survives, see reencode.ts); the hints
 * (capture time, whether GPS was present) are read from it before. GPS coordinates never leave
 * this function: only `hasLocation` does (the consent text promises the location is removed).
 */
import { readExifHints } from './exif-hints.ts';
import { reencodeImage, type ReencodeOptions } from './reencode.ts';
import type { AcceptedMime } from './sniff.ts';

export interface ProcessPhotoOptions extends ReencodeOptions {
  /** For the "capture time is not in the future" plausibility check. */
  now?: Date;
}

export interface ProcessedPhoto {
  /** Stored image dimensions (orientation applied, ≤ 1600 px). */
  width: number;
  height: number;
  /** Original dimensions as displayed. */
  sourceWidth: number;
  sourceHeight: number;
  /** EXIF capture time (hint, forgeable). */
  capturedAt?: Date;
  capturedAtOffsetAssumed?: boolean;
  /** The original carried GPS coordinates (which are dropped here). */
  hasLocation: boolean;
  exifPresent: boolean;
  /** 64-bit perceptual hash, 16 hex chars (see perceptual-hash.ts). */
  phash: string;
  /** Re-encoded JPEG to store and serve (no metadata, nothing after EOI). */
  image: Buffer;
  /** ~320 px JPEG thumbnail. */
  thumbnail: Buffer;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

export async function processPhoto(
  original: Buffer,
  mime: AcceptedMime,
  options: ProcessPhotoOptions = {},
): Promise<ProcessedPhoto> {
  const hints = await readExifHints(original, options.now);
  const out = await reencodeImage(original, mime, options);
  return {
    width: out.width,
    height: out.height,
    sourceWidth: out.sourceWidth,
    sourceHeight: out.sourceHeight,
    ...(hints.capturedAt && {
      capturedAt: hints.capturedAt,
      capturedAtOffsetAssumed: hints.capturedAtOffsetAssumed ?? false,
    }),
    hasLocation: hints.gps !== undefined,
    exifPresent: hints.exifPresent,
    phash: out.phash,
    image: out.image,
    thumbnail: out.thumbnail,
    thumbnailWidth: out.thumbnailWidth,
    thumbnailHeight: out.thumbnailHeight,
  };
}
