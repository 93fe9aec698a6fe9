// Public surface of blob storage.
export {
  BlobNotFoundError,
  InvalidBlobKeyError,
  assertValidBlobKey,
  evidenceBlobKey,
  parseEvidenceBlobKey,
  type BlobInfo,
  type BlobStore,
  type EvidenceVariant,
  type PutResult,
} from './blob-store.ts';
export { FsBlobStore, createFsBlobStore } from './fs-blob-store.ts';
export { sweepUnreferenced, DEFAULT_SWEEP_GRACE_MS, type SweepOptions, type SweepResult } from './sweep.ts';
export { cleanTempDir } from './temp-dir.ts';
export { S3BlobStore, createS3BlobStore, type S3BlobStoreConfig } from './s3-blob-store.ts';
export { createBlobStore } from './create-blob-store.ts';
