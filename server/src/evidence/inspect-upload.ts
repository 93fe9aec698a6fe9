/**
 * The cheap checks an upload passes on the request path, before it is accepted for processing:
 * size, magic bytes and the image header (format agreement and pixel budget). Reading a header
 * decodes no pixels, so a pixel flood or a file lying about its type is refused at once with a
 * clear message, while the expensive decode/re-encode runs later in the worker pool.
 *
 * What only a full decode can find (a truncated or corrupt scan) fails the photo in processing,
 * with the same Vietnamese message, shown to the household on the photo.
 */
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { evidenceErrors } from './errors.ts';
import { classifySharpError, DEFAULT_MAX_INPUT_PIXELS, SHARP_FORMAT } from './reencode.ts';
import { sniffImage, type AcceptedMime } from './sniff.ts';

/** Matches the multipart `fileSize` the route registers (docs/architecture.md §7.1). */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

export interface InspectedUpload {
  mime: AcceptedMime;
  bytes: number;
  width: number;
  height: number;
}

export interface InspectOptions {
  maxBytes?: number;
  maxInputPixels?: number;
  /**
   * What the upload's copy already knows (temp-upload.ts): its size and its first bytes. The
   * header is then read from memory, and the file only when the header is longer than `head`.
   */
  known?: { bytes: number; head: Buffer };
}

export async function inspectUpload(path: string, options: InspectOptions = {}): Promise<InspectedUpload> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const { known } = options;
  const size = known ? known.bytes : (await stat(path)).size;
  if (size === 0) throw evidenceErrors.emptyFile();
  if (size > maxBytes) throw evidenceErrors.tooLarge(maxBytes);
  const mime = await sniffImage(known ? known.head : path);
  const metadataOf = (input: string | Buffer) => sharp(input, { limitInputPixels: maxInputPixels }).metadata();
  let meta;
  try {
    // A header cut short by the end of `head` fails to parse: the file then decides.
    meta = known ? await metadataOf(known.head).catch(() => metadataOf(path)) : await metadataOf(path);
  } catch (err) {
    throw classifySharpError(err);
  }
  // file-type and libvips must agree; if they don't, someone crafted the header.
  if (meta.format !== SHARP_FORMAT[mime]) throw evidenceErrors.corrupt(new Error(`format ${meta.format} ≠ ${mime}`));
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw evidenceErrors.corrupt(new Error('no dimensions'));
  if (width * height > maxInputPixels) throw evidenceErrors.pixelLimit(new Error(`${width}×${height} px`));
  return { mime, bytes: size, width, height };
}
