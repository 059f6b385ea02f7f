/**
 * Network simulations as BullMQ jobs (queue `network_sims`, job id `netsim_<uuid>`): the API adds
 * the job, a worker process runs it (CPU-bound: never on the API's event loop) and reports progress
 * in percent; the result is the report JSON, kept 7 days.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../../src/platform/logger.js';
import type { NetworkConfig, NetworkReport, Planning } from '../domain/index.js';

const NETWORK_QUEUE = 'network_sims';

export interface NetworkJobData {
  config: NetworkConfig;
  baseDir: string;
  startMs: number;
  days: number;
  seed: number;
  solver: 'exact' | 'heuristic';
  planning: Planning;
}

/** The run itself, injected by the composition root (src/network-run.ts). */
export type RunNetwork = (d: NetworkJobData, onProgress: (fraction: number) => Promise<void>) => Promise<NetworkReport>;

export const createNetworkQueue = (connection: ConnectionOptions, prefix: string) =>
  new Queue<NetworkJobData, NetworkReport>(NETWORK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 7 * 86_400 } },
  });

export function startNetworkWorker(
  connection: ConnectionOptions,
  prefix: string,
  run: RunNetwork,
  logger: Logger,
): Worker<NetworkJobData, NetworkReport> {
  const w = new Worker<NetworkJobData, NetworkReport>(
    NETWORK_QUEUE,
    async (job: Job<NetworkJobData, NetworkReport>) => {
      let last = -1;
      const report = await run(job.data, async (f) => {
        const pct = Math.floor(f * 100);
        if (pct > last) {
          last = pct;
          await job.updateProgress(pct);
        }
      });
      await job.updateProgress(100);
      logger.info({ jobId: job.id, days: job.data.days, runtimeMs: report.runtimeMs }, 'network simulation done');
      return report;
    },
    { connection, prefix, concurrency: 1, lockDuration: 15 * 60_000, maxStalledCount: 1 },
  );
  w.on('failed', (job, err) => logger.warn({ jobId: job?.id, err: err.message }, 'network simulation failed'));
  return w;
}
