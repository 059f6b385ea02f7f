/**
 * Worker process (composition root): BullMQ workers for the scheduler's pass jobs and re-plans,
 * the rolling re-plan job scheduler (upserted at boot: restarts never duplicate it), and the
 * relay's KeyBlockSink that receives each pass's key. Any number of these run on one Redis.
 */
import { loadConfig, configSection, type Config } from './platform/config.js';
import { sharedClockOf } from './platform/clock.js';
import { createLogger } from './platform/logger.js';
import { collectProcessMetrics, startMetricsEndpoint } from './platform/metrics.js';
import { createRedis, ensureRedis } from './platform/redis.js';
import { installProcessGuards, Shutdown } from './platform/shutdown.js';
import { loadCatalogFiles, RedisCatalog, RedisStationStore, TleSettingsSchema } from '../tle/adapters/index.js';
import { openRelay } from '../relay/index.js';
import { createNetworkSimulations } from '../network/index.js';
import { networkConfigFileOf, runNetworkJob } from './network-run.js';
import {
  catalogCandidateSource,
  createScheduler,
  LinkCalibrationStore,
  SchedulerSettingsSchema,
  simulationPassRunner,
  terminalPresetOf,
} from '../scheduler/index.js';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`qkdsat worker: ${(e as Error).message}\n`);
  process.exit(2);
}
const { env } = config;
const logger = createLogger(env.LOG_LEVEL).child({ process: 'worker' });
collectProcessMetrics('worker');
const shutdown = new Shutdown(logger, 15_000);
shutdown.installSignals();
installProcessGuards(logger);

try {
  await ensureRedis(env.REDIS_URL, env.QKDSAT_VAR_DIR, logger, 'never');
} catch (e) {
  process.stderr.write(`qkdsat worker: ${(e as Error).message}\n`);
  process.exit(1);
}
const settings = configSection(config, 'scheduler', SchedulerSettingsSchema.default(SchedulerSettingsSchema.parse({})));
const redis = createRedis(env.REDIS_URL, 'command');
shutdown.add('redis', () => redis.quit());
// One simulated timeline for all processes of the deployment (see sharedClockOf).
const { clock, keepAlive } = await sharedClockOf(config, redis, `${env.QKDSAT_PREFIX}:clock`);
shutdown.add('clock anchor', keepAlive());

const catalog = new RedisCatalog(redis, env.QKDSAT_PREFIX);
const stations = new RedisStationStore(redis, env.QKDSAT_PREFIX);
if (config.file.catalog) await loadCatalogFiles(config.file.catalog, config.configDir, catalog, stations);
const relay = openRelay({ config, redis });

const scheduler = createScheduler({
  redis,
  redisUrl: env.REDIS_URL,
  prefix: env.QKDSAT_PREFIX,
  clock,
  logger,
  settings,
  candidates: catalogCandidateSource(
    catalog,
    stations,
    terminalPresetOf(settings),
    new LinkCalibrationStore(redis, env.QKDSAT_PREFIX),
  ),
  stationIds: async () => new Set((await stations.list()).map((s) => s.id)),
  sink: relay.sink,
  runPass: simulationPassRunner(catalog, stations, terminalPresetOf(settings)),
  staleDays: configSection(config, 'tle', TleSettingsSchema).staleDays,
});
shutdown.add('scheduler', () => scheduler.close());
scheduler.startWorkers({ planner: true });
// Network simulations (issue 13): CPU-bound jobs, one at a time per worker process.
const network = createNetworkSimulations({
  redisUrl: env.REDIS_URL,
  prefix: env.QKDSAT_PREFIX,
  logger,
  configFile: networkConfigFileOf(config),
});
network.startWorker(runNetworkJob);
shutdown.add('network simulations', () => network.close());
await scheduler.boot();
// Pass outcomes, lateness, planner solve time and gap of this worker (qkdsat_pass*, qkdsat_planner_*).
await startMetricsEndpoint(env.WORKER_METRICS_PORT, env.HOST, logger, (close) => shutdown.add('metrics http', close));
logger.info(
  { clock: clock.kind, cron: settings.cron, horizonHours: settings.horizonHours, prefix: env.QKDSAT_PREFIX },
  'qkdsat worker running (passes, re-plans)',
);
