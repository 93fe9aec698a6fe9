/**
 * The one entry point of the photo pipeline: temp file in, storable derivatives + hints out.
 *
 *   route: streamToTempFile() → 413 if truncated
 *          processEvidence(tmp, { limiter }) → EvidenceError → its statusCode
 *          blobs.put(image), blobs.put(thumbnail)      ← blobs FIRST (see storage/blob-store.ts)
 *          insert rows in a transaction                ← then the DB
 *          finally: rm(tmp)
 *
 * The original bytes are never stored: they carry EXIF (GPS) and possibly a polyglot payload.
 * Only their sha256 is kept, for exact-duplicate detection (libvips output bytes can change
 * between versions, so the derivative's hash would not be stable).
 *
 * The caller owns the temp file and must delete it, whatever happens.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { evidenceErrors, EvidenceError } from './errors.ts';
import { readExifHints, type GpsPoint } from './exif-hints.ts';
import { LimiterBusyError, type Limiter } from './limiter.ts';
import { reencodeImage, type ReencodeOptions } from './reencode.ts';
import { sniffImage, type AcceptedMime } from './sniff.ts';

/** Matches the multipart `fileSize` the route should register (stack.md §3.1). */
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
/** What the route should put in Retry-After when the limiter is full. */
export const BUSY_RETRY_AFTER_SECONDS = 10;

export interface ProcessEvidenceOptions extends ReencodeOptions {
  /** Bounds concurrent image work across the process; share ONE limiter per app. */
  limiter: Limiter;
  /** Defence in depth if a caller skipped streamToTempFile's limit. */
  maxBytes?: number;
  /** Abort while waiting for a slot (request closed). */
  signal?: AbortSignal;
  /** For the "capture time is not in the future" plausibility check. */
  now?: Date;
}

export interface ProcessedEvidence {
  /** sha256 (hex) of the ORIGINAL uploaded bytes: the exact-duplicate key. */
  sha256: string;
  /** Size of the original upload. */
  bytes: number;
  /** Sniffed type of the original (what the household sent). The stored image is always JPEG. */
  mime: AcceptedMime;
  /** Stored image dimensions (orientation applied, ≤ 1600 px). */
  width: number;
  height: number;
  /** Original dimensions as displayed. */
  sourceWidth: number;
  sourceHeight: number;
  /** EXIF capture time (hint, forgeable). */
  capturedAt?: Date;
  capturedAtOffsetAssumed?: boolean;
  /**
   * EXIF GPS of the original — SENSITIVE personal data. Reduce it to a coarse hint (e.g. "inside the
   * commune") only with consent, then drop it; never log it or return it to clients.
   */
  gps?: GpsPoint;
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

export async function processEvidence(
  tempFilePath: string,
  options: ProcessEvidenceOptions,
): Promise<ProcessedEvidence> {
  const { limiter, signal, now } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;

  // Cheap checks first, outside the limiter: junk is refused without waiting for a slot.
  const { size } = await stat(tempFilePath);
  if (size === 0) throw evidenceErrors.emptyFile();
  if (size > maxBytes) throw evidenceErrors.tooLarge(maxBytes);
  const mime = await sniffImage(tempFilePath);

  try {
    return await limiter.run(
      async () => {
        // One read; ≤ maxBytes per slot, so memory is bounded by the limiter too.
        const original = await readFile(tempFilePath);
        const sha256 = createHash('sha256').update(original).digest('hex');
        const hints = await readExifHints(original, now);
        const out = await reencodeImage(original, mime, options);
        return {
          sha256,
          bytes: original.length,
          mime,
          width: out.width,
          height: out.height,
          sourceWidth: out.sourceWidth,
          sourceHeight: out.sourceHeight,
          ...(hints.capturedAt && {
            capturedAt: hints.capturedAt,
            capturedAtOffsetAssumed: hints.capturedAtOffsetAssumed ?? false,
          }),
          ...(hints.gps && { gps: hints.gps }),
          exifPresent: hints.exifPresent,
          phash: out.phash,
          image: out.image,
          thumbnail: out.thumbnail,
          thumbnailWidth: out.thumbnailWidth,
          thumbnailHeight: out.thumbnailHeight,
        };
      },
      signal ? { signal } : {},
    );
  } catch (err) {
    if (err instanceof LimiterBusyError) throw evidenceErrors.busy(BUSY_RETRY_AFTER_SECONDS);
    if (err instanceof EvidenceError) throw err;
    // Anything else (fs error, abort reason) is not the household's fault: let it be a 5xx/abort.
    throw err;
  }
}
