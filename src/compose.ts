/**
 * Manual dependency injection: builds adapters from config and wires the components' routes
 * into one Api. Only this file, main.ts, worker.ts and src/cli wire components together.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { adminBearerCheck, openRelay, registerRelayMetrics, registerRelayRest } from '../relay/index.js';
import { registerPlatformMetrics } from './platform/platform-metrics.js';
import { Api } from './api/route.js';
import { toIso } from './core/time/instant.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
// --- tle (issue 2): catalog, stations, passes ---
import { loadCatalogFiles, RedisCatalog, RedisStationStore } from '../tle/adapters/index.js';
import { registerTleRoutes } from '../tle/http/index.js';
// --- end tle ---
import { catalogCandidateSource, createScheduler, LinkCalibrationStore, registerOutcomeRoutes, SchedulerSettingsSchema, simulationPassRunner, simulationSiftedPredictor, terminalPresetOf } from '../scheduler/index.js';
import { registerSimulationRoutes } from './api/simulations.routes.js';
import { registerCalibrationRoutes } from './api/calibrations.routes.js';
import { configSection } from './platform/config.js';
import { simulationTrackResolver } from './simulation-tracks.js';
import { createNetworkSimulations } from '../network/index.js';
import { networkConfigFileOf } from './network-run.js';

export interface Services {
  api: Api;
  readiness: Record<string, () => Promise<boolean>>;
  /** Closers in start order; main.ts registers them with Shutdown. */
  closers: { name: string; close: () => Promise<unknown> | unknown }[];
  /** Operator pages: the BullMQ queues of the board and the admin bearer check that guards it. */
  ops: { queues: Queue[]; adminCheck: (authorization: string | undefined) => 'ok' | 'missing' | 'invalid' };
}

export interface ComposeDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: Redis;
}

export async function composeServices(deps: ComposeDeps): Promise<Services> {
  const api = new Api();
  const readiness: Services['readiness'] = {
    redis: async () => (await deps.redis.ping()) === 'PONG',
  };
  const closers: Services['closers'] = [];
  api.route({
    method: 'get', path: '/v1/clock', summary: 'The service clock (real, or simulated and accelerated)', tags: ['platform'],
    response: z.object({ now: z.string(), kind: z.enum(['real', 'simulated']), speed: z.number() }),
    handler: () => ({ now: toIso(deps.clock.now()), kind: deps.clock.kind, speed: deps.clock.speed }),
  });
  // --- tle (issue 2): Redis catalog + station store, demo data loaded at boot, REST routes ---
  const catalog = new RedisCatalog(deps.redis, deps.config.env.QKDSAT_PREFIX);
  const stations = new RedisStationStore(deps.redis, deps.config.env.QKDSAT_PREFIX);
  if (deps.config.file.catalog) {
    const loaded = await loadCatalogFiles(deps.config.file.catalog, deps.config.configDir, catalog, stations);
    deps.logger.info(loaded, 'catalog: demo element sets and stations loaded');
  }
  // --- end tle ---
  // --- relay: key pools and relay REST routes; the ETSI GS QKD 014 KME runs in its own process (src/kme.ts) ---
  const relay = openRelay({ config: deps.config, redis: deps.redis });
  registerRelayRest({ config: deps.config, logger: deps.logger, api, core: relay });
  // --- end relay ---
  // --- simulations (issue 3): link budget, pass simulation from catalog geometry, presets ---
  registerSimulationRoutes(api, { resolveTrack: simulationTrackResolver(catalog, stations) });
  registerCalibrationRoutes(api);
  // --- scheduler (issue 4): plans, bookings, iCalendar; pass jobs run in worker processes ---
  const settings = configSection(deps.config, 'scheduler', SchedulerSettingsSchema.default(SchedulerSettingsSchema.parse({})));
  const scheduler = createScheduler({
    redis: deps.redis, redisUrl: deps.config.env.REDIS_URL, prefix: deps.config.env.QKDSAT_PREFIX, clock: deps.clock, logger: deps.logger, settings,
    candidates: catalogCandidateSource(catalog, stations, terminalPresetOf(settings), new LinkCalibrationStore(deps.redis, deps.config.env.QKDSAT_PREFIX)),
    stationIds: async () => new Set((await stations.list()).map((s) => s.id)),
    sink: relay.sink,
    runPass: simulationPassRunner(catalog, stations, terminalPresetOf(settings)),
  });
  scheduler.registerRoutes(api);
  registerOutcomeRoutes(api, { store: scheduler.store, calibrations: new LinkCalibrationStore(deps.redis, deps.config.env.QKDSAT_PREFIX), clock: deps.clock, presetOf: terminalPresetOf(settings), predictSifted: simulationSiftedPredictor(catalog, stations) });
  registerTleRoutes({ api, catalog, stations, logger: deps.logger, now: () => deps.clock.now(), onNewElementSets: (batch) => scheduler.onNewTles(batch) });
  closers.push({ name: 'scheduler', close: () => scheduler.close() });
  // --- end scheduler ---
  // --- network (issue 13): capacity-planning simulations as BullMQ jobs, run by the worker processes ---
  const network = createNetworkSimulations({ redisUrl: deps.config.env.REDIS_URL, prefix: deps.config.env.QKDSAT_PREFIX, logger: deps.logger, configFile: networkConfigFileOf(deps.config) });
  network.registerRoutes(api);
  closers.push({ name: 'network simulations', close: () => network.close() });
  // --- ops (issue 11): metrics read at scrape time (pools, audit flows, queue counts, Redis round trip) ---
  const queues: Queue[] = [scheduler.queues.passes, scheduler.queues.plans, network.queue as unknown as Queue];
  registerRelayMetrics(deps.redis, relay.store);
  registerPlatformMetrics(deps.redis, queues);
  const ops = { queues, adminCheck: adminBearerCheck(deps.config, deps.logger.child({ component: 'ops' })) };
  return { api, readiness, closers, ops };
}
