/**
 * Bottleneck-pair moves. Raising the worst pair needs key that BOTH its ends share with one
 * satellite, which generic single inserts rarely buy. For each short pair, worst first, the moves
 * are: insert one free pass at either end, or two passes with the same satellite, one at each
 * end; a move drops the non-fixed passes it conflicts with and greedily refills what they freed.
 * Moves are ranked by their estimated gain for the pair (key left unused at the other end with
 * that satellite after the current allocation bounds what a new pass can add; moves with no
 * estimated gain are skipped) and accepted on leximin improvement of the sorted pair fractions,
 * so ties at the bottom do not stall the search. The evaluator is `allocate`'s progressive
 * filling on an incrementally maintained station x satellite key table (no allocation per move).
 * The best selection by the lexicographic objective is kept. Deterministic (ties by index).
 */
import { activePairs, compareObjectives, progressiveFill, type Objective } from './allocation.js';
import { weightBits, type Candidate, type Demand } from './candidate.js';

/** Same-satellite passes per end tried in the two-pass moves (the heaviest ones). */
const PASSES_PER_END_AND_SATELLITE = 4;
/** Tolerance of the pair fractions in the leximin comparison and of the objective. */
const FRACTION_TOLERANCE = 1e-6;

/** The instance in dense indices: stations and satellites numbered in order of first appearance. */
interface DenseInstance {
  /** Per candidate: its station's index, its satellite's index and its expected key (`weightBits`). */
  stationOf: number[];
  satelliteOf: number[];
  weightOf: number[];
  stationCount: number;
  /** Columns of the key table (at least 1). */
  satelliteCount: number;
  /** Per active pair: the indices of its two stations and its demand. */
  pairStationA: number[];
  pairStationB: number[];
  pairBits: number[];
  /** Local demand (bits > 0) by station index. */
  stationDemand: (readonly [station: number, bits: number])[];
  /** Per station: its candidates with expected key, heaviest first (ties by index). */
  candidatesByStation: number[][];
}

/** One evaluation of a selection by progressive filling. */
interface Evaluation {
  pairFractions: number[];
  sortedFractions: number[];
  objective: Objective;
  /** Station x satellite key left after the pairs' allocation. */
  residualKey: Float64Array;
}

function indexIn<T>(indices: Map<T, number>, value: T): number {
  let index = indices.get(value);
  if (index === undefined) indices.set(value, (index = indices.size));
  return index;
}

function denseInstance(cands: readonly Candidate[], demand: Demand): DenseInstance {
  const stations = new Map<string, number>();
  const satellites = new Map<number, number>();
  const stationOf = cands.map((cand) => indexIn(stations, cand.stationId));
  const satelliteOf = cands.map((cand) => indexIn(satellites, cand.noradId));
  const pairs = activePairs(demand);
  const pairStationA = pairs.map((pair) => indexIn(stations, pair.a));
  const pairStationB = pairs.map((pair) => indexIn(stations, pair.b));
  const stationDemand = Object.entries(demand.stations)
    .filter(([, bits]) => bits > 0)
    .map(([stationId, bits]) => [indexIn(stations, stationId), bits] as const);
  const weightOf = cands.map(weightBits);
  const candidatesByStation: number[][] = Array.from({ length: stations.size }, () => []);
  cands.forEach((_, cand) => {
    if (weightOf[cand]! > 0) candidatesByStation[stationOf[cand]!]!.push(cand);
  });
  for (const list of candidatesByStation) list.sort((x, y) => weightOf[y]! - weightOf[x]! || x - y);
  return {
    stationOf,
    satelliteOf,
    weightOf,
    stationCount: stations.size,
    satelliteCount: Math.max(1, satellites.size),
    pairStationA,
    pairStationB,
    pairBits: pairs.map((pair) => pair.bits),
    stationDemand,
    candidatesByStation,
  };
}

/** The selection (`inPlan`, shared with the caller) and the key table it yields, kept in step. */
class KeyTable {
  readonly keyBits: Float64Array;
  totalKeyBits = 0;

  constructor(
    readonly instance: DenseInstance,
    readonly inPlan: boolean[],
  ) {
    this.keyBits = new Float64Array(instance.stationCount * instance.satelliteCount);
    inPlan.forEach((selected, cand) => {
      if (selected) this.addKey(cand, instance.weightOf[cand]!);
    });
  }

  set(cand: number, selected: boolean): void {
    if (this.inPlan[cand] === selected) return;
    this.inPlan[cand] = selected;
    const weight = this.instance.weightOf[cand]!;
    this.addKey(cand, selected ? weight : -weight);
  }

  private addKey(cand: number, bits: number): void {
    const { stationOf, satelliteOf, satelliteCount } = this.instance;
    this.keyBits[stationOf[cand]! * satelliteCount + satelliteOf[cand]!]! += bits;
    this.totalKeyBits += bits;
  }
}

function evaluate(instance: DenseInstance, table: KeyTable, steps: number): Evaluation {
  const { satelliteCount, pairStationA, pairStationB, pairBits } = instance;
  const residualKey = table.keyBits.slice();
  const delivered = progressiveFill(residualKey, satelliteCount, pairStationA, pairStationB, pairBits, steps);
  let demandMetBits = 0;
  const pairFractions: number[] = [];
  for (let pair = 0; pair < pairBits.length; pair += 1) {
    demandMetBits += delivered[pair]!;
    pairFractions.push(Math.min(1, delivered[pair]! / pairBits[pair]!));
  }
  for (const [station, bits] of instance.stationDemand) {
    let left = 0;
    for (let sat = 0; sat < satelliteCount; sat += 1) left += Math.max(0, residualKey[station * satelliteCount + sat]!);
    demandMetBits += Math.min(bits, left);
  }
  const sortedFractions = [...pairFractions].sort((x, y) => x - y);
  const objective = { worstPairFraction: sortedFractions[0]!, demandMetBits, totalKeyBits: table.totalKeyBits };
  return { pairFractions, sortedFractions, objective, residualKey };
}

/** Leximin on the sorted pair fractions, then the lexicographic objective; > 0 when `a` is better. */
function compareLeximin(a: Evaluation, b: Evaluation): number {
  for (let rank = 0; rank < a.sortedFractions.length; rank += 1) {
    const difference = a.sortedFractions[rank]! - b.sortedFractions[rank]!;
    if (Math.abs(difference) > FRACTION_TOLERANCE) return difference;
  }
  return compareObjectives(a.objective, b.objective, FRACTION_TOLERANCE);
}

/** The passes to add for a pair's moves, best estimated gain first (ties by index). */
function rankedMoves(pair: number, instance: DenseInstance, inPlan: boolean[], residualKey: Float64Array): number[][] {
  const { satelliteOf, weightOf, satelliteCount } = instance;
  const stationA = instance.pairStationA[pair]!;
  const stationB = instance.pairStationB[pair]!;
  const residual = (station: number, sat: number) => Math.max(0, residualKey[station * satelliteCount + sat]!);
  const freeAtA = instance.candidatesByStation[stationA]!.filter((cand) => !inPlan[cand]);
  const freeAtB = instance.candidatesByStation[stationB]!.filter((cand) => !inPlan[cand]);
  const moves: { add: number[]; gain: number }[] = [];
  for (const [ownStation, free, otherStation] of [
    [stationA, freeAtA, stationB],
    [stationB, freeAtB, stationA],
  ] as const) {
    for (const cand of free) {
      const sat = satelliteOf[cand]!;
      const own = residual(ownStation, sat);
      const other = residual(otherStation, sat);
      const gain = Math.min(own + weightOf[cand]!, other) - Math.min(own, other);
      if (gain > 0) moves.push({ add: [cand], gain });
    }
  }
  for (let sat = 0; sat < satelliteCount; sat += 1) {
    const heaviestAtA = freeAtA.filter((cand) => satelliteOf[cand] === sat).slice(0, PASSES_PER_END_AND_SATELLITE);
    const heaviestAtB = freeAtB.filter((cand) => satelliteOf[cand] === sat).slice(0, PASSES_PER_END_AND_SATELLITE);
    const atA = residual(stationA, sat);
    const atB = residual(stationB, sat);
    for (const candA of heaviestAtA)
      for (const candB of heaviestAtB) {
        const gain = Math.min(atA + weightOf[candA]!, atB + weightOf[candB]!) - Math.min(atA, atB);
        if (gain > 0) moves.push({ add: [candA, candB], gain });
      }
  }
  return moves
    .sort((x, y) => y.gain - x.gain || x.add[0]! - y.add[0]! || (x.add[1] ?? -1) - (y.add[1] ?? -1))
    .map((move) => move.add);
}

/**
 * Adds `add`, drops the passes it conflicts with and greedily refills what they freed. Returns the
 * undo, or undefined (nothing changed) when the move would drop a fixed pass or adds two passes
 * that conflict with each other.
 */
function applyMove(
  add: number[],
  table: KeyTable,
  conflictsOf: number[][],
  isFixed: (cand: number) => boolean,
): (() => void) | undefined {
  const { inPlan } = table;
  const dropped = new Set<number>();
  for (const cand of add)
    for (const rival of conflictsOf[cand]!)
      if (inPlan[rival]) {
        if (isFixed(rival)) return undefined;
        dropped.add(rival);
      }
  if (add.some((cand) => add.some((other) => other !== cand && conflictsOf[cand]!.includes(other)))) return undefined;
  for (const cand of dropped) table.set(cand, false);
  for (const cand of add) table.set(cand, true);
  const refilled: number[] = [];
  for (const freed of dropped)
    for (const cand of conflictsOf[freed]!)
      if (table.instance.weightOf[cand]! > 0 && !inPlan[cand] && !conflictsOf[cand]!.some((rival) => inPlan[rival])) {
        table.set(cand, true);
        refilled.push(cand);
      }
  return () => {
    for (const cand of refilled) table.set(cand, false);
    for (const cand of add) table.set(cand, false);
    for (const cand of dropped) table.set(cand, true);
  };
}

/** Indices of the pairs below their demand, worst fraction first (ties by index). */
const shortPairsWorstFirst = (fractions: number[]): number[] =>
  fractions
    .map((_, pair) => pair)
    .filter((pair) => fractions[pair]! < 1 - 1e-9)
    .sort((x, y) => fractions[x]! - fractions[y]! || x - y);

/**
 * Runs the bottleneck-pair moves on `inPlan` (changed in place to the best selection found) within
 * `budget` evaluations, each a progressive filling in `steps` levels. Returns the evaluations used.
 */
export function bottleneckSearch(
  cands: readonly Candidate[],
  demand: Demand,
  conflictsOf: number[][],
  fixedIds: ReadonlySet<string>,
  inPlan: boolean[],
  budget: number,
  steps = 100,
): number {
  if (!activePairs(demand).length || budget <= 0) return 0;
  const instance = denseInstance(cands, demand);
  const table = new KeyTable(instance, inPlan);
  const isFixed = (cand: number) => fixedIds.has(cands[cand]!.id);
  let current = evaluate(instance, table, steps);
  let best = current;
  let bestPlan = [...inPlan];
  let evaluations = 1;
  let improved = true;
  while (improved && evaluations < budget) {
    improved = false;
    for (const pair of shortPairsWorstFirst(current.pairFractions)) {
      for (const add of rankedMoves(pair, instance, inPlan, current.residualKey)) {
        if (evaluations >= budget) break;
        const undo = applyMove(add, table, conflictsOf, isFixed);
        if (!undo) continue;
        const trial = evaluate(instance, table, steps);
        evaluations += 1;
        if (compareLeximin(trial, current) > 0) {
          current = trial;
          improved = true;
          if (compareObjectives(current.objective, best.objective, FRACTION_TOLERANCE) > 0) {
            best = current;
            bestPlan = [...inPlan];
          }
          break;
        }
        undo();
      }
      if (improved || evaluations >= budget) break;
    }
  }
  bestPlan.forEach((selected, cand) => {
    inPlan[cand] = selected;
  });
  return evaluations;
}
