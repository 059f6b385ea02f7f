/**
 * Builds the scheduler from its ports: the booking store, the queues, the planner and (on demand)
 * the workers and REST routes. Composition roots call it through the component's surface.
 */
import type { Redis } from 'ioredis';
import { redisConnectionOptions, REQUEST_TIMEOUT_MS } from '../src/platform/redis.js';
import type { Api } from '../src/api/route.js';
import type { Clock } from '../src/platform/clock.js';
import type { Logger } from '../src/platform/logger.js';
import { BookingStore } from './adapters/booking-store.redis.js';
import { highsSolver } from './adapters/highs-solver.js';
import { replan, type PlannerDeps } from './adapters/planner.service.js';
import type { CandidateSource, PassKeySink, PlanComputer, RunPass } from './adapters/ports.js';
import {
  createQueues,
  dropPass,
  requestReplan,
  scheduleNextSimulatedReplan,
  upsertReplanScheduler,
} from './adapters/queues.js';
import { gapsOf, type SchedulerSettings } from './adapters/settings.js';
import { startSchedulerWorkers } from './adapters/workers.js';
import { registerSchedulerRoutes } from './http/scheduler.routes.js';

export interface SchedulerDeps {
  /** Command connection (fails fast). */
  redis: Redis;
  /** Redis URL for BullMQ connections (queues fail fast, workers retry forever). */
  redisUrl: string;
  /** Key and queue prefix; carries a hash tag ({qkdsat}) for Redis Cluster. */
  prefix: string;
  clock: Clock;
  logger: Logger;
  settings: SchedulerSettings;
  candidates: CandidateSource;
  stationIds: () => Promise<ReadonlySet<string>>;
  /** Where pass key goes: the relay's KeyBlockSink. Absent = key is only recorded on the booking. */
  sink?: PassKeySink;
  runPass: RunPass;
  /** Where plans are solved (the API process's compute pool); default inline. */
  plan?: PlanComputer;
  /** tle.staleDays (default 14). */
  staleDays?: number;
}

const nullSink: PassKeySink = { deposit: async () => ({ blockId: '' }) };

export function createScheduler(deps: SchedulerDeps) {
  const store = new BookingStore(deps.redis, deps.prefix, gapsOf(deps.settings));
  const connection = redisConnectionOptions(deps.redisUrl);
  const queues = createQueues(
    { ...connection, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: REQUEST_TIMEOUT_MS },
    deps.prefix,
  );
  const planner: PlannerDeps = {
    store,
    passes: queues.passes,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'planner' }),
    candidates: deps.candidates,
    milp: highsSolver(),
    settings: deps.settings,
    stationIds: deps.stationIds,
    ...(deps.plan ? { plan: deps.plan } : {}),
    ...(deps.staleDays !== undefined ? { staleDays: deps.staleDays } : {}),
  };
  const closers: (() => Promise<unknown>)[] = [() => queues.passes.close(), () => queues.plans.close()];
  return {
    store,
    queues,
    planner,
    replan: (req: Parameters<typeof replan>[1] = {}) => replan(planner, req),
    /** Upserts the cron job scheduler and asks for one plan per boot hour (both idempotent across processes). */
    boot: async () => {
      await upsertReplanScheduler(queues.plans, deps.clock, deps.settings.cron, deps.settings.horizonHours);
      await requestReplan(queues.plans, 'boot', `boot_${Math.floor(deps.clock.now() / 3_600_000)}`);
    },
    /**
     * Bookings that name a station or satellite: the catalog refuses to delete what active ones
     * name, or cancels them (cascade): SCHEDULED/PREPASS become CANCELLED, a running PASS FAILED,
     * each with the reason, dropped from the pass queue and appended to `<prefix>:sched:audit`.
     */
    references: {
      active: (kind: 'station' | 'satellite', id: string) => store.activeIds(kind, id),
      cancel: async (kind: 'station' | 'satellite', id: string, reason: string) => {
        const done: string[] = [];
        for (const bid of await store.activeIds(kind, id)) {
          const b = await store.get(bid);
          if (!b) continue;
          await store
            .transition(bid, b.state === 'PASS' ? 'FAILED' : 'CANCELLED', reason, deps.clock.now())
            .catch(() => false);
          await dropPass(queues.passes, bid);
          done.push(bid);
        }
        await deps.redis.xadd(
          `${deps.prefix}:sched:audit`,
          'MAXLEN',
          '~',
          '10000',
          '*',
          'action',
          'cascade-cancel',
          kind,
          id,
          'bookings',
          done.join(','),
          'reason',
          reason,
        );
        return done;
      },
    },
    /** Call when new element sets arrive. */
    onNewTles: (batchKey: string) => requestReplan(queues.plans, 'new TLEs', `tle_${batchKey}`),
    registerRoutes: (api: Api) =>
      registerSchedulerRoutes(api, {
        store,
        clock: deps.clock,
        stationIds: deps.stationIds,
        replan: (req) => replan(planner, req),
        terminals: { preset: deps.settings.preset, terminals: deps.settings.terminals },
        ...(deps.staleDays !== undefined ? { staleDays: deps.staleDays } : {}),
        enqueuePlan: async (planId, req) => {
          await queues.plans.add('replan', { reason: 'api', ...req, planId }, { jobId: planId });
        },
        dropPass: (id) => dropPass(queues.passes, id),
        planQueued: async (id) => {
          const job = await queues.plans.getJob(id);
          return !!job && !(await job.isCompleted());
        },
        queueCounts: async () => ({
          passes: await queues.passes.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed'),
          plans: await queues.plans.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed'),
        }),
      }),
    startWorkers: (opts: { planner: boolean } = { planner: true }) => {
      const w = startSchedulerWorkers({
        connection: { ...connection, maxRetriesPerRequest: null },
        prefix: deps.prefix,
        pass: {
          store,
          clock: deps.clock,
          logger: deps.logger.child({ component: 'passes' }),
          runPass: deps.runPass,
          sink: deps.sink ?? nullSink,
          settings: deps.settings,
        },
        ...(opts.planner ? { planner } : {}),
        onCronPlan: (at) =>
          scheduleNextSimulatedReplan(queues.plans, deps.clock, deps.settings.cron, deps.settings.horizonHours, at),
      });
      closers.unshift(w.close);
      return w;
    },
    close: async () => {
      for (const c of closers) await c();
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
