/**
 * Body of an export render thread: builds XLSX and PDF files off the main thread, so a 400-page
 * certificates PDF or a province workbook never stalls the event loop that answers requests.
 * One job at a time (the pool sends the next only after the answer).
 */
import { parentPort } from 'node:worker_threads';
import { renderJob, type RenderJob } from './render.ts';

export interface RenderRequest {
  jobId: number;
  job: RenderJob;
}
export type RenderReply =
  | { jobId: number; ok: true; bytes: Uint8Array }
  | { jobId: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('render-worker.ts must run in a worker thread');

port.on('message', (msg: RenderRequest) => {
  renderJob(msg.job).then(
    (buf) => {
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      const reply: RenderReply = { jobId: msg.jobId, ok: true, bytes };
      // Moving the memory saves a copy of a large file, but Node refuses to move a Buffer that
      // lives in its shared pool (a DataCloneError since Node 26); such a reply is copied instead.
      try {
        port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
      } catch {
        port.postMessage(reply);
      }
    },
    (err: unknown) => {
      const reply: RenderReply = { jobId: msg.jobId, ok: false, message: (err as Error)?.message ?? String(err) };
      port.postMessage(reply);
    },
  );
});
