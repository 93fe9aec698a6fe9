// An S3-compatible server (s3rver) on loopback for the tests, started and stopped by the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { createS3BlobStore, type S3BlobStore, type S3BlobStoreConfig } from '@hoctap/server/storage/index.ts';

export interface TestS3 {
  config: S3BlobStoreConfig;
  /** A store on the test bucket, under its own prefix so suites do not see each other's keys. */
  store(prefix?: string): S3BlobStore;
  close(): Promise<void>;
}

export async function startS3(bucket = 'hoctap-test'): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'hoctap-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  const config: S3BlobStoreConfig = {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    // s3rver's fixed development credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    prefix: '',
  };
  return {
    config,
    store: (prefix = '') => createS3BlobStore({ ...config, prefix }),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
