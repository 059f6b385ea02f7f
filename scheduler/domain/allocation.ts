/**
 * Demand and the lexicographic objective. Key a station shares with satellite s (K[g,s]) is the
 * expected key of its selected passes with s. A pair (a, b) gets key relayed through s as trusted
 * node, limited by what each end shares with s; the satellite stores key between passes, so over
 * the horizon the limits are totals: sum over pairs at g via s + local use at g via s <= K[g,s].
 * Objective, in order: worst pair's fraction of demand met, total demand met, total key.
 *
 * `allocate` is the fast pure allocator (progressive filling) used by the heuristic; the MILP
 * allocates exactly. Both return the same `Allocation` shape.
 */
import { weightBits, type Candidate, type Demand } from './candidate.js';

export interface Objective {
  /** Worst pair's delivered/demand (1 when there is no pair demand). */
  worstPairFraction: number;
  demandMetBits: number;
  totalKeyBits: number;
}

export interface PairResult {
  a: string;
  b: string;
  demandBits: number;
  deliveredBits: number;
  via: Record<string, number>;
}

export interface Allocation {
  objective: Objective;
  pairs: PairResult[];
  stationMetBits: Record<string, number>;
}

const EPS = 1e-9;

/**
 * Lexicographic comparison; > 0 when `first` is better. Each level has a relative tolerance and an
 * absolute floor (1e-6 of a fraction, 1 bit) so solver round-off never decides.
 */
export function compareObjectives(first: Objective, second: Objective, relTol = 1e-9): number {
  const levels: [number, number, number][] = [
    [first.worstPairFraction, second.worstPairFraction, 1e-6],
    [first.demandMetBits, second.demandMetBits, 1],
    [first.totalKeyBits, second.totalKeyBits, 1],
  ];
  for (const [x, y, abs] of levels) {
    if (Math.abs(x - y) > Math.max(abs, relTol * Math.max(Math.abs(x), Math.abs(y)))) return x - y;
  }
  return 0;
}

/** K[g][s]: expected key station g shares with satellite s. */
export function sharedKey(chosen: readonly Candidate[]): Map<string, Map<number, number>> {
  const k = new Map<string, Map<number, number>>();
  for (const c of chosen) {
    let row = k.get(c.stationId);
    if (!row) k.set(c.stationId, (row = new Map()));
    row.set(c.noradId, (row.get(c.noradId) ?? 0) + weightBits(c));
  }
  return k;
}

export const activePairs = (demand: Demand) => demand.pairs.filter((p) => p.bits > 0 && p.a !== p.b);

/**
 * What the filling levels divide: the highest fraction any pair can reach ('reachable', exact to
 * one level whatever the supply) or the demand itself ('demand': coarse levels of 1/steps of the
 * demand; when key is far below demand the first pair takes it all).
 */
export type FillLevels = 'reachable' | 'demand';

/**
 * Progressive filling on a station x satellite key table `rem` (row g, column s, `nS` columns),
 * consumed in place. Every unsaturated pair's delivered fraction is raised in `steps` equal levels
 * up to the highest fraction any pair could reach (so the levels follow the key that exists, not
 * the demand: 1 kbit of key against 1 Gbit of demand is still shared fairly; see FillLevels), each level through
 * the satellite with most common key left. `onVia(n, s, bits)` reports each transfer.
 * Returns the bits delivered per pair.
 */
export function progressiveFill(
  rem: Float64Array,
  nS: number,
  pa: ArrayLike<number>,
  pb: ArrayLike<number>,
  pbits: ArrayLike<number>,
  steps: number,
  onVia?: (n: number, s: number, bits: number) => void,
  levels: FillLevels = 'reachable',
): Float64Array {
  const nP = pbits.length;
  const delivered = new Float64Array(nP);
  let top = 0;
  for (let n = 0; n < nP; n += 1) {
    let common = 0;
    for (let s = 0; s < nS; s += 1) common += Math.max(0, Math.min(rem[pa[n]! * nS + s]!, rem[pb[n]! * nS + s]!));
    top = Math.max(top, Math.min(1, common / pbits[n]!));
  }
  if (top <= 0) return delivered;
  if (levels === 'demand') top = 1;
  const frozen = new Uint8Array(nP);
  for (let step = 1; step <= steps; step += 1) {
    for (let n = 0; n < nP; n += 1) {
      if (frozen[n]) continue;
      let need = (pbits[n]! * top * step) / steps - delivered[n]!;
      const a = pa[n]! * nS,
        b = pb[n]! * nS;
      while (need > EPS * Math.max(1, pbits[n]! * top)) {
        let best = -1,
          bestCap = 0;
        for (let s = 0; s < nS; s += 1) {
          const cap = Math.min(rem[a + s]!, rem[b + s]!);
          if (cap > bestCap) {
            bestCap = cap;
            best = s;
          }
        }
        if (best < 0 || bestCap <= EPS * Math.max(1, pbits[n]! * top)) {
          frozen[n] = 1;
          break;
        }
        const v = Math.min(need, bestCap);
        rem[a + best]! -= v;
        rem[b + best]! -= v;
        delivered[n]! += v;
        need -= v;
        onVia?.(n, best, v);
      }
    }
  }
  return delivered;
}

/** Progressive filling (see `progressiveFill`) of the pairs' demand from the chosen passes' shared key. */
export function allocate(
  chosen: readonly Candidate[],
  demand: Demand,
  steps = 50,
  levels: FillLevels = 'reachable',
): Allocation {
  const gIdx = new Map<string, number>(),
    sats: number[] = [];
  const gOf = (g: string) => {
    let v = gIdx.get(g);
    if (v === undefined) gIdx.set(g, (v = gIdx.size));
    return v;
  };
  for (const c of chosen) {
    gOf(c.stationId);
    if (!sats.includes(c.noradId)) sats.push(c.noradId);
  }
  const pairs = activePairs(demand);
  const pa = pairs.map((p) => gOf(p.a)),
    pb = pairs.map((p) => gOf(p.b));
  for (const g of Object.keys(demand.stations)) gOf(g);
  const nS = Math.max(1, sats.length);
  const rem = new Float64Array(gIdx.size * nS);
  for (const c of chosen) rem[gOf(c.stationId) * nS + sats.indexOf(c.noradId)]! += weightBits(c);
  const via = pairs.map(() => new Map<number, number>());
  const delivered = progressiveFill(
    rem,
    nS,
    pa,
    pb,
    pairs.map((p) => p.bits),
    steps,
    (n, s, v) => via[n]!.set(sats[s]!, (via[n]!.get(sats[s]!) ?? 0) + v),
    levels,
  );
  const stationMetBits: Record<string, number> = {};
  for (const [g, bits] of Object.entries(demand.stations)) {
    let left = 0;
    for (let s = 0; s < nS; s += 1) left += Math.max(0, rem[gOf(g) * nS + s]!);
    stationMetBits[g] = Math.min(bits, left);
  }
  const results: PairResult[] = pairs.map((p, n) => ({
    a: p.a,
    b: p.b,
    demandBits: p.bits,
    deliveredBits: delivered[n]!,
    via: Object.fromEntries([...via[n]!].map(([s, v]) => [String(s), v])),
  }));
  return { objective: objectiveOf(chosen, results, stationMetBits), pairs: results, stationMetBits };
}

export function objectiveOf(
  chosen: readonly Candidate[],
  pairs: PairResult[],
  stationMetBits: Record<string, number>,
): Objective {
  const fractions = pairs.map((p) => Math.min(1, p.deliveredBits / p.demandBits));
  return {
    worstPairFraction: fractions.length ? Math.min(...fractions) : 1,
    demandMetBits:
      pairs.reduce((s, p) => s + p.deliveredBits, 0) + Object.values(stationMetBits).reduce((s, v) => s + v, 0),
    totalKeyBits: chosen.reduce((s, c) => s + weightBits(c), 0),
  };
}
