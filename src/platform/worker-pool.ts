/**
 * A fixed pool of worker threads for CPU-bound work (pass finding, planning, weather scenarios,
 * pass simulations), so the event loop that serves requests only parses, validates and writes.
 * Each thread loads `entry` (a module that calls `serveTasks` with its task table); `run` queues a
 * task by name, the first idle thread takes it. Inputs and outputs cross by structured clone.
 * A thread that dies is replaced and its task fails with UNAVAILABLE; a QkdsatError thrown in a
 * thread is rethrown here with its code, message and issues.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { QkdsatError, type ErrorCode, type Issue } from '../core/errors.js';

/** Task name -> function of a structured-clonable input to a structured-clonable output. */
export type TaskTable = Record<string, (input: never) => unknown>;
type In<F> = F extends (input: infer I) => unknown ? I : never;
type Out<F> = F extends (input: never) => infer O ? Awaited<O> : never;

interface Request {
  id: number;
  name: string;
  input: unknown;
}
type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code?: ErrorCode; message: string; issues?: Issue[] } };

export interface WorkerPool<T extends TaskTable> {
  run<K extends keyof T & string>(name: K, input: In<T[K]>): Promise<Out<T[K]>>;
  /** Threads in the pool. */
  readonly size: number;
  /** Tasks waiting for a thread. */
  readonly queued: number;
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** Threads (default: cores - 1, at least 1, at most 4). */
  size?: number;
  /** Waiting tasks beyond this are refused with UNAVAILABLE (503) instead of queueing without bound. */
  maxQueued?: number;
}

const defaultPoolSize = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

const BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));

interface Slot {
  worker: Worker;
  busy?: { id: number; resolve: (v: unknown) => void; reject: (e: unknown) => void };
}

export function createWorkerPool<T extends TaskTable>(entry: URL, options: WorkerPoolOptions = {}): WorkerPool<T> {
  const size = options.size ?? defaultPoolSize();
  const maxQueued = options.maxQueued ?? 1000;
  const queue: { req: Request; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const slots: Slot[] = [];
  let nextId = 1,
    closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(BOOT, { workerData: { entry: fileURLToPath(entry) } });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (m: Reply) => {
      const job = slot.busy;
      if (!job || job.id !== m.id) return;
      slot.busy = undefined;
      if (m.ok) job.resolve(m.value);
      else
        job.reject(
          m.error.code
            ? new QkdsatError(m.error.code, m.error.message, m.error.issues ?? [])
            : new Error(m.error.message),
        );
      pump();
    });
    const died = (e: Error | number) => {
      const job = slot.busy;
      slot.busy = undefined;
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      job?.reject(
        new QkdsatError('UNAVAILABLE', `compute thread stopped: ${typeof e === 'number' ? `exit ${e}` : e.message}`),
      );
      if (!closed) {
        slots.push(spawn());
        pump();
      }
    };
    worker.on('error', died);
    worker.on('exit', (code) => {
      if (slots.includes(slot)) died(code);
    });
    return slot;
  };
  const pump = () => {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.busy = { id: job.req.id, resolve: job.resolve, reject: job.reject };
      slot.worker.ref();
      slot.worker.postMessage(job.req);
    }
    for (const slot of slots) if (!slot.busy) slot.worker.unref();
  };
  for (let i = 0; i < size; i += 1) slots.push(spawn());

  return {
    size,
    get queued() {
      return queue.length;
    },
    run: (name, input) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new QkdsatError('UNAVAILABLE', 'compute pool is closed'));
        if (queue.length >= maxQueued)
          return reject(
            new QkdsatError('UNAVAILABLE', `compute pool busy (${queue.length} tasks waiting); retry later`),
          );
        queue.push({ req: { id: nextId++, name, input }, resolve: resolve as (v: unknown) => void, reject });
        pump();
      }),
    close: async () => {
      closed = true;
      for (const q of queue.splice(0)) q.reject(new QkdsatError('UNAVAILABLE', 'compute pool is closed'));
      const all = slots.splice(0);
      for (const s of all) s.busy?.reject(new QkdsatError('UNAVAILABLE', 'compute pool is closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

/** Inside a thread: answers the pool's requests from `tasks`. */
export function serveTasks(tasks: TaskTable): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  port.on('message', async (req: Request) => {
    try {
      const fn = tasks[req.name] as ((input: unknown) => unknown) | undefined;
      if (!fn) throw new Error(`unknown task ${req.name}`);
      port.postMessage({ id: req.id, ok: true, value: await fn(req.input) } satisfies Reply);
    } catch (e) {
      const error =
        e instanceof QkdsatError
          ? { code: e.code, message: e.message, issues: e.issues }
          : { message: (e as Error)?.message ?? String(e) };
      port.postMessage({ id: req.id, ok: false, error } satisfies Reply);
    }
  });
}
