/**
 * Robust planning by sample-average approximation with out-of-sample selection (Kleywegt, Shapiro
 * & Homem-de-Mello 2002): draw weather scenarios from the forecast (per station and night, with the
 * same night-to-night persistence as the realised weather), solve the planner once per scenario
 * (each plan is optimal if that scenario comes true; with the exact solver these are MILP solves,
 * with the heuristic its plans), add the expected-value plan, and pick the candidate plan whose
 * CVaR of the worst pair's fraction of demand over a second, independent set of scenarios is
 * highest (the mean over the worst `cvarFraction` of scenarios), then the mean demand met, then the
 * expected key. Ties keep the expected-value plan. The scenario allocation is `allocate`, the
 * planner's own progressive filling, on the passes that the scenario leaves clear.
 */
import { allocate, compareObjectives } from '../../scheduler/domain/allocation.js';
import type { Candidate, Demand } from '../../scheduler/domain/candidate.js';
import type { Plan } from '../../scheduler/domain/plan.js';
import { transition } from './weather.js';

export interface RobustOptions {
  scenarios: number;
  cvarFraction: number;
  persistence: number;
  rand: () => number;
}
type PlanPort = (cands: Candidate[], demand: Demand, fixedIds: ReadonlySet<string>) => Promise<Plan>;

const NIGHT_MS = 12 * 3_600_000;

/**
 * One clear/cloud draw per station-night (passes at a station less than 12 h apart share a night), persistent across
 * nights.
 */
export function drawScenario(cands: readonly Candidate[], persistence: number, rand: () => number): Set<string> {
  const byStation = new Map<string, Candidate[]>();
  for (const c of cands) {
    const l = byStation.get(c.stationId) ?? [];
    l.push(c);
    byStation.set(c.stationId, l);
  }
  const clear = new Set<string>();
  for (const g of [...byStation.keys()].sort()) {
    const list = byStation.get(g)!.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
    let nightStart = -Infinity,
      state = false,
      p0 = -1;
    for (const c of list) {
      if (c.clearSkyProbability >= 1) {
        clear.add(c.id);
        continue;
      }
      if (c.startMs - nightStart > NIGHT_MS) {
        const p1 = c.clearSkyProbability;
        const pc: number =
          p0 < 0 ? p1 : state ? transition(p0, p1, persistence).fromClear : transition(p0, p1, persistence).fromCloudy;
        state = rand() < pc;
        p0 = p1;
        nightStart = c.startMs;
      }
      if (state) clear.add(c.id);
    }
  }
  return clear;
}

const realised = (cands: readonly Candidate[], clear: ReadonlySet<string>): Candidate[] =>
  cands.map((c) => ({ ...c, clearSkyProbability: clear.has(c.id) ? 1 : 0 }));

export interface RobustScore {
  cvarWorst: number;
  meanWorst: number;
  meanMet: number;
  meanKey: number;
}

export function scorePlan(
  bookings: readonly Candidate[],
  demand: Demand,
  scenarios: readonly Set<string>[],
  cvarFraction: number,
): RobustScore {
  const worst: number[] = [];
  let met = 0,
    key = 0;
  for (const sc of scenarios) {
    const a = allocate(realised(bookings, sc), demand, 50);
    worst.push(a.objective.worstPairFraction);
    met += a.objective.demandMetBits;
    key += a.objective.totalKeyBits;
  }
  const sorted = [...worst].sort((x, y) => x - y);
  const k = Math.max(1, Math.ceil(cvarFraction * sorted.length));
  const n = scenarios.length;
  return {
    cvarWorst: sorted.slice(0, k).reduce((s, x) => s + x, 0) / k,
    meanWorst: worst.reduce((s, x) => s + x, 0) / n,
    meanMet: met / n,
    meanKey: key / n,
  };
}

export function compareScores(first: RobustScore, second: RobustScore): number {
  if (Math.abs(first.cvarWorst - second.cvarWorst) > 1e-6) return first.cvarWorst - second.cvarWorst;
  if (Math.abs(first.meanWorst - second.meanWorst) > 1e-6) return first.meanWorst - second.meanWorst;
  return compareObjectives(
    { worstPairFraction: 0, demandMetBits: first.meanMet, totalKeyBits: first.meanKey },
    { worstPairFraction: 0, demandMetBits: second.meanMet, totalKeyBits: second.meanKey },
    1e-6,
  );
}

export async function robustPlan(
  cands: Candidate[],
  demand: Demand,
  fixedIds: ReadonlySet<string>,
  plan: PlanPort,
  options: RobustOptions,
): Promise<Plan> {
  const base = await plan(cands, demand, fixedIds);
  if (!demand.pairs.length || cands.length === 0) return base;
  const train = Array.from({ length: options.scenarios }, () => drawScenario(cands, options.persistence, options.rand));
  const test = Array.from({ length: options.scenarios }, () => drawScenario(cands, options.persistence, options.rand));
  const byId = new Map(cands.map((c) => [c.id, c]));
  let best = base,
    bestScore = scorePlan(base.bookings, demand, test, options.cvarFraction);
  for (const sc of train) {
    const alt = await plan(realised(cands, sc), demand, fixedIds);
    // The alternative's passes, carried with their forecast weights (not the scenario's 0/1).
    const bookings = alt.bookings.map((b) => byId.get(b.id)!);
    const score = scorePlan(bookings, demand, test, options.cvarFraction);
    if (compareScores(score, bestScore) > 0) {
      best = { ...alt, bookings };
      bestScore = score;
    }
  }
  return best;
}
