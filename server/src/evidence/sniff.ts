/**
 * Decide what an upload really is from its magic bytes.
 *
 * The client's `Content-Type` and filename are ignored on purpose: both are chosen by the sender
 * (a PHP or HTML payload declared as image/jpeg is the classic bypass). file-type reads only the
 * first few KB, so this is cheap enough to run before the upload waits for a processing slot.
 * Magic bytes are one layer only; the real neutraliser is the re-encode (reencode.ts).
 */
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { evidenceErrors } from './errors.ts';

export type AcceptedMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** The formats the prebuilt sharp can decode and that phones/Zalo actually send. */
export const ACCEPTED_MIMES: ReadonlySet<string> = new Set<AcceptedMime>(['image/jpeg', 'image/png', 'image/webp']);

/**
 * HEIF family (iPhone default camera format, also AVIF). Named apart so the household gets a
 * message that says how to fix it rather than a generic "wrong file".
 */
const HEIF_MIMES: ReadonlySet<string> = new Set([
  'image/heic',
  'image/heic-sequence',
  'image/heif',
  'image/heif-sequence',
  'image/avif',
]);

/** Returns the accepted mime or throws EvidenceError UNSUPPORTED_HEIC / UNSUPPORTED_TYPE. */
export async function sniffImage(input: string | Uint8Array): Promise<AcceptedMime> {
  const type = typeof input === 'string' ? await fileTypeFromFile(input) : await fileTypeFromBuffer(input);
  return classifyMime(type?.mime);
}

export function classifyMime(mime: string | undefined): AcceptedMime {
  if (mime !== undefined && ACCEPTED_MIMES.has(mime)) return mime as AcceptedMime;
  if (mime !== undefined && HEIF_MIMES.has(mime)) throw evidenceErrors.unsupportedHeic();
  throw evidenceErrors.unsupportedType();
}
