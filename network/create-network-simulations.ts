/**
 * Builds the network simulations: the BullMQ queue, the REST routes and (on demand) the worker.
 * The run itself (`RunNetwork`) is injected by the composition roots.
 */
import type { Api } from '../src/api/route.js';
import type { Logger } from '../src/platform/logger.js';
import { redisConnectionOptions } from '../src/platform/redis.js';
import { createNetworkQueue, startNetworkWorker, type NetworkJobData, type RunNetwork } from './adapters/jobs.js';
import { renderHtmlReport } from './adapters/html-report.js';
import { readNetworkConfigFile } from './adapters/load.js';
import { registerNetworkRoutes } from './http/network.routes.js';
import type { NetworkReport } from './domain/index.js';

export interface NetworkDeps {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  configFile: string;
}

export function createNetworkSimulations(deps: NetworkDeps) {
  const connection = redisConnectionOptions(deps.redisUrl);
  const queue = createNetworkQueue({ ...connection, maxRetriesPerRequest: 2, enableOfflineQueue: false }, deps.prefix);
  const closers: (() => Promise<unknown>)[] = [() => queue.close()];
  return {
    queue,
    registerRoutes: (api: Api) =>
      registerNetworkRoutes(api, {
        defaultConfig: () => readNetworkConfigFile(deps.configFile),
        enqueue: async (id: string, data: NetworkJobData) => {
          await queue.add('simulate', data, { jobId: id });
        },
        status: async (id: string) => {
          // State first, then the job: a job read before a state that says `completed` may lack its report.
          const state = await queue.getJobState(id);
          const job = await queue.getJob(id);
          if (!job || state === 'unknown') return undefined;
          const progress = typeof job.progress === 'number' ? job.progress : 0;
          return {
            state,
            progress,
            ...(state === 'completed' ? { report: job.returnvalue as NetworkReport } : {}),
            ...(state === 'failed' ? { error: job.failedReason } : {}),
          };
        },
        renderHtml: renderHtmlReport,
      }),
    startWorker: (run: RunNetwork) => {
      const w = startNetworkWorker(
        { ...connection, maxRetriesPerRequest: null },
        deps.prefix,
        run,
        deps.logger.child({ component: 'network' }),
      );
      closers.unshift(() => w.close());
      return w;
    },
    close: async () => {
      for (const c of closers) await c();
    },
  };
}
