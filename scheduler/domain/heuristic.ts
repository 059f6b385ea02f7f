/**
 * Fast heuristic: greedy by demand-aware weight, then local improvement by "insert one pass,
 * drop the passes it conflicts with" moves accepted when the lexicographic objective improves,
 * then bottleneck-pair moves (one or two passes at the ends of the shortest pairs) accepted on
 * leximin improvement of the pair fractions (see `bottleneckSearch` in bottleneck.ts).
 * Used alone for huge instances and as the MILP's warm start.
 */
import { allocate, compareObjectives, sharedKey, type Allocation, type FillLevels } from './allocation.js';
import { bottleneckSearch } from './bottleneck.js';
import { weightBits, type Candidate, type Demand, type Gaps } from './candidate.js';
import { conflicts } from './conflicts.js';

export interface HeuristicOptions {
  /** Upper bound on objective evaluations in local improvement (the time budget of a pure function). */
  maxEvaluations?: number;
  /** Upper bound on evaluations of the bottleneck-pair moves that follow (see `bottleneckSearch`). */
  maxBottleneckEvaluations?: number;
  /** Ids that must stay (booked or running inside the frozen horizon). */
  fixedIds?: ReadonlySet<string>;
}

export interface Selection {
  chosen: Candidate[];
  allocation: Allocation;
  evaluations: number;
}

/** Progressive-filling levels of the allocations that steer the search and of the final ones. */
const SEARCH_STEPS = 50;
const FINE_STEPS = 400;

/** Index of each candidate's conflicting candidates (sorted sweep, O(n * overlap)). */
function conflictIndex(cands: readonly Candidate[], gaps: Gaps): number[][] {
  const byStart = cands.map((_, cand) => cand).sort((x, y) => cands[x]!.startMs - cands[y]!.startMs);
  const maxGapMs = Math.max(gaps.stationSlewMs, gaps.satelliteRetargetMs);
  const maxDurationMs = Math.max(0, ...cands.map((cand) => cand.endMs - cand.startMs));
  const conflictsOf: number[][] = cands.map(() => []);
  for (let rank = 0; rank < byStart.length; rank += 1) {
    const first = byStart[rank]!;
    for (let later = rank + 1; later < byStart.length; later += 1) {
      const second = byStart[later]!;
      if (cands[second]!.startMs - cands[first]!.startMs > maxDurationMs + maxGapMs) break;
      if (conflicts(cands[first]!, cands[second]!, gaps)) {
        conflictsOf[first]!.push(second);
        conflictsOf[second]!.push(first);
      }
    }
  }
  return conflictsOf;
}

/** 1 + the station's share of all demand it takes part in (pairs and local), relative to the largest. */
function demandFactor(demand: Demand): (cand: Candidate) => number {
  const involvement = new Map<string, number>();
  const involve = (stationId: string, bits: number) =>
    involvement.set(stationId, (involvement.get(stationId) ?? 0) + bits);
  for (const pair of demand.pairs) for (const stationId of [pair.a, pair.b]) involve(stationId, pair.bits);
  for (const [stationId, bits] of Object.entries(demand.stations)) involve(stationId, bits);
  const max = Math.max(1, ...involvement.values());
  return (cand) => 1 + (involvement.get(cand.stationId) ?? 0) / max;
}

/** The better of two allocations by the lexicographic objective (`later` on ties). */
const better = (earlier: Allocation, later: Allocation): Allocation =>
  compareObjectives(later.objective, earlier.objective) >= 0 ? later : earlier;

/**
 * Two deterministic starts of the local search that differ in how their allocator's levels are cut
 * (see FillLevels): coarse demand levels steer the search by demand met, reachable levels keep the
 * worst pair exact when key is far below demand. Each start's selection is re-allocated finely with
 * reachable levels and the better by the lexicographic objective is kept.
 */
export function heuristicPlan(
  cands: readonly Candidate[],
  demand: Demand,
  gaps: Gaps,
  opts: HeuristicOptions = {},
): Selection {
  const conflictsOf = conflictIndex(cands, gaps);
  const byDemand = localSearch(cands, demand, conflictsOf, opts, 'demand');
  const fine = allocate(byDemand.chosen, demand, FINE_STEPS);
  const demandRun = { ...byDemand, allocation: better(byDemand.allocation, fine) };
  // Already the better of its coarse and fine reachable allocations.
  const reachableRun = localSearch(cands, demand, conflictsOf, opts, 'reachable');
  const best =
    compareObjectives(reachableRun.allocation.objective, demandRun.allocation.objective) > 0 ? reachableRun : demandRun;
  return { ...best, evaluations: demandRun.evaluations + reachableRun.evaluations };
}

/** A selection being searched: which candidates are in the plan, and the queries on it. */
interface SearchState {
  cands: readonly Candidate[];
  demand: Demand;
  conflictsOf: number[][];
  levels: FillLevels;
  isFixed: (cand: number) => boolean;
  inPlan: boolean[];
}

const blocked = (state: SearchState, cand: number) => state.conflictsOf[cand]!.some((rival) => state.inPlan[rival]);
const chosenOf = (state: SearchState) => state.cands.filter((_, cand) => state.inPlan[cand]);
const allocateChosen = (state: SearchState, steps: number) =>
  allocate(chosenOf(state), state.demand, steps, state.levels);

function localSearch(
  cands: readonly Candidate[],
  demand: Demand,
  conflictsOf: number[][],
  opts: HeuristicOptions,
  levels: FillLevels,
): Selection {
  const fixedIds = opts.fixedIds ?? new Set<string>();
  const isFixed = (cand: number) => fixedIds.has(cands[cand]!.id);
  const state: SearchState = { cands, demand, conflictsOf, levels, isFixed, inPlan: cands.map(() => false) };
  const factor = demandFactor(demand);
  const order = cands
    .map((_, cand) => cand)
    .sort(
      (x, y) =>
        Number(isFixed(y)) - Number(isFixed(x)) ||
        weightBits(cands[y]!) * factor(cands[y]!) - weightBits(cands[x]!) * factor(cands[x]!),
    );
  for (const cand of order) if (isFixed(cand)) state.inPlan[cand] = true;
  demandPhase(state);
  for (const cand of order) if (!state.inPlan[cand] && !blocked(state, cand)) state.inPlan[cand] = true;
  const improved = improveByInsertion(state, order, opts.maxEvaluations ?? 1500);
  // Bottleneck-pair search; kept only when it does not lose (by the fine allocation) to what the generic search found.
  const before = [...state.inPlan];
  const bestBefore = better(improved.best, allocateChosen(state, FINE_STEPS));
  const bottleneckBudget = opts.maxBottleneckEvaluations ?? 30_000;
  const evaluations =
    improved.evaluations + bottleneckSearch(cands, demand, conflictsOf, fixedIds, state.inPlan, bottleneckBudget);
  const after = better(allocateChosen(state, SEARCH_STEPS), allocateChosen(state, FINE_STEPS));
  if (compareObjectives(after.objective, bestBefore.objective) >= 0)
    return { chosen: chosenOf(state), allocation: after, evaluations };
  state.inPlan.splice(0, before.length, ...before);
  return { chosen: chosenOf(state), allocation: bestBefore, evaluations };
}

/**
 * Insertion moves in `order`: insert a free pass with expected key, drop the (at most two, not
 * fixed) passes it conflicts with and greedily refill what they freed; kept when the objective
 * improves. Repeats until a sweep improves nothing or `budget` evaluations are used.
 */
function improveByInsertion(
  state: SearchState,
  order: number[],
  budget: number,
): { best: Allocation; evaluations: number } {
  const { cands, conflictsOf, inPlan } = state;
  let best = allocateChosen(state, SEARCH_STEPS);
  let evaluations = 1;
  let improved = true;
  while (improved && evaluations < budget) {
    improved = false;
    for (const cand of order) {
      if (inPlan[cand] || evaluations >= budget || weightBits(cands[cand]!) <= 0) continue;
      const blockers = conflictsOf[cand]!.filter((rival) => inPlan[rival]);
      if (blockers.some(state.isFixed) || blockers.length > 2) continue;
      for (const blocker of blockers) inPlan[blocker] = false;
      inPlan[cand] = true;
      const refilled: number[] = [];
      for (const blocker of blockers)
        for (const freed of conflictsOf[blocker]!)
          if (!inPlan[freed] && freed !== blocker && !blocked(state, freed)) {
            inPlan[freed] = true;
            refilled.push(freed);
          }
      const trial = allocateChosen(state, SEARCH_STEPS);
      evaluations += 1;
      if (compareObjectives(trial.objective, best.objective, 1e-6) > 0) {
        best = trial;
        improved = true;
        continue;
      }
      for (const freed of refilled) inPlan[freed] = false;
      inPlan[cand] = false;
      for (const blocker of blockers) inPlan[blocker] = true;
    }
  }
  return { best, evaluations };
}

/**
 * Demand-driven phase: while some pair is short, add the free pass that most raises the worst
 * pair's bottleneck through one satellite (min of what its two ends share with that satellite).
 */
function demandPhase(state: SearchState): void {
  const { cands, inPlan } = state;
  const stuck = new Set<string>();
  for (let guard = 0; guard < cands.length; guard += 1) {
    const open = allocateChosen(state, SEARCH_STEPS).pairs.filter(
      (pair) => pair.deliveredBits < pair.demandBits * (1 - 1e-9) && !stuck.has(`${pair.a}~${pair.b}`),
    );
    if (!open.length) return;
    const fraction = (pair: (typeof open)[number]) => pair.deliveredBits / pair.demandBits;
    const worst = open.reduce((x, y) => (fraction(x) <= fraction(y) ? x : y));
    const shared = sharedKey(chosenOf(state));
    const sharedBits = (stationId: string, noradId: number) => shared.get(stationId)?.get(noradId) ?? 0;
    let bestCand = -1;
    let bestGain = 0;
    cands.forEach((cand, index) => {
      if (inPlan[index] || (cand.stationId !== worst.a && cand.stationId !== worst.b)) return;
      const own = sharedBits(cand.stationId, cand.noradId);
      const other = sharedBits(cand.stationId === worst.a ? worst.b : worst.a, cand.noradId);
      // A pass whose satellite the other end has no key with yet gets a small bonus (it opens a route).
      const gain =
        Math.min(own + weightBits(cand), other) - Math.min(own, other) + (other === 0 ? 1e-3 * weightBits(cand) : 0);
      if (gain > bestGain && !blocked(state, index)) {
        bestGain = gain;
        bestCand = index;
      }
    });
    if (bestCand < 0) stuck.add(`${worst.a}~${worst.b}`);
    else inPlan[bestCand] = true;
  }
}
