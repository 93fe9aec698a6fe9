import { randomUUID } from 'node:crypto';
import { sceneJpeg } from '../../fixtures/make-photos.ts';

/**
 * Phone-like JPEGs of about `targetKb` (sharp-rendered scenes: gradients, texture and noise, so
 * the encoder works as hard as on a real photo), made unique per request by a COM segment with a
 * counter, so no two uploads share a content hash.
 */
export async function photoMaker(targetKb = 320, variants = 16) {
  // Pick the quality that lands nearest the target size for this scene generator.
  let quality = 90;
  for (const q of [92, 90, 88, 85, 82, 78, 74, 70]) {
    quality = q;
    if ((await sceneJpeg('field', 1600, 1200, q, 1)).length <= targetKb * 1024 * 1.05) break;
  }
  const bases: Buffer[] = [];
  for (let i = 0; i < variants; i++) bases.push(await sceneJpeg(i % 2 ? 'room' : 'field', 1600, 1200, quality, i + 1));
  let n = 0;
  const next = () => {
    const base = bases[n % variants]!;
    const nonce = Buffer.from(`hoctap-bench ${n++} ${randomUUID()}`);
    const com = Buffer.alloc(4);
    com.writeUInt16BE(0xfffe, 0);
    com.writeUInt16BE(nonce.length + 2, 2);
    return Buffer.concat([base.subarray(0, 2), com, nonce, base.subarray(2)]);
  };
  const meanKb = bases.reduce((s, b) => s + b.length, 0) / variants / 1024;
  return { next, meanKb, quality };
}

/** One multipart/form-data body with the photo as field "file". */
export function multipart(file: Buffer): { contentType: string; body: Buffer } {
  const boundary = `----hoctapbench${randomUUID()}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="anh.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}
