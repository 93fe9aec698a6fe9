/**
 * Re-encode an untrusted image into the only bytes we ever store or serve.
 *
 * Why re-encode at all: decoding to pixels and encoding a fresh JPEG "destroys any kind of
 * malicious content" (OWASP File Upload Cheat Sheet): a JPEG+HTML polyglot loses its trailer, and
 * ALL metadata (EXIF GPS, maker notes, XMP, ICC, embedded thumbnails) is dropped, because the
 * encoder writes only pixels: sharp keeps no metadata unless asked, and nothing here ever asks
 * (no .withMetadata()/.keepExif()/.keepIccProfile(); ASVS 14.2.8). It also normalises size and format
 * so the cheap phones of verifiers download ~100 KB instead of 4 MB.
 *
 * Safety limits:
 * - `limitInputPixels` (checked by libvips from the header, before decoding) rejects
 *   decompression bombs / pixel floods: a 672 KB PNG can claim 15000×15000 = 900 MB of pixels.
 *   We also pre-check `metadata()` so the refusal does not depend on the decoder's error text.
 * - `failOn: 'warning'`: a truncated or corrupt file is refused instead of being stored with a grey
 *   half (a half-uploaded photo must be re-sent, not silently accepted as evidence).
 *
 * Two pipelines: the original is decoded once (with shrink-on-load) and encoded to the stored
 * image; the thumbnail and the perceptual hash are derived from that stored image.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { evidenceErrors } from './errors.ts';
import { PHASH_INPUT_SIZE, phashFromGreyscale32 } from './perceptual-hash.ts';
import type { AcceptedMime } from './sniff.ts';

/** 40 MP: above any phone camera in use (the largest common sensors are 48–50 MP but bin to 12). */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000;
export const DEFAULT_MAX_SIDE = 1600;
export const DEFAULT_THUMB_SIDE = 320;
export const DEFAULT_JPEG_QUALITY = 80;
export const DEFAULT_THUMB_QUALITY = 75;

export interface ReencodeOptions {
  maxInputPixels?: number;
  maxSide?: number;
  thumbSide?: number;
  quality?: number;
}

export interface Reencoded {
  /** JPEG, ≤ maxSide on its longest side, orientation baked in, no metadata. */
  image: Buffer;
  width: number;
  height: number;
  /** JPEG, ≤ thumbSide on its longest side, no metadata. */
  thumbnail: Buffer;
  thumbnailWidth: number;
  thumbnailHeight: number;
  /** 16 hex chars, see perceptual-hash.ts. */
  phash: string;
  /** Dimensions of the original as displayed (after applying EXIF orientation). */
  sourceWidth: number;
  sourceHeight: number;
}

export const SHARP_FORMAT: Record<AcceptedMime, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export async function reencodeImage(
  original: Buffer,
  mime: AcceptedMime,
  options: ReencodeOptions = {},
): Promise<Reencoded> {
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE;
  const thumbSide = options.thumbSide ?? DEFAULT_THUMB_SIDE;
  const quality = options.quality ?? DEFAULT_JPEG_QUALITY;
  const input = { limitInputPixels: maxInputPixels, failOn: 'warning' as const };

  // 1. Header only (no pixel decode): format cross-check and pixel budget.
  let meta: Metadata;
  try {
    meta = await sharp(original, input).metadata();
  } catch (err) {
    throw classifySharpError(err);
  }
  // file-type and libvips must agree; if they don't, someone crafted the header.
  if (meta.format !== SHARP_FORMAT[mime]) throw evidenceErrors.corrupt(new Error(`format ${meta.format} ≠ ${mime}`));
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw evidenceErrors.corrupt(new Error('no dimensions'));
  if (w * h > maxInputPixels) throw evidenceErrors.pixelLimit(new Error(`${w}×${h} px`));

  // 2. The stored image in one libvips pipeline: decode, orient, shrink, flatten, sRGB, encode.
  // Fused, because handing 1600×1200 raw pixels (5,8 MB) to JavaScript and back cost ~7 ms of
  // CPU a photo more, and the garbage collection and page faults of those buffers more again.
  // libjpeg-turbo's default encoder, not mozjpeg: mozjpeg's trellis quantisation cost ~208 ms of
  // CPU per 1600 px photo against ~23 ms here, for ~10 % fewer bytes — at a burst of uploads
  // that is the difference between keeping up and a growing backlog. No Huffman-table
  // optimisation (sharp's default is on): its extra pass over the coefficients cost ~9 ms of the
  // ~31 ms a 1600×1200 photo takes here, for 1–2 % fewer bytes on camera photos (docs/architecture.md §7.2).
  let image: Buffer;
  let info: OutputInfo;
  try {
    ({ data: image, info } = await sharp(original, input)
      .autoOrient()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality, mozjpeg: false, optimiseCoding: false })
      .toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw classifySharpError(err);
  }

  // 3. The thumbnail and the hash come from the image just encoded (ours: oriented, sRGB, no
  // metadata), decoded with shrink-on-load into one small buffer; the untrusted original is not
  // decoded a second time. Raw input has no metadata to carry over, and no
  // .withMetadata()/.keepExif() is ever called, so the outputs are bare JPEG streams.
  const small = await sharp(image)
    .resize({ width: thumbSide, height: thumbSide, fit: 'inside', withoutEnlargement: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const smallRaw = { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } };
  const thumbnail = await sharp(small.data, smallRaw)
    .jpeg({ quality: DEFAULT_THUMB_QUALITY, mozjpeg: false, optimiseCoding: false })
    .toBuffer();
  const grey = await sharp(small.data, smallRaw)
    .greyscale()
    .resize(PHASH_INPUT_SIZE, PHASH_INPUT_SIZE, { fit: 'fill', kernel: 'lanczos3' })
    .raw({ depth: 'uchar' })
    .toBuffer();

  // Orientations 5–8 swap the axes.
  const swapped = (meta.orientation ?? 1) >= 5;
  return {
    image,
    width: info.width,
    height: info.height,
    thumbnail,
    thumbnailWidth: small.info.width,
    thumbnailHeight: small.info.height,
    phash: phashFromGreyscale32(grey),
    sourceWidth: swapped ? h : w,
    sourceHeight: swapped ? w : h,
  };
}

/** libvips reports the pixel limit by text; everything else a decoder throws means "broken file". */
export function classifySharpError(err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) return evidenceErrors.pixelLimit(err);
  return evidenceErrors.corrupt(err);
}
