/**
 * The components as the API and worker processes both build them from config: the catalog and
 * station store (seeded from the config files), the scheduler and the network simulations. What
 * differs between the two processes (where candidates and plans are computed) is passed in.
 */
import type { Redis } from 'ioredis';
import type { Clock } from './platform/clock.js';
import { configSection, type Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { loadCatalogFiles, RedisCatalog, RedisStationStore, TleSettingsSchema } from '../tle/index.js';
import {
  createScheduler,
  SchedulerSettingsSchema,
  simulationPassRunner,
  terminalPresetOf,
  type CandidateSource,
  type PassKeySink,
  type PlanComputer,
  type SchedulerSettings,
} from '../scheduler/index.js';
import { createNetworkSimulations } from '../network/index.js';
import { networkConfigFileOf } from './network-run.js';

/** What a process has booted with (src/boot.ts) and every component is built from. */
export interface ComponentBase {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: Redis;
}

export const schedulerSettingsOf = (config: Config): SchedulerSettings =>
  configSection(config, 'scheduler', SchedulerSettingsSchema.default(SchedulerSettingsSchema.parse({})));

export const tleSettingsOf = (config: Config) => configSection(config, 'tle', TleSettingsSchema);

/**
 * The Redis catalog and station store; seeded from the config's catalog files when the store is
 * empty, or emptied and seeded again with `reseed`. `seed` says what happened (undefined: no files).
 */
export async function openCatalog(base: ComponentBase, reseed = false) {
  const prefix = base.config.env.QKDSAT_PREFIX;
  const catalog = new RedisCatalog(base.redis, prefix);
  const stations = new RedisStationStore(base.redis, prefix);
  const files = base.config.file.catalog;
  const seed = files ? await loadCatalogFiles(files, base.config.configDir, catalog, stations, { reseed }) : undefined;
  return { catalog, stations, seed };
}
export type OpenCatalog = Awaited<ReturnType<typeof openCatalog>>;

export interface SchedulerParts {
  catalog: OpenCatalog['catalog'];
  stations: OpenCatalog['stations'];
  settings: SchedulerSettings;
  candidates: CandidateSource;
  /** Where pass key goes: the relay's KeyBlockSink. */
  sink: PassKeySink;
  /** Where plans are solved (the API's compute threads); default inline. */
  plan?: PlanComputer;
}

/** The scheduler of one process: bookings, queues, planner, pass runner on the catalog's geometry. */
export function composeScheduler(base: ComponentBase, parts: SchedulerParts) {
  const { env } = base.config;
  return createScheduler({
    redis: base.redis,
    redisUrl: env.REDIS_URL,
    prefix: env.QKDSAT_PREFIX,
    clock: base.clock,
    logger: base.logger,
    settings: parts.settings,
    candidates: parts.candidates,
    ...(parts.plan ? { plan: parts.plan } : {}),
    staleDays: tleSettingsOf(base.config).staleDays,
    stationIds: async () => new Set((await parts.stations.list()).map((station) => station.id)),
    sink: parts.sink,
    runPass: simulationPassRunner(parts.catalog, parts.stations, terminalPresetOf(parts.settings)),
  });
}

/** The network simulations' queue (and, in worker processes, their worker). */
export function composeNetwork(base: ComponentBase) {
  return createNetworkSimulations({
    redisUrl: base.config.env.REDIS_URL,
    prefix: base.config.env.QKDSAT_PREFIX,
    logger: base.logger,
    configFile: networkConfigFileOf(base.config),
  });
}
