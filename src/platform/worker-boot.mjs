// Thread bootstrap of src/platform/worker-pool.ts: registers tsx when the entry is TypeScript
// (worker threads do not inherit the parent's loader hooks on Node 20), then loads the entry.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(workerData.entry).href);
