import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import archiver from 'archiver';
import type { BlobStore } from '../../storage/index.ts';
import { csvLine, UTF8_BOM, vnDateTime } from './files.ts';

export interface ZipPhoto {
  path: string;
  imageKey: string;
  evidenceId: string;
  subjectId: string;
  subjectLabel: string;
  subjectName: string;
  groupName: string;
  indicatorCode: string;
  capturedAt: Date | null;
  uploadedAt: Date;
}

const MANIFEST_HEADER = [
  'Tệp',
  'SHA-256',
  'Mã minh chứng',
  'Loại đối tượng',
  'Mã đối tượng',
  'Tên (chủ hộ)',
  'Tổ',
  'Chỉ tiêu',
  'Thời điểm chụp',
  'Thời điểm tải lên',
];

/**
 * A streamed ZIP: photos go in one at a time (one open blob at any moment, whatever the hamlet's
 * size), each hashed while it streams, and manifest.csv goes last with those hashes — so nothing
 * is buffered and the manifest describes exactly the bytes in the archive. JPEGs are stored, not
 * deflated: they do not compress, and storing spares the shared CPU.
 */
export function evidenceZip(blobs: BlobStore, photos: ZipPhoto[], onError: (err: unknown) => void): Readable {
  const archive = archiver('zip', { store: true });
  const out = new PassThrough();
  archive.on('error', (err) => {
    onError(err);
    out.destroy(err);
  });
  archive.pipe(out);

  void (async () => {
    const lines = [UTF8_BOM + csvLine(MANIFEST_HEADER)];
    try {
      for (const p of photos) {
        if (out.destroyed) return; // client went away: stop reading blobs
        const source = await blobs.get(p.imageKey);
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            cb(null, chunk);
          },
        });
        source.on('error', (err) => tap.destroy(err));
        const written = new Promise<void>((resolve, reject) => {
          const onEntry = (e: archiver.EntryData) => {
            if (e.name !== p.path) return;
            archive.off('entry', onEntry);
            resolve();
          };
          archive.on('entry', onEntry);
          tap.on('error', reject);
        });
        archive.append(source.pipe(tap), { name: p.path, date: p.uploadedAt });
        await written;
        lines.push(
          csvLine([
            p.path,
            hash.digest('hex'),
            p.evidenceId,
            p.subjectLabel,
            p.subjectId,
            p.subjectName,
            p.groupName,
            p.indicatorCode,
            vnDateTime(p.capturedAt),
            vnDateTime(p.uploadedAt),
          ]),
        );
      }
      archive.append(Buffer.from(lines.join(''), 'utf8'), { name: 'manifest.csv' });
      await archive.finalize();
    } catch (err) {
      onError(err);
      archive.abort();
      out.destroy(err as Error);
    }
  })();
  return out;
}
