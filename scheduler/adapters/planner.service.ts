/**
 * Re-planning over a rolling horizon: keep what is frozen (near-term or running), plan the rest,
 * supersede future bookings the new plan drops (never running ones), book the new ones atomically
 * (racing planners cannot double-book: the Lua script refuses) and enqueue their pass jobs.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { QkdsatError } from '../../src/core/errors.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Logger } from '../../src/platform/logger.js';
import { m as metrics } from '../../src/platform/metrics.js';
import { ACTIVE } from '../domain/booking.js';
import type { Candidate, Demand } from '../domain/candidate.js';
import type { MilpSolver } from '../domain/milp.js';
import { planSchedule, type Plan, type SolverKind } from '../domain/plan.js';
import type { BookingStore } from './booking-store.redis.js';
import type { CandidateSource, PlanComputer } from './ports.js';
import { dropPass, enqueuePass, type PassJobData } from './queues.js';
import { gapsOf, type SchedulerSettings } from './settings.js';

export interface PlannerDeps {
  store: BookingStore;
  passes: Queue<PassJobData>;
  clock: Clock;
  logger: Logger;
  candidates: CandidateSource;
  milp: MilpSolver;
  settings: SchedulerSettings;
  /** Where plans are solved; default inline with `milp`. The API process passes its compute pool. */
  plan?: PlanComputer;
  /**
   * tle.staleDays: passes predicted from element sets farther than this from their epoch are refused
   * (unless allowStale).
   */
  staleDays?: number;
  /** Stations that exist now: a candidate naming one deleted while planning is not booked. */
  stationIds?: () => Promise<ReadonlySet<string>>;
}

export interface ReplanRequest {
  fromMs?: number;
  horizonHours?: number;
  demand?: Demand;
  solver?: SolverKind;
  timeLimitS?: number;
  planId?: string;
  weather?: { scenarios: number; seed: number };
  allowStale?: boolean;
}
export interface StoredPlan {
  id: string;
  fromMs: number;
  toMs: number;
  createdMs: number;
  plan: Plan;
  booked: number;
  kept: number;
  superseded: number;
  rejected: string[];
}

export async function replan(deps: PlannerDeps, req: ReplanRequest = {}): Promise<StoredPlan> {
  const wallStart = performance.now();
  const now = deps.clock.now();
  const fromMs = req.fromMs ?? now;
  const toMs = fromMs + (req.horizonHours ?? deps.settings.horizonHours) * 3_600_000;
  if (!(toMs > fromMs))
    throw new QkdsatError('VALIDATION', 'horizonHours: must be positive', [
      { path: ['horizonHours'], message: 'must be positive' },
    ]);
  const frozenUntil = now + deps.settings.frozenMinutes * 60_000;
  const existing = (await deps.store.list({ fromMs: fromMs - 3_600_000, toMs })).filter((b) => ACTIVE.has(b.state));
  const frozen = existing.filter((b) => b.state !== 'SCHEDULED' || b.startMs < frozenUntil);
  const found = await deps.candidates(fromMs, toMs, {
    ...(req.allowStale ? { allowStale: true } : {}),
    ...(deps.staleDays !== undefined ? { staleDays: deps.staleDays } : {}),
  });
  const fresh = found.filter((c) => c.startMs >= frozenUntil && !frozen.some((b) => b.id === c.id));
  const cands: Candidate[] = [
    ...frozen.map(
      ({ id, noradId, stationId, startMs, endMs, expectedSecureBits, clearSkyProbability, elementSetEpochMs }) => ({
        id,
        noradId,
        stationId,
        startMs,
        endMs,
        expectedSecureBits,
        clearSkyProbability,
        ...(elementSetEpochMs !== undefined ? { elementSetEpochMs } : {}),
      }),
    ),
    ...fresh,
  ];
  const problem = {
    cands,
    demand: req.demand ?? deps.settings.demand,
    solver: req.solver ?? deps.settings.solver,
    timeLimitS: req.timeLimitS ?? deps.settings.timeLimitSeconds,
    gaps: gapsOf(deps.settings),
    fixedIds: frozen.map((b) => b.id),
    ...(req.weather ? { weather: req.weather } : {}),
  };
  const plan = deps.plan
    ? await deps.plan(problem)
    : await planSchedule(problem.cands, problem.demand, {
        solver: problem.solver,
        timeLimitS: problem.timeLimitS,
        gaps: problem.gaps,
        fixedIds: new Set(problem.fixedIds),
        milp: deps.milp,
        nowMs: () => performance.now(),
        ...(problem.weather ? { weather: problem.weather } : {}),
      });
  const id = req.planId ?? `plan_${randomUUID()}`;
  const chosen = new Set(plan.bookings.map((b) => b.id));
  let superseded = 0,
    booked = 0;
  for (const b of existing) {
    if (frozen.includes(b) || chosen.has(b.id)) continue;
    if (await deps.store.transition(b.id, 'SUPERSEDED', `superseded by ${id}`, deps.clock.now()).catch(() => false)) {
      superseded += 1;
      await dropPass(deps.passes, b.id);
    }
  }
  const rejected: string[] = [];
  const leadMs = deps.settings.leadSeconds * 1000;
  const known = deps.stationIds ? await deps.stationIds() : undefined;
  for (const c of plan.bookings) {
    if (frozen.some((b) => b.id === c.id)) continue;
    if (known && !known.has(c.stationId)) {
      rejected.push(c.id);
      continue;
    }
    try {
      if ((await deps.store.book(c, id, deps.clock.now())) === 'booked') booked += 1;
      await enqueuePass(deps.passes, deps.clock, c, leadMs);
    } catch (e) {
      if (e instanceof QkdsatError && e.code === 'CONFLICT') rejected.push(c.id);
      else throw e;
    }
  }
  const stored: StoredPlan = {
    id,
    fromMs,
    toMs,
    createdMs: now,
    plan,
    booked,
    kept: frozen.length,
    superseded,
    rejected,
  };
  await deps.store.savePlan(id, stored);
  metrics.planSolve.observe({ solver: plan.solver }, (performance.now() - wallStart) / 1000);
  if (plan.gapPercent !== null) metrics.planGap.set({ solver: plan.solver }, plan.gapPercent / 100);
  deps.logger.info(
    {
      planId: id,
      booked,
      kept: frozen.length,
      superseded,
      rejected: rejected.length,
      objective: plan.objective,
      gapPercent: plan.gapPercent,
    },
    'plan committed',
  );
  return stored;
}
