import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import sharp from 'sharp';

const run = promisify(execFile);
// jsqr is CommonJS typed as an ES default export: take whichever shape the loader hands over.
const jsQR = (jsQRModule.default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** Renders one PDF page to an image (poppler's pdftoppm) and decodes the QR code on it. */
export async function qrOnPdfPage(pdf: Buffer, page: number, dpi = 150): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'hoctap-qr-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', [
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-png',
      '-singlefile',
      join(dir, 'in.pdf'),
      join(dir, 'page'),
    ]);
    const png = await readFile(join(dir, 'page.png'));
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    return found?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
