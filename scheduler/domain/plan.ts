/**
 * planSchedule: candidates + demand -> conflict-free plan, by the heuristic or the exact MILP
 * (warm-started by the heuristic; the better of the two is kept, the MILP's bound is reported).
 */
import { z } from 'zod';
import { compareObjectives, type Objective, type PairResult } from './allocation.js';
import { type Candidate, type Demand, type Gaps } from './candidate.js';
import { findConflict } from './conflicts.js';
import { heuristicPlan } from './heuristic.js';
import { milpPlan, type MilpSolver } from './milp.js';
import { weatherRisk, type WeatherRisk } from './weather.js';

export const SolverKindSchema = z.enum(['exact', 'heuristic']);
export type SolverKind = z.infer<typeof SolverKindSchema>;

export interface PlanOptions {
  solver: SolverKind;
  timeLimitS: number;
  gaps: Gaps;
  /** Booked or running passes inside the frozen horizon: kept as they are. */
  fixedIds?: ReadonlySet<string>;
  milp?: MilpSolver;
  nowMs: () => number;
  /** Also evaluate the plan under this many seeded weather scenarios (see weather.ts). */
  weather?: { scenarios: number; seed: number };
}

export interface Plan {
  bookings: Candidate[];
  pairs: PairResult[];
  stationMetBits: Record<string, number>;
  objective: Objective;
  bound: Objective | null;
  gapPercent: number | null;
  solver: SolverKind;
  status: 'optimal' | 'feasible' | 'heuristic';
  solveTimeMs: number;
  /** The plan's objective under sampled weather, when asked for. */
  weather?: WeatherRisk;
}

export async function planSchedule(cands: readonly Candidate[], demand: Demand, opts: PlanOptions): Promise<Plan> {
  const t0 = opts.nowMs();
  const fixedIds = opts.fixedIds ?? new Set<string>();
  const usable = cands.filter((c) => c.endMs > c.startMs);
  const heur = heuristicPlan(usable, demand, opts.gaps, { fixedIds });
  let plan: Omit<Plan, 'solveTimeMs'> = {
    bookings: heur.chosen,
    pairs: heur.allocation.pairs,
    stationMetBits: heur.allocation.stationMetBits,
    objective: heur.allocation.objective,
    bound: null,
    gapPercent: null,
    solver: 'heuristic',
    status: 'heuristic',
  };
  if (opts.solver === 'exact') {
    if (!opts.milp) throw new Error('exact solver requested without a MILP solver');
    const left = Math.max(0.5, opts.timeLimitS - (opts.nowMs() - t0) / 1000);
    const exact = await milpPlan(usable, demand, opts.gaps, opts.milp, {
      timeLimitS: left,
      fixedIds,
      warmStart: { chosen: heur.chosen, allocation: heur.allocation },
      nowMs: opts.nowMs,
    });
    const better =
      exact.status !== 'no-solution' &&
      compareObjectives(exact.allocation.objective, heur.allocation.objective, 1e-7) >= 0;
    plan = {
      ...(better
        ? {
            bookings: exact.chosen,
            pairs: exact.allocation.pairs,
            stationMetBits: exact.allocation.stationMetBits,
            objective: exact.allocation.objective,
          }
        : {
            bookings: plan.bookings,
            pairs: plan.pairs,
            stationMetBits: plan.stationMetBits,
            objective: plan.objective,
          }),
      bound: exact.bound,
      gapPercent: lexGapPercent(better ? exact.allocation.objective : heur.allocation.objective, exact.bound),
      solver: 'exact',
      status: exact.status === 'optimal' ? 'optimal' : 'feasible',
    };
  }
  const clash = findConflict(plan.bookings, opts.gaps);
  if (clash) throw new Error(`internal: plan double-books ${clash[0].id} and ${clash[1].id}`);
  plan.bookings = [...plan.bookings].sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  const solveTimeMs = opts.nowMs() - t0;
  return {
    ...plan,
    solveTimeMs,
    ...(opts.weather ? { weather: weatherRisk(plan.bookings, demand, opts.weather.scenarios, opts.weather.seed) } : {}),
  };
}

/** Relative gap at the first lexicographic level where the plan falls short of the proven bound. */
function lexGapPercent(obj: Objective, bound: Objective): number {
  const levels: [number, number][] = [
    [obj.worstPairFraction, bound.worstPairFraction],
    [obj.demandMetBits, bound.demandMetBits],
    [obj.totalKeyBits, bound.totalKeyBits],
  ];
  for (const [x, b] of levels) {
    const rel = (b - x) / Math.max(1e-12, Math.abs(b));
    if (rel > 1e-6) return rel * 100;
  }
  return 0;
}
