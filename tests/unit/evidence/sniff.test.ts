import { describe, expect, it } from 'vitest';
import { EvidenceError } from '@hoctap/server/evidence/errors.ts';
import { classifyMime, sniffImage } from '@hoctap/server/evidence/sniff.ts';
import { fixturePath, readFixture } from './photo-fixtures.ts';

async function sniffError(input: string | Uint8Array): Promise<EvidenceError> {
  const err = await sniffImage(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EvidenceError);
  return err as EvidenceError;
}

describe('sniffImage (magic bytes, never the client mimetype)', () => {
  it.each([
    ['exif-gps-orient6.jpg', 'image/jpeg'],
    ['plain.png', 'image/png'],
    ['plain.webp', 'image/webp'],
    // Sniffing is about the first bytes: a polyglot IS a JPEG here; re-encoding neutralises it.
    ['polyglot.jpg', 'image/jpeg'],
  ] as const)('accepts %s as %s (from a file and from a buffer)', async (name, mime) => {
    expect(await sniffImage(fixturePath(name))).toBe(mime);
    expect(await sniffImage(await readFixture(name))).toBe(mime);
  });

  it('refuses HEIC with 415 and a message that says what to do', async () => {
    const err = await sniffError(fixturePath('iphone.heic'));
    expect(err.code).toBe('UNSUPPORTED_HEIC');
    expect(err.statusCode).toBe(415);
    expect(err.message).toBe(
      'Ảnh định dạng HEIC chưa được hỗ trợ. Vui lòng chụp lại bằng camera trong Zalo hoặc chọn ảnh JPEG/PNG.',
    );
  });

  it('refuses a text file named .jpg (the extension is ignored)', async () => {
    const err = await sniffError(fixturePath('not-an-image.jpg'));
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(err.statusCode).toBe(415);
    expect(err.message).toMatch(/JPEG, PNG hoặc WebP/);
  });

  // docs/security.md §4: PHP, HTML, SVG, PDF, ZIP — and GIF/BMP, which are images but not accepted.
  it.each([
    ['php', Buffer.from('<?php system($_GET["c"]); ?>')],
    ['html', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
    ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')],
    ['pdf', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')],
    ['zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, ...new Array<number>(40).fill(0)])],
    ['gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['empty', Buffer.alloc(0)],
  ])('refuses %s content with UNSUPPORTED_TYPE', async (_label, bytes) => {
    const err = await sniffError(bytes);
    expect(err.code).toBe('UNSUPPORTED_TYPE');
  });

  it('classifies AVIF/HEIF as the HEIC family', () => {
    expect(() => classifyMime('image/avif')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_HEIC' }));
    expect(() => classifyMime('image/heif')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_HEIC' }));
    expect(() => classifyMime(undefined)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_TYPE' }));
  });
});
