/**
 * Fast heuristic: greedy by demand-aware weight, then local improvement by "insert one pass,
 * drop the passes it conflicts with" moves accepted when the lexicographic objective improves,
 * then bottleneck-pair moves (one or two passes at the ends of the shortest pairs) accepted on
 * leximin improvement of the pair fractions (see `bottleneckSearch`).
 * Used alone for huge instances and as the MILP's warm start.
 */
import {
  activePairs,
  allocate,
  compareObjectives,
  progressiveFill,
  sharedKey,
  type Allocation,
  type FillLevels,
} from './allocation.js';
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

/** Index of each candidate's conflicting candidates (sorted sweep, O(n * overlap)). */
export function conflictIndex(cands: readonly Candidate[], gaps: Gaps): number[][] {
  const order = cands.map((_, i) => i).sort((a, b) => cands[a]!.startMs - cands[b]!.startMs);
  const maxGap = Math.max(gaps.stationSlewMs, gaps.satelliteRetargetMs);
  const maxDur = Math.max(0, ...cands.map((c) => c.endMs - c.startMs));
  const out: number[][] = cands.map(() => []);
  for (let u = 0; u < order.length; u += 1) {
    const i = order[u]!;
    for (let v = u + 1; v < order.length; v += 1) {
      const j = order[v]!;
      if (cands[j]!.startMs - cands[i]!.startMs > maxDur + maxGap) break;
      if (conflicts(cands[i]!, cands[j]!, gaps)) {
        out[i]!.push(j);
        out[j]!.push(i);
      }
    }
  }
  return out;
}

function demandFactor(demand: Demand): (c: Candidate) => number {
  const involvement = new Map<string, number>();
  for (const p of demand.pairs) for (const g of [p.a, p.b]) involvement.set(g, (involvement.get(g) ?? 0) + p.bits);
  for (const [g, bits] of Object.entries(demand.stations)) involvement.set(g, (involvement.get(g) ?? 0) + bits);
  const max = Math.max(1, ...involvement.values());
  return (c) => 1 + (involvement.get(c.stationId) ?? 0) / max;
}

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
  const runs = (['demand', 'reachable'] as const).map((levels) => {
    const r = localSearch(cands, demand, conflictsOf, opts, levels);
    if (levels === 'reachable') return r; // its result already is the better of the coarse and the fine reachable allocation
    const fine = allocate(r.chosen, demand, 400);
    return compareObjectives(fine.objective, r.allocation.objective) >= 0 ? { ...r, allocation: fine } : r;
  });
  const best =
    compareObjectives(runs[1]!.allocation.objective, runs[0]!.allocation.objective) > 0 ? runs[1]! : runs[0]!;
  return { ...best, evaluations: runs[0]!.evaluations + runs[1]!.evaluations };
}

function localSearch(
  cands: readonly Candidate[],
  demand: Demand,
  conflictsOf: number[][],
  opts: HeuristicOptions,
  levels: FillLevels,
): Selection {
  const fixed = opts.fixedIds ?? new Set<string>();
  const factor = demandFactor(demand);
  const inPlan = new Array<boolean>(cands.length).fill(false);
  const blocked = (i: number) => conflictsOf[i]!.some((j) => inPlan[j]);
  const order = cands
    .map((_, i) => i)
    .sort(
      (a, b) =>
        Number(fixed.has(cands[b]!.id)) - Number(fixed.has(cands[a]!.id)) ||
        weightBits(cands[b]!) * factor(cands[b]!) - weightBits(cands[a]!) * factor(cands[a]!),
    );
  for (const i of order) if (fixed.has(cands[i]!.id)) inPlan[i] = true;
  const chosen = () => cands.filter((_, i) => inPlan[i]);
  demandPhase(cands, demand, inPlan, blocked, chosen, levels);
  for (const i of order) if (!inPlan[i] && !blocked(i)) inPlan[i] = true;

  let best = allocate(chosen(), demand, 50, levels);
  let evaluations = 1;
  const budget = opts.maxEvaluations ?? 1500;
  let improved = true;
  while (improved && evaluations < budget) {
    improved = false;
    for (const i of order) {
      if (inPlan[i] || evaluations >= budget || weightBits(cands[i]!) <= 0) continue;
      const blockers = conflictsOf[i]!.filter((j) => inPlan[j]);
      if (blockers.some((j) => fixed.has(cands[j]!.id)) || blockers.length > 2) continue;
      for (const j of blockers) inPlan[j] = false;
      inPlan[i] = true;
      // Refill what the removed passes freed, greedily.
      const refilled: number[] = [];
      for (const j of blockers)
        for (const k of conflictsOf[j]!)
          if (!inPlan[k] && k !== j && !blocked(k)) {
            inPlan[k] = true;
            refilled.push(k);
          }
      const trial = allocate(chosen(), demand, 50, levels);
      evaluations += 1;
      if (compareObjectives(trial.objective, best.objective, 1e-6) > 0) {
        best = trial;
        improved = true;
        continue;
      }
      for (const k of refilled) inPlan[k] = false;
      inPlan[i] = false;
      for (const j of blockers) inPlan[j] = true;
    }
  }
  // Bottleneck-pair search; kept only when it does not lose (by the fine allocation) to what the generic search found.
  const before = [...inPlan];
  const fineBefore = allocate(chosen(), demand, 400, levels);
  const bestBefore = compareObjectives(fineBefore.objective, best.objective) >= 0 ? fineBefore : best;
  evaluations += bottleneckSearch(cands, demand, conflictsOf, fixed, inPlan, opts.maxBottleneckEvaluations ?? 30_000);
  const after = [allocate(chosen(), demand, 50, levels), allocate(chosen(), demand, 400, levels)].reduce((x, y) =>
    compareObjectives(y.objective, x.objective) >= 0 ? y : x,
  );
  if (compareObjectives(after.objective, bestBefore.objective) >= 0)
    return { chosen: chosen(), allocation: after, evaluations };
  before.forEach((v, i) => {
    inPlan[i] = v;
  });
  return { chosen: chosen(), allocation: bestBefore, evaluations };
}

/**
 * Demand-driven phase: while some pair is short, add the free pass that most raises the worst
 * pair's bottleneck through one satellite (min of what its two ends share with that satellite).
 */
function demandPhase(
  cands: readonly Candidate[],
  demand: Demand,
  inPlan: boolean[],
  blocked: (i: number) => boolean,
  chosen: () => Candidate[],
  levels: FillLevels,
): void {
  const stuck = new Set<string>();
  for (let guard = 0; guard < cands.length; guard += 1) {
    const alloc = allocate(chosen(), demand, 50, levels);
    const open = alloc.pairs.filter((p) => p.deliveredBits < p.demandBits * (1 - 1e-9) && !stuck.has(`${p.a}~${p.b}`));
    if (!open.length) return;
    const worst = open.reduce((a, b) => (a.deliveredBits / a.demandBits <= b.deliveredBits / b.demandBits ? a : b));
    const k = sharedKey(chosen());
    const K = (g: string, s: number) => k.get(g)?.get(s) ?? 0;
    let best = -1,
      bestGain = 0;
    cands.forEach((c, i) => {
      if (inPlan[i] || (c.stationId !== worst.a && c.stationId !== worst.b)) return;
      const other = c.stationId === worst.a ? worst.b : worst.a;
      const before = Math.min(K(c.stationId, c.noradId), K(other, c.noradId));
      const gain =
        Math.min(K(c.stationId, c.noradId) + weightBits(c), K(other, c.noradId) + (K(other, c.noradId) > 0 ? 0 : 0)) -
        before +
        (K(other, c.noradId) === 0 ? 1e-3 * weightBits(c) : 0);
      if (gain > bestGain && !blocked(i)) {
        bestGain = gain;
        best = i;
      }
    });
    if (best < 0) stuck.add(`${worst.a}~${worst.b}`);
    else inPlan[best] = true;
  }
}

interface FastEval {
  fr: number[];
  sorted: number[];
  worst: number;
  demandMet: number;
  key: number;
  rem: Float64Array;
}

/** Leximin on the sorted pair fractions, then demand met, then key; > 0 when a is better. */
function compareFast(a: FastEval, b: FastEval): number {
  for (let k = 0; k < a.sorted.length; k += 1)
    if (Math.abs(a.sorted[k]! - b.sorted[k]!) > 1e-6) return a.sorted[k]! - b.sorted[k]!;
  return compareObjectives(
    { worstPairFraction: a.worst, demandMetBits: a.demandMet, totalKeyBits: a.key },
    { worstPairFraction: b.worst, demandMetBits: b.demandMet, totalKeyBits: b.key },
    1e-6,
  );
}

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
 * Returns the evaluations used.
 */
function bottleneckSearch(
  cands: readonly Candidate[],
  demand: Demand,
  conflictsOf: number[][],
  fixed: ReadonlySet<string>,
  inPlan: boolean[],
  budget: number,
  steps = 100,
): number {
  const pairs = activePairs(demand);
  if (!pairs.length || budget <= 0) return 0;
  const gIdx = new Map<string, number>(),
    sIdx = new Map<number, number>();
  const gOf = (g: string) => {
    let v = gIdx.get(g);
    if (v === undefined) gIdx.set(g, (v = gIdx.size));
    return v;
  };
  const gi = cands.map((c) => gOf(c.stationId));
  const si = cands.map((c) => {
    let v = sIdx.get(c.noradId);
    if (v === undefined) sIdx.set(c.noradId, (v = sIdx.size));
    return v;
  });
  const pa = pairs.map((p) => gOf(p.a)),
    pb = pairs.map((p) => gOf(p.b)),
    pbits = pairs.map((p) => p.bits);
  const local = Object.entries(demand.stations)
    .filter(([, b]) => b > 0)
    .map(([g, b]) => [gOf(g), b] as const);
  const nS = Math.max(1, sIdx.size);
  const w = cands.map(weightBits);
  const K = new Float64Array(gIdx.size * nS);
  let key = 0;
  const set = (i: number, on: boolean) => {
    if (inPlan[i] === on) return;
    inPlan[i] = on;
    const d = on ? w[i]! : -w[i]!;
    K[gi[i]! * nS + si[i]!]! += d;
    key += d;
  };
  cands.forEach((_, i) => {
    if (inPlan[i]) {
      K[gi[i]! * nS + si[i]!]! += w[i]!;
      key += w[i]!;
    }
  });
  const evaluate = (): FastEval => {
    const rem = K.slice();
    const delivered = progressiveFill(rem, nS, pa, pb, pbits, steps);
    let demandMet = 0;
    const fr: number[] = [];
    for (let n = 0; n < pairs.length; n += 1) {
      demandMet += delivered[n]!;
      fr.push(Math.min(1, delivered[n]! / pbits[n]!));
    }
    for (const [g, bits] of local) {
      let left = 0;
      for (let s = 0; s < nS; s += 1) left += Math.max(0, rem[g * nS + s]!);
      demandMet += Math.min(bits, left);
    }
    const sorted = [...fr].sort((x, y) => x - y);
    return { sorted, worst: sorted[0]!, demandMet, key, rem, fr };
  };
  const isFixed = (i: number) => fixed.has(cands[i]!.id);
  const byStation: number[][] = Array.from({ length: gIdx.size }, () => []);
  cands.forEach((_, i) => {
    if (w[i]! > 0) byStation[gi[i]!]!.push(i);
  });
  for (const l of byStation) l.sort((a, b) => w[b]! - w[a]! || a - b);
  const apply = (add: number[]): (() => void) | undefined => {
    const dropped = new Set<number>();
    for (const i of add)
      for (const j of conflictsOf[i]!)
        if (inPlan[j]) {
          if (isFixed(j)) return undefined;
          dropped.add(j);
        }
    if (add.some((i) => add.some((j) => j !== i && conflictsOf[i]!.includes(j)))) return undefined;
    for (const j of dropped) set(j, false);
    for (const i of add) set(i, true);
    const refilled: number[] = [];
    for (const j of dropped)
      for (const k of conflictsOf[j]!)
        if (w[k]! > 0 && !inPlan[k] && !conflictsOf[k]!.some((x) => inPlan[x])) {
          set(k, true);
          refilled.push(k);
        }
    return () => {
      for (const k of refilled) set(k, false);
      for (const i of add) set(i, false);
      for (const j of dropped) set(j, true);
    };
  };
  let cur = evaluate();
  let bestObj = cur;
  let bestPlan = [...inPlan];
  const moves = (n: number): number[][] => {
    const a = pa[n]!,
      b = pb[n]!;
    const resid = (g: number, s: number) => Math.max(0, cur.rem[g * nS + s]!);
    const fa = byStation[a]!.filter((i) => !inPlan[i]),
      fb = byStation[b]!.filter((i) => !inPlan[i]);
    const out: { add: number[]; gain: number }[] = [];
    for (const [mine, other] of [
      [fa, b],
      [fb, a],
    ] as const) {
      for (const i of mine) {
        const s = si[i]!,
          g = gi[i]!;
        const gain = Math.min(resid(g, s) + w[i]!, resid(other, s)) - Math.min(resid(g, s), resid(other, s));
        if (gain > 0) out.push({ add: [i], gain });
      }
    }
    const top = 4;
    for (let s = 0; s < nS; s += 1) {
      const sa = fa.filter((i) => si[i] === s).slice(0, top),
        sb = fb.filter((i) => si[i] === s).slice(0, top);
      for (const i of sa)
        for (const j of sb) {
          const gain = Math.min(resid(a, s) + w[i]!, resid(b, s) + w[j]!) - Math.min(resid(a, s), resid(b, s));
          if (gain > 0) out.push({ add: [i, j], gain });
        }
    }
    return out
      .sort((x, y) => y.gain - x.gain || x.add[0]! - y.add[0]! || (x.add[1] ?? -1) - (y.add[1] ?? -1))
      .map((m) => m.add);
  };
  let evaluations = 1;
  let improved = true;
  while (improved && evaluations < budget) {
    improved = false;
    const short = pairs
      .map((_, n) => n)
      .filter((n) => cur.fr[n]! < 1 - 1e-9)
      .sort((x, y) => cur.fr[x]! - cur.fr[y]! || x - y);
    for (const n of short) {
      for (const add of moves(n)) {
        if (evaluations >= budget) break;
        const undo = apply(add);
        if (!undo) continue;
        const trial = evaluate();
        evaluations += 1;
        if (compareFast(trial, cur) > 0) {
          cur = trial;
          improved = true;
          if (
            compareObjectives(
              { worstPairFraction: cur.worst, demandMetBits: cur.demandMet, totalKeyBits: cur.key },
              { worstPairFraction: bestObj.worst, demandMetBits: bestObj.demandMet, totalKeyBits: bestObj.key },
              1e-6,
            ) > 0
          ) {
            bestObj = cur;
            bestPlan = [...inPlan];
          }
          break;
        }
        undo();
      }
      if (improved || evaluations >= budget) break;
    }
  }
  bestPlan.forEach((v, i) => {
    inPlan[i] = v;
  });
  return evaluations;
}
