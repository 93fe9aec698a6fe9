/**
 * Turning export data into file bytes: the CPU-heavy half of an export (exceljs, pdfkit), kept
 * apart from the database half so it can run on a worker thread (render-pool.ts). Inputs are
 * plain data (structured-clone safe: strings, numbers, Dates), the output is the whole file.
 */
import type { Readable } from 'node:stream';
import type { CommendationsDto, SummaryDto } from '@hoctap/shared/api';
import type { CertificateItem, DecisionInfo, ListItem } from './pdf.ts';
import type { RecognisedItem } from './xlsx.ts';

export type RenderJob =
  | { kind: 'report-xlsx'; summary: SummaryDto; communeName: string; recognised: RecognisedItem[]; now: Date }
  | { kind: 'province-xlsx'; summary: SummaryDto; now: Date }
  | { kind: 'decision-list-pdf'; info: DecisionInfo; items: ListItem[] }
  | { kind: 'certificates-pdf'; info: DecisionInfo; items: CertificateItem[] }
  | { kind: 'commendations-xlsx'; data: CommendationsDto };

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Each kind loads its library on first use: a thread that only writes XLSX never holds pdfkit. */
export async function renderJob(job: RenderJob): Promise<Buffer> {
  switch (job.kind) {
    case 'report-xlsx': {
      const { buildReportWorkbook } = await import('./xlsx.ts');
      return Buffer.from(await buildReportWorkbook(job).xlsx.writeBuffer());
    }
    case 'province-xlsx': {
      const { buildProvinceWorkbook } = await import('./province-xlsx.ts');
      return Buffer.from(await buildProvinceWorkbook(job).xlsx.writeBuffer());
    }
    case 'decision-list-pdf': {
      const { decisionListPdf } = await import('./pdf.ts');
      return collect(decisionListPdf(job.info, job.items));
    }
    case 'certificates-pdf': {
      const { certificatesPdf } = await import('./pdf.ts');
      return collect(certificatesPdf(job.info, job.items));
    }
    case 'commendations-xlsx': {
      const { buildCommendationsWorkbook } = await import('./commendations-xlsx.ts');
      return Buffer.from(await buildCommendationsWorkbook(job.data).xlsx.writeBuffer());
    }
  }
}

export type Render = (job: RenderJob) => Promise<Buffer>;
