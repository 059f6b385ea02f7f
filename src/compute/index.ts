/** The API process's compute thread pool (pass finding, planning, scenarios, simulations). */
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from '../platform/worker-pool.js';
import type { ComputeTasks } from './tasks.js';

export type ComputePool = WorkerPool<ComputeTasks>;
export type { ComputeTasks } from './tasks.js';

/** Threads load thread.ts (TypeScript through tsx) or thread.js when built. */
export const createComputePool = (options: WorkerPoolOptions = {}): ComputePool =>
  createWorkerPool<ComputeTasks>(
    new URL(`./thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    options,
  );
