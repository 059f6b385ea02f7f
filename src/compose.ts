/**
 * The API process's services (manual dependency injection): builds adapters from config and wires
 * the components' routes into one Api. The composition roots (this file, boot.ts, components.ts,
 * kme-compose.ts, the three process entries and src/cli) are the only places that wire components.
 */
import { z } from 'zod';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import {
  openRelay,
  registerRelayMetrics,
  registerRelayRest,
  type CatalogLookup,
  type RelayConfig,
} from '../relay/index.js';
import { QkdsatError } from './core/errors.js';
import { registerPlatformMetrics } from './platform/platform-metrics.js';
import { Api } from './api/route.js';
import { toIso } from './core/time/instant.js';
import { registerTleRoutes } from '../tle/index.js';
import {
  freshCandidates,
  LinkCalibrationStore,
  registerOutcomeRoutes,
  simulationSiftedPredictor,
  terminalPresetOf,
  type CandidateSource,
  type SchedulerSettings,
} from '../scheduler/index.js';
import {
  composeNetwork,
  composeScheduler,
  openCatalog,
  schedulerSettingsOf,
  tleSettingsOf,
  type ComponentBase,
  type OpenCatalog,
} from './components.js';
import { AuthConfigSchema, createAuth, roleGuard } from './api/auth.js';
import { createComputePool, type ComputePool } from './compute/index.js';
import type { Clock } from './platform/clock.js';
import { loadRoleTokens } from './platform/secrets.js';
import { registerSimulationRoutes } from './api/simulations.routes.js';
import { registerCalibrationRoutes } from './api/calibrations.routes.js';
import { configSection } from './platform/config.js';
import { simulationTrackResolver } from './simulation-tracks.js';

type Catalog = Pick<OpenCatalog, 'catalog' | 'stations'>;

/** SAEs and fibre links of the config name stations the catalog knows (VALIDATION naming the field). */
async function checkRelayStations(relay: RelayConfig, lookup: CatalogLookup): Promise<void> {
  const named = [
    ...relay.saes.map((s, i) => ({ path: `relay.saes.${i}.stationId`, id: s.stationId })),
    ...relay.fibreLinks.flatMap((l, i) => [
      { path: `relay.fibreLinks.${i}.a`, id: l.a },
      { path: `relay.fibreLinks.${i}.b`, id: l.b },
    ]),
  ];
  for (const n of named) {
    if (!(await lookup.stationExists(n.id)))
      throw new QkdsatError('VALIDATION', `${n.path}: unknown station '${n.id}'`, [
        { path: n.path.split('.'), message: 'unknown station' },
      ]);
  }
}

function composeAuth(deps: ComposeDeps) {
  const { env } = deps.config;
  const roleTokens = loadRoleTokens(env);
  const { sources } = roleTokens;
  deps.logger.info(
    { viewer: sources.viewer, planner: sources.planner, admin: sources.admin },
    'REST bearer tokens: from these variables or files (tokens are never logged)',
  );
  return createAuth({
    config: configSection(deps.config, 'auth', AuthConfigSchema),
    tokens: roleTokens.tokens,
    rateLimitStore: { redis: deps.redis, keyPrefix: `${env.QKDSAT_PREFIX}:api-rate` },
  });
}

function registerClockRoute(api: Api, clock: Clock): void {
  api.route({
    method: 'get',
    path: '/v1/clock',
    summary: 'The service clock (real, or simulated and accelerated)',
    tags: ['platform'],
    response: z.object({ now: z.string(), kind: z.enum(['real', 'simulated']), speed: z.number() }),
    handler: () => ({ now: toIso(clock.now()), kind: clock.kind, speed: clock.speed }),
  });
}

/** The relay's stores and REST routes, once the stations its SAEs and fibre links name are known. */
async function composeRelay(deps: ComposeDeps, api: Api, { catalog, stations }: Catalog) {
  const lookup: CatalogLookup = {
    stationExists: async (id) => (await stations.get(id)) !== undefined,
    satelliteExists: async (noradId) => (await catalog.get(noradId)) !== undefined,
  };
  const relay = openRelay({ config: deps.config, redis: deps.redis });
  await checkRelayStations(relay.relayConfig, lookup);
  registerRelayRest({ api, core: relay, lookup });
  return relay;
}

const terminalIdsOf = (settings: SchedulerSettings) =>
  settings.terminals ? Object.keys(settings.terminals).map(Number) : undefined;

/**
 * The planner's candidates, found in the compute threads: the terminals' element sets (or every
 * satellite's) over all stations, weighed with the calibrated links, stale ones refused unless asked.
 */
function pooledCandidates(
  pool: ComputePool,
  { catalog, stations }: Catalog,
  calibrations: LinkCalibrationStore,
  settings: SchedulerSettings,
  staleDays: number,
): CandidateSource {
  return async (fromMs, toMs, options) => {
    const ids = terminalIdsOf(settings);
    const sets = ids ? await catalog.page(undefined, ids.length, ids) : await catalog.list();
    const found = await pool.run('candidates', {
      sets,
      stations: await stations.list(),
      fromMs,
      toMs,
      terminals: settings.terminals,
      preset: settings.preset,
      calibratedLinks: Object.fromEntries(await calibrations.links()),
    });
    return freshCandidates(found, { staleDays, ...options });
  };
}

export interface Services {
  api: Api;
  readiness: Record<string, () => Promise<boolean>>;
  /** Closers in start order; main.ts registers them with Shutdown. */
  closers: { name: string; close: () => Promise<unknown> | unknown }[];
  /**
   * Operator surfaces: the queues of the Bull Board, and the role guards of /admin/queues (admin)
   * and GET /metrics (viewer).
   */
  ops: { queues: Queue[]; adminGuard: RequestHandler; metricsGuard: RequestHandler };
}

export interface ComposeDeps extends ComponentBase {
  /** Empty the station and satellite store and seed it again from the config files (`--reseed`). */
  reseed?: boolean;
}

export async function composeServices(deps: ComposeDeps): Promise<Services> {
  const api = new Api();
  const readiness: Services['readiness'] = {
    redis: async () => (await deps.redis.ping()) === 'PONG',
  };
  const closers: Services['closers'] = [];
  const { env } = deps.config;
  const authorize = composeAuth(deps);
  api.useAuth(authorize);
  // --- compute off the request loop (issue 10): pass finding, planning, simulations in threads ---
  const pool = createComputePool(env.QKDSAT_COMPUTE_THREADS ? { size: env.QKDSAT_COMPUTE_THREADS } : {});
  closers.push({ name: 'compute threads', close: () => pool.close() });
  const tle = tleSettingsOf(deps.config);
  registerClockRoute(api, deps.clock);
  // --- tle (issue 2): Redis catalog + station store, demo data loaded at boot, REST routes ---
  const { catalog, stations, seed } = await openCatalog(deps, deps.reseed ?? false);
  if (seed)
    deps.logger.info(
      seed,
      seed.seeded
        ? 'catalog: stations and element sets seeded from the config files'
        : 'catalog: store already seeded; config files not reloaded (--reseed to reset)',
    );
  // --- end tle ---
  // --- relay: key pools and relay REST routes; the ETSI GS QKD 014 KME runs in its own process (src/kme.ts) ---
  const relay = await composeRelay(deps, api, { catalog, stations });
  // --- simulations (issue 3): link budget, pass simulation from catalog geometry, presets ---
  registerSimulationRoutes(api, {
    resolveTrack: simulationTrackResolver(catalog, stations, (q) => pool.run('passTrack', q), tle.staleDays),
    simulate: (q) => pool.run('simulatePass', q),
  });
  registerCalibrationRoutes(api);
  // --- scheduler (issue 4): plans, bookings, iCalendar; pass jobs run in worker processes ---
  const settings = schedulerSettingsOf(deps.config);
  const calibrations = new LinkCalibrationStore(deps.redis, deps.config.env.QKDSAT_PREFIX);
  const terminalIds = () => terminalIdsOf(settings);
  const scheduler = composeScheduler(deps, {
    catalog,
    stations,
    settings,
    candidates: pooledCandidates(pool, { catalog, stations }, calibrations, settings, tle.staleDays),
    plan: (problem) => pool.run('plan', problem),
    sink: relay.sink,
  });
  scheduler.registerRoutes(api);
  registerTleRoutes({
    api,
    catalog,
    stations,
    logger: deps.logger,
    now: () => deps.clock.now(),
    onNewElementSets: (batch) => scheduler.onNewTles(batch),
    computePassPage: (q) => pool.run('passPage', q),
    parseUpload: (body) => pool.run('parseCatalog', body),
    staleDays: tle.staleDays,
    passPageWork: tle.passPageWork,
    terminalIds,
    references: scheduler.references,
  });
  registerOutcomeRoutes(api, {
    store: scheduler.store,
    calibrations,
    clock: deps.clock,
    presetOf: terminalPresetOf(settings),
    predictSifted: simulationSiftedPredictor(catalog, stations),
  });
  closers.push({ name: 'scheduler', close: () => scheduler.close() });
  // --- end scheduler ---
  // --- network (issue 13): capacity-planning simulations as BullMQ jobs, run by the worker processes ---
  const network = composeNetwork(deps);
  network.registerRoutes(api);
  closers.push({ name: 'network simulations', close: () => network.close() });
  // --- ops (issue 11): metrics read at scrape time (pools, audit flows, queue counts, Redis round trip) ---
  const queues: Queue[] = [scheduler.queues.passes, scheduler.queues.plans, network.queue as unknown as Queue];
  registerRelayMetrics(deps.redis, relay.store);
  registerPlatformMetrics(deps.redis, queues);
  const ops = { queues, adminGuard: roleGuard(authorize, 'admin'), metricsGuard: roleGuard(authorize, 'viewer') };
  return { api, readiness, closers, ops };
}
