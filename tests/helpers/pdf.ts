import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Text of every page, NFC-normalised (the PDF stores glyphs; extraction maps them back). */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str : ''))
        .join(' ')
        .normalize('NFC'),
    );
  }
  await doc.destroy();
  return pages;
}
