// Paths and helpers shared by the evidence tests (not a test file itself).
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHOTOS_DIR } from '../../fixtures/make-photos.ts';

export type PhotoFixture =
  | 'exif-gps-orient6.jpg'
  | 'plain.png'
  | 'plain.webp'
  | 'iphone.heic'
  | 'polyglot.jpg'
  | 'truncated.jpg'
  | 'near-dup-a.jpg'
  | 'near-dup-b.jpg'
  | 'different.jpg'
  | 'not-an-image.jpg'
  | 'pixel-bomb.png';

export function fixturePath(name: PhotoFixture): string {
  return join(PHOTOS_DIR, name);
}

export function readFixture(name: PhotoFixture): Promise<Buffer> {
  return readFile(fixturePath(name));
}

/** A private scratch dir; processEvidence works on temp files the route owns, so tests copy. */
export async function scratchDir(prefix = 'hoctap-evidence-'): Promise<{
  dir: string;
  copy: (name: PhotoFixture) => Promise<string>;
  write: (name: string, bytes: Uint8Array) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let n = 0;
  return {
    dir,
    copy: async (name) => {
      const p = join(dir, `${n++}-${name}.upload`);
      await copyFile(fixturePath(name), p);
      return p;
    },
    write: async (name, bytes) => {
      const p = join(dir, `${n++}-${name}`);
      await writeFile(p, bytes);
      return p;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** JPEG markers: every output must start with SOI and END with EOI (nothing smuggled after). */
export function endsWithEoi(buf: Buffer): boolean {
  return buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf.at(-2) === 0xff && buf.at(-1) === 0xd9;
}
