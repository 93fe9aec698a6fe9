import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { TITLE_LABELS, SUBJECT_TYPE_LABELS } from '@hoctap/shared';
import type { SubjectType } from '../../db/schema/index.ts';
import { vnDate } from './files.ts';

/*
 * PDFs with DejaVu Sans from the `dejavu-fonts-ttf` package (a dependency, so a fresh machine has
 * it): pdfkit's built-in Helvetica has no Vietnamese glyphs (ạ ế ờ ữ Đ would print as boxes).
 * pdfkit embeds a subset and a ToUnicode map, so text copied or extracted from the file keeps
 * its diacritics.
 */
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer } | null = null;
/** Read once per process: the two files are ~1.4 MB and every PDF needs them. */
function fontBytes() {
  fonts ??= { regular: readFileSync(join(fontDir, 'DejaVuSans.ttf')), bold: readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')) };
  return fonts;
}

/**
 * Layout is synchronous CPU work; on a shared 2-core box a long list would stall the event loop
 * (and trip under-pressure's 503 for everybody). Building in the background and yielding every
 * few rows/pages keeps the loop responsive, and pdfkit streams finished pages as they are made.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

function build(doc: PDFKit.PDFDocument, body: () => Promise<void>): Readable {
  void body().then(
    () => doc.end(),
    (err: unknown) => (doc as unknown as Readable).destroy(err as Error),
  );
  return doc as unknown as Readable;
}

export interface DecisionInfo {
  number: string;
  decidedOn: string;
  signer: string;
  signerTitle: string;
  subjectType: SubjectType;
  year: number;
  communeName: string;
}

export interface ListItem {
  name: string;
  hamletName: string;
  groupName: string;
  points: number | null;
  certificateNo: string | null;
}

function newDoc(layout: 'portrait' | 'landscape', title: string) {
  const doc = new PDFDocument({ size: 'A4', layout, margin: 50, autoFirstPage: false, info: { Title: title, Creator: 'Học tập suốt đời' } });
  const f = fontBytes();
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  return doc;
}

const upper = (s: string) => s.toLocaleUpperCase('vi');

function stateHeader(doc: PDFKit.PDFDocument, communeName: string, top: number) {
  const w = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  doc.font('bold').fontSize(10);
  doc.text('ỦY BAN NHÂN DÂN', left, top, { width: w * 0.4, align: 'center' });
  doc.text(upper(communeName), left, doc.y, { width: w * 0.4, align: 'center' });
  doc.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + w * 0.4, top, { width: w * 0.6, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', left + w * 0.4, doc.y, { width: w * 0.6, align: 'center' });
  doc.moveDown(1.5);
}

/** The recognition list attached to a decision (danh sách kèm theo quyết định). */
export function decisionListPdf(d: DecisionInfo, items: ListItem[]): Readable {
  const doc = newDoc('portrait', `Danh sách kèm theo Quyết định số ${d.number}`);
  return build(doc, async () => {
    doc.addPage();
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    stateHeader(doc, d.communeName, doc.page.margins.top);
    doc.font('bold').fontSize(13).text('DANH SÁCH', left, doc.y, { width, align: 'center' });
    doc
      .fontSize(11)
      .text(`${SUBJECT_TYPE_LABELS[d.subjectType]} được công nhận danh hiệu “${TITLE_LABELS[d.subjectType]}” năm ${d.year}`, { width, align: 'center' });
    doc
      .font('regular')
      .fontSize(10)
      .text(`(Kèm theo Quyết định số ${d.number} ngày ${vnDate(d.decidedOn)} của ${d.signerTitle})`, { width, align: 'center' });
    doc.moveDown(1);

    const cols = [
      { h: 'STT', w: 0.07, align: 'center' as const },
      { h: 'Tên', w: 0.33, align: 'left' as const },
      { h: 'Ấp/khóm', w: 0.2, align: 'left' as const },
      { h: 'Tổ', w: 0.15, align: 'left' as const },
      { h: 'Điểm', w: 0.08, align: 'center' as const },
      { h: 'Số giấy chứng nhận', w: 0.17, align: 'left' as const },
    ];
    const bottom = () => doc.page.height - doc.page.margins.bottom;
    const drawRow = (cells: string[], font: 'regular' | 'bold') => {
      doc.font(font).fontSize(9.5);
      const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.w * width - 6 }));
      const h = Math.max(...heights) + 6;
      if (doc.y + h > bottom()) {
        doc.addPage();
        doc.y = doc.page.margins.top;
      }
      const y = doc.y;
      let x = left;
      cells.forEach((c, i) => {
        const w = cols[i]!.w * width;
        doc.rect(x, y, w, h).lineWidth(0.5).stroke();
        doc.text(c, x + 3, y + 3, { width: w - 6, align: cols[i]!.align });
        x += w;
      });
      doc.x = left;
      doc.y = y + h;
    };
    drawRow(cols.map((c) => c.h), 'bold');
    for (const [i, it] of items.entries()) {
      drawRow([String(i + 1), it.name, it.hamletName, it.groupName, it.points === null ? '' : String(it.points), it.certificateNo ?? ''], 'regular');
      if (i % 25 === 24) await breathe();
    }
    doc.moveDown(0.5);
    doc.font('regular').fontSize(10).text(`Tổng cộng: ${items.length}`, left, doc.y, { width });
    if (doc.y + 90 > bottom()) {
      doc.addPage();
      doc.y = doc.page.margins.top;
    }
    doc.moveDown(1.5);
    const sx = left + width * 0.5;
    doc.font('bold').text(upper(d.signerTitle), sx, doc.y, { width: width * 0.5, align: 'center' });
    doc.moveDown(3);
    doc.text(d.signer, sx, doc.y, { width: width * 0.5, align: 'center' });
  });
}

export interface CertificateItem {
  name: string;
  hamletName: string;
  certificateNo: string | null;
}

/** One landscape page per recognised subject, all in one file for printing. */
export function certificatesPdf(d: DecisionInfo, items: CertificateItem[]): Readable {
  const doc = newDoc('landscape', `Giấy chứng nhận – Quyết định số ${d.number}`);
  return build(doc, async () => {
    for (const it of items) {
      await breathe();
      doc.addPage();
      const { width: pw, height: ph } = doc.page;
      doc.rect(20, 20, pw - 40, ph - 40).lineWidth(3).stroke('#8B0000');
      doc.rect(28, 28, pw - 56, ph - 56).lineWidth(1).stroke('#8B0000');
      doc.fillColor('black');
      const left = 60;
      const width = pw - 120;
      stateHeader(doc, d.communeName, 50);
      doc.font('bold').fontSize(30).fillColor('#8B0000').text('GIẤY CHỨNG NHẬN', left, 150, { width, align: 'center' });
      doc.fillColor('black').font('regular').fontSize(14).text(`Chủ tịch Ủy ban nhân dân ${d.communeName} chứng nhận`, { width, align: 'center' });
      doc.moveDown(0.6);
      doc.font('bold').fontSize(24).text(it.name, { width, align: 'center' });
      doc.font('regular').fontSize(13).text(it.hamletName ? `${it.hamletName}, ${d.communeName}` : d.communeName, { width, align: 'center' });
      doc.moveDown(0.6);
      doc.fontSize(14).text('Đạt danh hiệu', { width, align: 'center' });
      doc.font('bold').fontSize(22).fillColor('#8B0000').text(`“${upper(TITLE_LABELS[d.subjectType])}” NĂM ${d.year}`, { width, align: 'center' });
      doc.fillColor('black').font('regular').fontSize(11).moveDown(0.8);
      doc.text(`Quyết định số ${d.number} ngày ${vnDate(d.decidedOn)}`, left, doc.y, { width: width * 0.5, align: 'center' });
      const y = doc.y;
      doc.text(`Số: ${it.certificateNo ?? '……'}`, left, y, { width: width * 0.5, align: 'center' });
      doc.font('bold').text(upper(d.signerTitle), left + width * 0.5, ph - 170, { width: width * 0.5, align: 'center' });
      doc.text(d.signer, left + width * 0.5, ph - 100, { width: width * 0.5, align: 'center' });
    }
    if (items.length === 0) {
      doc.addPage();
      doc.font('regular').fontSize(14).text('Quyết định này chưa công nhận đối tượng nào.', 60, 60);
    }
  });
}
