/**
 * Worker process (composition root): BullMQ workers for the scheduler's pass jobs and re-plans,
 * the rolling re-plan job scheduler (upserted at boot: restarts never duplicate it), and the
 * relay's KeyBlockSink that receives each pass's key. Any number of these run on one Redis.
 */
import { bootProcess } from './boot.js';
import { composeNetwork, composeScheduler, openCatalog, schedulerSettingsOf } from './components.js';
import { startMetricsEndpoint } from './platform/metrics.js';
import { openRelay } from '../relay/index.js';
import { runNetworkJob } from './network-run.js';
import { catalogCandidateSource, LinkCalibrationStore, terminalPresetOf } from '../scheduler/index.js';

const base = await bootProcess({ processName: 'worker', stderrLabel: 'qkdsat worker', shutdownTimeoutMs: 15_000 });
const { config, logger, shutdown, redis, clock } = base;
const { env } = config;
const settings = schedulerSettingsOf(config);
const { catalog, stations } = await openCatalog(base);
const calibrations = new LinkCalibrationStore(redis, env.QKDSAT_PREFIX);
const scheduler = composeScheduler(base, {
  catalog,
  stations,
  settings,
  candidates: catalogCandidateSource(catalog, stations, terminalPresetOf(settings), calibrations),
  sink: openRelay({ config, redis }).sink,
});
shutdown.add('scheduler', () => scheduler.close());
scheduler.startWorkers({ planner: true });
// Network simulations (issue 13): CPU-bound jobs, one at a time per worker process.
const network = composeNetwork(base);
network.startWorker(runNetworkJob);
shutdown.add('network simulations', () => network.close());
await scheduler.boot();
// Pass outcomes, lateness, planner solve time and gap of this worker (qkdsat_pass*, qkdsat_planner_*).
await startMetricsEndpoint(env.WORKER_METRICS_PORT, env.HOST, logger, (close) => shutdown.add('metrics http', close));
logger.info(
  { clock: clock.kind, cron: settings.cron, horizonHours: settings.horizonHours, prefix: env.QKDSAT_PREFIX },
  'qkdsat worker running (passes, re-plans)',
);
