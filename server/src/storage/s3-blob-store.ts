/**
 * S3-compatible BlobStore (AWS S3, MinIO, Ceph RGW, cloud buckets), for a province running several
 * API processes: every process sees the same photos, and none is kept on an API host's disk.
 *
 * - Streams in and out: a local file is sent as a read stream with its length, a read returns the
 *   response body stream; no photo is ever held whole in memory here.
 * - Integrity checked by the storage server: every PUT carries Content-MD5 (and the SHA-256
 *   checksum header S3 and MinIO verify), computed here from the bytes, with the exact
 *   Content-Length; a body damaged or cut on the way is refused, never stored.
 * - Reads stay proxied through the API's authorised routes (no public bucket, no presigned URL
 *   that would outlive a change of scope).
 * - A PUT is atomic on S3 (an object is visible whole or not at all), which is what the
 *   filesystem store gets from rename; "blob first, then row" (blob-store.ts) holds as is.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { assertValidBlobKey, BlobNotFoundError, type BlobInfo, type BlobStore, type PutResult } from './blob-store.ts';

export interface S3BlobStoreConfig {
  /** e.g. http://127.0.0.1:9000 for MinIO; unset for AWS S3. */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** MinIO and most self-hosted servers need path-style URLs (http://host/bucket/key). */
  forcePathStyle: boolean;
  /** Prepended to every key (several deployments sharing one bucket). */
  prefix: string;
}

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix = '',
  ) {}

  async adopt(key: string, path: string): Promise<PutResult> {
    const r = await this.put(key, path);
    await rm(path, { force: true });
    return r;
  }

  async put(key: string, source: string | Buffer): Promise<PutResult> {
    const objectKey = this.objectKey(key);
    const existing = await this.stat(key);
    if (existing) {
      // Content-addressed: same key ⇒ same bytes. Refresh the age like the filesystem store does,
      // so the sweeper's grace period starts again for a blob about to get its row.
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          CopySource: `${this.bucket}/${encodeURIComponent(objectKey).replaceAll('%2F', '/')}`,
          MetadataDirective: 'REPLACE',
          Metadata: { refreshed: new Date().toISOString() },
          ContentType: 'application/octet-stream',
        }),
      );
      return { created: false, size: existing.size };
    }
    const digest = typeof source === 'string' ? await digestFile(source) : digestBuffer(source);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: typeof source === 'string' ? createReadStream(source) : source,
        ContentLength: digest.size,
        ContentMD5: digest.md5,
        ChecksumSHA256: digest.sha256,
        ContentType: 'application/octet-stream',
      }),
    );
    return { created: true, size: digest.size };
  }

  async get(key: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!r.Body) throw new BlobNotFoundError(key);
      return r.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: r.ContentLength ?? 0, lastModified: r.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<boolean> {
    // S3 answers 204 whether or not the object existed; the interface says which.
    if (!(await this.exists(key))) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    return true;
  }

  async *list(prefix = ''): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private objectKey(key: string): string {
    assertValidBlobKey(key);
    return this.prefix + key;
  }
}

export function createS3BlobStore(config: S3BlobStoreConfig): S3BlobStore {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // We send our own Content-MD5 and SHA-256; the SDK's default extra CRC (aws-chunked
    // trailers) is not understood by every S3-compatible server.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return new S3BlobStore(client, config.bucket, config.prefix);
}

interface Digest {
  size: number;
  /** base64, as the Content-MD5 and x-amz-checksum-sha256 headers want them. */
  md5: string;
  sha256: string;
}

function digestBuffer(data: Buffer): Digest {
  return {
    size: data.length,
    md5: createHash('md5').update(data).digest('base64'),
    sha256: createHash('sha256').update(data).digest('base64'),
  };
}

async function digestFile(path: string): Promise<Digest> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    size += b.length;
    md5.update(b);
    sha.update(b);
  }
  return { size, md5: md5.digest('base64'), sha256: sha.digest('base64') };
}

function isNotFound(err: unknown): boolean {
  if (err instanceof S3ServiceException) {
    return err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound';
  }
  return false;
}
