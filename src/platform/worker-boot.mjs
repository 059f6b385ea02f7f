// Thread bootstrap of src/platform/worker-pool.ts: lowers this thread's scheduling priority (nice
// 10: CPU-heavy compute yields the cores to the event loops that answer requests and to the KME
// process), registers tsx when the entry is TypeScript (worker threads do not inherit the parent's
// loader hooks on Node 20), then loads the entry.
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

try {
  setPriority(0, 10); // pid 0: the calling thread, on Linux
} catch {
  // Not permitted here: the thread keeps the process's priority.
}

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(workerData.entry).href);
