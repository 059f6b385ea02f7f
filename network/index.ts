/**
 * The network component's public surface: `createNetworkSimulations` builds the BullMQ queue, the
 * REST routes and (on demand) the worker. The run itself (`RunNetwork`) is injected by the
 * composition roots, which wire it to the scheduler's planner and pass runner (src/network-run.ts).
 */
import type { Api } from '../src/api/route.js';
import type { Logger } from '../src/platform/logger.js';
import { createNetworkQueue, startNetworkWorker, type NetworkJobData, type RunNetwork } from './adapters/jobs.js';
import { renderHtmlReport } from './adapters/html-report.js';
import { readNetworkConfigFile } from './adapters/load.js';
import { registerNetworkRoutes } from './http/network.routes.js';
import type { NetworkReport } from './domain/index.js';

export type { RunNetwork, NetworkJobData } from './adapters/jobs.js';
export { readNetworkConfigFile, loadNetwork } from './adapters/load.js';
export { renderHtmlReport } from './adapters/html-report.js';

export interface NetworkDeps {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  configFile: string;
}

export function createNetworkSimulations(d: NetworkDeps) {
  const url = new URL(d.redisUrl);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
  };
  const queue = createNetworkQueue({ ...connection, maxRetriesPerRequest: 2, enableOfflineQueue: false }, d.prefix);
  const closers: (() => Promise<unknown>)[] = [() => queue.close()];
  return {
    queue,
    registerRoutes: (api: Api) =>
      registerNetworkRoutes(api, {
        defaultConfig: () => readNetworkConfigFile(d.configFile),
        enqueue: async (id: string, data: NetworkJobData) => {
          await queue.add('simulate', data, { jobId: id });
        },
        status: async (id: string) => {
          const job = await queue.getJob(id);
          if (!job) return undefined;
          const state = await job.getState();
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
        d.prefix,
        run,
        d.logger.child({ component: 'network' }),
      );
      closers.unshift(() => w.close());
      return w;
    },
    close: async () => {
      for (const c of closers) await c();
    },
  };
}
