import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatNumber, TITLE_LABELS, SUBJECT_TYPE_LABELS } from '@hoctap/shared';
import type { SubjectType } from '../../db/schema/index.ts';
import { vnDate } from './files.ts';

/*
 * PDFs with DejaVu Sans from the `dejavu-fonts-ttf` package (a dependency, so a fresh machine has
 * it): pdfkit's built-in Helvetica has no Vietnamese glyphs (ạ ế ờ ữ Đ would print as boxes).
 * pdfkit embeds a subset and a ToUnicode map, so text copied or extracted from the file keeps
 * its diacritics.
 */
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer; italic: Buffer } | null = null;
/** Read once per process: the files are ~2 MB and every PDF needs them. */
function fontBytes() {
  fonts ??= {
    regular: readFileSync(join(fontDir, 'DejaVuSans.ttf')),
    bold: readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')),
    italic: readFileSync(join(fontDir, 'DejaVuSans-Oblique.ttf')),
  };
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
  /** As written officially, with its kind: "Xã Mỹ An", "Phường 3". */
  communeName: string;
  /** The place in the date line, without its kind: "Mỹ An" (and "Phường 3" kept whole). */
  placeName: string;
}

export interface ListItem {
  name: string;
  hamletName: string;
  groupName: string;
  points: number | null;
  certificateNo: string | null;
  /** The consecutive-years honour, e.g. "… tiêu biểu xuất sắc (5 năm liên tục)". */
  honour: string | null;
}

function newDoc(layout: 'portrait' | 'landscape', title: string) {
  const doc = new PDFDocument({
    size: 'A4',
    layout,
    margin: 50,
    autoFirstPage: false,
    info: { Title: title, Creator: 'Học tập suốt đời' },
  });
  const f = fontBytes();
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('italic', f.italic);
  return doc;
}

/**
 * "Mỹ An, ngày 04 tháng 12 năm 2026": the place and date line of an administrative document
 * (Nghị định 30/2020/NĐ-CP): a 0 before days under 10 and before months 1 and 2.
 */
export function placeDateLine(placeName: string, isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const day = String(d).padStart(2, '0');
  const month = m <= 2 ? String(m).padStart(2, '0') : String(m);
  return `${placeName}, ngày ${day} tháng ${month} năm ${y}`;
}

/** "Ủy ban nhân dân xã Mỹ An": the kind in lower case inside a sentence. */
const inSentence = (officialName: string) => officialName.charAt(0).toLocaleLowerCase('vi') + officialName.slice(1);

/**
 * The signature block: place and date (italic), the signer's title, room for the seal and the
 * signature (about 3 cm), the signer's name. Drawn in the column [x, x + w) from `top`.
 */
function signatureBlock(doc: PDFKit.PDFDocument, d: DecisionInfo, x: number, w: number, top: number) {
  doc.fillColor('black').font('italic').fontSize(11);
  doc.text(placeDateLine(d.placeName, d.decidedOn), x, top, { width: w, align: 'center' });
  doc
    .font('bold')
    .fontSize(11)
    .text(upper(d.signerTitle), x, doc.y + 2, { width: w, align: 'center' });
  doc.font('italic').fontSize(10).text('(Ký, ghi rõ họ tên và đóng dấu)', x, doc.y, { width: w, align: 'center' });
  const nameY = doc.y + 80; // the seal overlaps the left third of the signature: 80 pt ≈ 2.8 cm
  doc.font('bold').fontSize(12).text(d.signer, x, nameY, { width: w, align: 'center' });
}

const upper = (s: string) => s.toLocaleUpperCase('vi');

function stateHeader(doc: PDFKit.PDFDocument, communeName: string, top: number) {
  const w = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  doc.font('bold').fontSize(10);
  doc.text('ỦY BAN NHÂN DÂN', left, top, { width: w * 0.4, align: 'center' });
  doc.text(upper(communeName), left, doc.y, { width: w * 0.4, align: 'center' });
  // The short rules under each side of the national header.
  const ruleY = doc.y + 4;
  doc
    .moveTo(left + w * 0.2 - 30, ruleY)
    .lineTo(left + w * 0.2 + 30, ruleY)
    .lineWidth(0.6)
    .stroke('black');
  doc.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + w * 0.4, top, { width: w * 0.6, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', left + w * 0.4, doc.y, { width: w * 0.6, align: 'center' });
  const mottoY = doc.y + 4;
  doc
    .moveTo(left + w * 0.7 - 75, mottoY)
    .lineTo(left + w * 0.7 + 75, mottoY)
    .lineWidth(0.6)
    .stroke('black');
  doc.x = left;
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
      .text(
        `${SUBJECT_TYPE_LABELS[d.subjectType]} được công nhận danh hiệu “${TITLE_LABELS[d.subjectType]}” năm ${d.year}`,
        { width, align: 'center' },
      );
    doc
      .font('regular')
      .fontSize(10)
      .text(`(Kèm theo Quyết định số ${d.number} ngày ${vnDate(d.decidedOn)} của ${d.signerTitle})`, {
        width,
        align: 'center',
      });
    doc.moveDown(1);

    const cols = [
      { h: 'STT', w: 0.06, align: 'center' as const },
      { h: 'Tên', w: 0.25, align: 'left' as const },
      { h: 'Ấp/khóm', w: 0.15, align: 'left' as const },
      { h: 'Tổ', w: 0.11, align: 'left' as const },
      { h: 'Điểm', w: 0.07, align: 'center' as const },
      { h: 'Số giấy chứng nhận', w: 0.18, align: 'left' as const },
      { h: 'Khen thưởng', w: 0.18, align: 'left' as const },
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
    drawRow(
      cols.map((c) => c.h),
      'bold',
    );
    for (const [i, it] of items.entries()) {
      drawRow(
        [
          String(i + 1),
          it.name,
          it.hamletName,
          it.groupName,
          it.points === null ? '' : formatNumber(it.points),
          it.certificateNo ?? '',
          it.honour ?? '',
        ],
        'regular',
      );
      if (i % 25 === 24) await breathe();
    }
    doc.moveDown(0.5);
    doc.font('regular').fontSize(10).text(`Tổng cộng: ${items.length}`, left, doc.y, { width });
    if (doc.y + 170 > bottom()) {
      doc.addPage();
      doc.y = doc.page.margins.top;
    }
    doc.moveDown(1.5);
    signatureBlock(doc, d, left + width * 0.45, width * 0.55, doc.y);
  });
}

export interface CertificateItem {
  name: string;
  hamletName: string;
  certificateNo: string | null;
  honour: string | null;
  /** The public verification page and its code as printed (docs/transparency.md §1). */
  verify?: { url: string; code: string } | null;
}

/**
 * A QR code drawn as vector squares (sharp at any print size, no image library): one path of the
 * dark modules, filled once. Error correction M survives a fold or a stain on paper.
 */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const m = size / modules.size;
  for (let r = 0; r < modules.size; r++)
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) doc.rect(x + c * m, y + r * m, m, m);
  doc.fillColor('black').fill();
}

/** One landscape page per recognised subject, all in one file for printing. */
export function certificatesPdf(d: DecisionInfo, items: CertificateItem[]): Readable {
  const doc = newDoc('landscape', `Giấy chứng nhận – Quyết định số ${d.number}`);
  return build(doc, async () => {
    for (const it of items) {
      await breathe();
      doc.addPage();
      const { width: pw, height: ph } = doc.page;
      doc
        .rect(20, 20, pw - 40, ph - 40)
        .lineWidth(3)
        .stroke('#8B0000');
      doc
        .rect(28, 28, pw - 56, ph - 56)
        .lineWidth(1)
        .stroke('#8B0000');
      doc.fillColor('black');
      const left = 60;
      const width = pw - 120;
      stateHeader(doc, d.communeName, 50);
      doc.font('bold').fontSize(30).fillColor('#8B0000').text('GIẤY CHỨNG NHẬN', left, 150, { width, align: 'center' });
      doc
        .fillColor('black')
        .font('regular')
        .fontSize(14)
        .text(`Chủ tịch Ủy ban nhân dân ${inSentence(d.communeName)} chứng nhận`, { width, align: 'center' });
      doc.moveDown(0.6);
      doc.font('bold').fontSize(24).text(it.name, { width, align: 'center' });
      doc
        .font('regular')
        .fontSize(13)
        .text(it.hamletName ? `${it.hamletName}, ${inSentence(d.communeName)}` : d.communeName, {
          width,
          align: 'center',
        });
      doc.moveDown(0.6);
      doc.fontSize(14).text('Đạt danh hiệu', { width, align: 'center' });
      doc
        .font('bold')
        .fontSize(22)
        .fillColor('#8B0000')
        .text(`“${upper(TITLE_LABELS[d.subjectType])}” NĂM ${d.year}`, { width, align: 'center' });
      if (it.honour) doc.font('bold').fontSize(14).text(it.honour, { width, align: 'center' });
      // Bottom band, fixed: left the decision and certificate numbers (labels and values in two
      // aligned columns), right the place and date, the signer's title, room for seal and signature.
      const band = ph - 200;
      const labelW = 105;
      const rows: [string, string][] = [
        ['Quyết định số:', `${d.number} ngày ${vnDate(d.decidedOn)}`],
        ['Số:', it.certificateNo ?? '……'],
      ];
      let ry = band + 40;
      for (const [label, value] of rows) {
        doc
          .fillColor('black')
          .font('regular')
          .fontSize(11)
          .text(label, left + 10, ry, { width: labelW });
        doc.font('bold').text(value, left + 10 + labelW, ry, { width: width * 0.45 - labelW });
        ry = Math.max(doc.y, ry + 16) + 4;
      }
      if (it.verify) {
        // Bottom left, inside the inner frame: the QR, and beside it the page and the code to type.
        const qr = 72;
        const qy = ph - 36 - qr;
        drawQr(doc, it.verify.url, left + 10, qy, qr);
        const tx = left + 10 + qr + 10;
        const tw = width * 0.5 - qr - 30;
        // The frame is drawn by hand: text this low must not make pdfkit start a new page.
        doc.page.margins.bottom = 0;
        doc.font('regular').fontSize(8.5).fillColor('black');
        doc.text('Kiểm tra giấy chứng nhận: quét mã QR, hoặc vào trang', tx, qy + 2, { width: tw });
        doc.text(it.verify.url.replace(/\/v\/[^/]*$/, '/v'), tx, doc.y + 1, { width: tw });
        doc.text('và nhập mã tra cứu:', tx, doc.y + 1, { width: tw });
        doc
          .font('bold')
          .fontSize(11)
          .text(it.verify.code, tx, doc.y + 3, { width: tw });
      }
      signatureBlock(doc, d, left + width * 0.5, width * 0.5, band);
    }
    if (items.length === 0) {
      doc.addPage();
      doc.font('regular').fontSize(14).text('Quyết định này chưa công nhận đối tượng nào.', 60, 60);
    }
  });
}
