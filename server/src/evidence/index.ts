// Public surface of the photo evidence pipeline (routes and services import from here).
export { EvidenceError, EVIDENCE_STATUS, evidenceErrors, isEvidenceError, type EvidenceErrorCode } from './errors.ts';
export { sniffImage, classifyMime, ACCEPTED_MIMES, type AcceptedMime } from './sniff.ts';
export { readExifHints, parseExifDate, coarsenGps, type ExifHints, type GpsPoint } from './exif-hints.ts';
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
  phashToSigned,
  phashBands,
  bandNeighbours,
  BAND_SEARCH_RADIUS,
  PHASH_BANDS,
  NEAR_DUPLICATE_MAX_DISTANCE,
} from './perceptual-hash.ts';
export { streamToTempFile, type TempUpload, type StreamToTempFileOptions } from './temp-upload.ts';
export { inspectUpload, DEFAULT_MAX_UPLOAD_BYTES, type InspectedUpload } from './inspect-upload.ts';
export { processPhoto, type ProcessedPhoto, type ProcessPhotoOptions } from './process-photo.ts';
export { PhotoWorkerPool, WorkerCrashedError, PoolFullError, type PhotoJobResult } from './worker-pool.ts';
