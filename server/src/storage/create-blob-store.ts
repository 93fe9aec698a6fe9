import type { Config } from '../config.ts';
import type { BlobStore } from './blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

/** The store BLOB_STORE names: the data directory by default, S3-compatible storage for a province. */
export function createBlobStore(config: Config['blobStore']): BlobStore {
  return config.kind === 's3' ? createS3BlobStore(config) : new FsBlobStore(config.root);
}
