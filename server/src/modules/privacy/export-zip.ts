import { PassThrough, type Readable } from 'node:stream';
import archiver from 'archiver';
import type { BlobStore } from '../../storage/index.ts';

/**
 * `data.json` and the caller's photos as a ZIP, streamed one photo at a time so a household with
 * many photos never holds them all in memory. Photos are stored, not deflated (JPEG is compressed).
 */
export function exportZip(
  blobs: Pick<BlobStore, 'get'>,
  json: unknown,
  photos: { path: string; imageKey: string; at: Date }[],
): Readable {
  const archive = archiver('zip', { store: true });
  const out = new PassThrough();
  archive.on('error', (err) => out.destroy(err));
  archive.pipe(out);
  void (async () => {
    try {
      archive.append(JSON.stringify(json, null, 2), { name: 'data.json' });
      for (const p of photos) {
        if (out.destroyed) return;
        archive.append(await blobs.get(p.imageKey), { name: p.path, date: p.at });
      }
      await archive.finalize();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}
