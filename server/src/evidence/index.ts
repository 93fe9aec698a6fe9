// Public surface of the photo evidence pipeline (routes and services import from here).
export {
  EvidenceError,
  EVIDENCE_STATUS,
  evidenceErrors,
  isEvidenceError,
  type EvidenceErrorCode,
} from './errors.ts';
export { sniffImage, classifyMime, ACCEPTED_MIMES, type AcceptedMime } from './sniff.ts';
export {
  readExifHints,
  parseExifDate,
  coarsenGps,
  type ExifHints,
  type GpsPoint,
} from './exif-hints.ts';
export {
  reencodeImage,
  DEFAULT_MAX_INPUT_PIXELS,
  DEFAULT_MAX_SIDE,
  DEFAULT_THUMB_SIDE,
  type Reencoded,
  type ReencodeOptions,
} from './reencode.ts';
export {
  perceptualHash,
  phashFromGreyscale32,
  hammingDistance,
  isNearDuplicate,
  phashToBigInt,
  NEAR_DUPLICATE_MAX_DISTANCE,
} from './perceptual-hash.ts';
export { createLimiter, LimiterBusyError, type Limiter, type LimiterOptions } from './limiter.ts';
export { streamToTempFile, type TempUpload, type StreamToTempFileOptions } from './temp-upload.ts';
export {
  processEvidence,
  DEFAULT_MAX_UPLOAD_BYTES,
  BUSY_RETRY_AFTER_SECONDS,
  type ProcessEvidenceOptions,
  type ProcessedEvidence,
} from './process-evidence.ts';
