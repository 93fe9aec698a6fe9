// Entry of a photo worker thread. Plain JavaScript on purpose: a worker thread may start without
// the TypeScript loader that runs the server (under vitest, for one), so it registers tsx itself
// (harmless when it is already there) and then loads the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./photo-worker.ts');
