/**
 * Entry of the photo processor child process (modules/evidence-uploads/processor-process.ts):
 * the same processing loop as the API's worker threads, at a lower CPU priority, with the API's
 * configuration handed over in PROCESSOR_SETTINGS_ENV.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import pino from 'pino';
import sharp from 'sharp';
import { connect } from './db/connect.ts';
import { systemClock } from './lib/clock.ts';
import { createPhotoProcessing, processingOptions } from './modules/evidence-uploads/photo-processing.ts';
import { PROCESSOR_SETTINGS_ENV, type ProcessorSettings } from './modules/evidence-uploads/processor-process.ts';
import { loggerOptions } from './plugins/logging.ts';
import { createBlobStore } from './storage/index.ts';

const settings = JSON.parse(process.env[PROCESSOR_SETTINGS_ENV] ?? 'null') as ProcessorSettings | null;
if (!settings) {
  console.error(`${PROCESSOR_SETTINGS_ENV} is missing: the photo processor is started by the API`);
  process.exit(1);
}
const log = pino(loggerOptions(settings.logLevel)).child({ component: 'photo-processor' });

// Every thread that exists now (V8's, libuv's), so the threads they start later inherit it too.
// Linux gives each thread its own priority; elsewhere the process's is enough.
const nice = settings.evidence.processorNice;
try {
  for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), nice);
} catch {
  setPriority(process.pid, nice);
}

sharp.cache(false);
const database = await connect(settings.database);
const processing = createPhotoProcessing({
  db: database.db,
  clock: systemClock,
  blobs: createBlobStore(settings.blobStore),
  log,
  options: processingOptions(settings.evidence, database.kind),
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await processing.stop();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The API went away without telling us (killed): stop too, never run orphaned.
process.on('disconnect', () => void stop());
process.on('message', (m) => {
  if (m === 'wake') processing.wake();
});

await processing.start();
process.send?.('ready');
