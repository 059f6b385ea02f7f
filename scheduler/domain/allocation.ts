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
import { pairKey, weightBits, type Candidate, type Demand } from './candidate.js';

export interface Objective {
  /** Worst pair's delivered/demand (1 when there is no pair demand). */
  worstPairFraction: number;
  demandMetBits: number;
  totalKeyBits: number;
}

export interface PairResult { a: string; b: string; demandBits: number; deliveredBits: number; via: Record<string, number> }

export interface Allocation {
  objective: Objective;
  pairs: PairResult[];
  stationMetBits: Record<string, number>;
}

const EPS = 1e-9;

/**
 * Lexicographic comparison; > 0 when a is better. Each level has a relative tolerance and an
 * absolute floor (1e-6 of a fraction, 1 bit) so solver round-off never decides.
 */
export function compareObjectives(a: Objective, b: Objective, relTol = 1e-9): number {
  const levels: [number, number, number][] = [[a.worstPairFraction, b.worstPairFraction, 1e-6], [a.demandMetBits, b.demandMetBits, 1], [a.totalKeyBits, b.totalKeyBits, 1]];
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

/** Progressive filling: raise every unsaturated pair's fraction in small steps through the satellite with most common key. */
export function allocate(chosen: readonly Candidate[], demand: Demand, steps = 50): Allocation {
  const rem = sharedKey(chosen);
  const get = (g: string, s: number) => rem.get(g)?.get(s) ?? 0;
  const take = (g: string, s: number, v: number) => rem.get(g)!.set(s, get(g, s) - v);
  const pairs = activePairs(demand).map((p) => ({ ...p, delivered: 0, via: new Map<number, number>(), frozen: false }));
  const sats = [...new Set(chosen.map((c) => c.noradId))];
  for (let step = 1; step <= steps; step += 1) {
    for (const p of pairs) {
      if (p.frozen) continue;
      let need = (p.bits * step) / steps - p.delivered;
      while (need > EPS) {
        let best = -1, bestCap = 0;
        for (const s of sats) {
          const cap = Math.min(get(p.a, s), get(p.b, s));
          if (cap > bestCap) { bestCap = cap; best = s; }
        }
        if (best < 0 || bestCap <= EPS) { p.frozen = true; break; }
        const v = Math.min(need, bestCap);
        take(p.a, best, v); take(p.b, best, v);
        p.via.set(best, (p.via.get(best) ?? 0) + v);
        p.delivered += v; need -= v;
      }
    }
  }
  const stationMetBits: Record<string, number> = {};
  for (const [g, bits] of Object.entries(demand.stations)) {
    let left = 0;
    for (const v of rem.get(g)?.values() ?? []) left += Math.max(0, v);
    stationMetBits[g] = Math.min(bits, left);
  }
  const results: PairResult[] = pairs.map((p) => ({
    a: p.a, b: p.b, demandBits: p.bits, deliveredBits: p.delivered,
    via: Object.fromEntries([...p.via].map(([s, v]) => [String(s), v])),
  }));
  return { objective: objectiveOf(chosen, results, stationMetBits), pairs: results, stationMetBits };
}

export function objectiveOf(chosen: readonly Candidate[], pairs: PairResult[], stationMetBits: Record<string, number>): Objective {
  const fractions = pairs.map((p) => Math.min(1, p.deliveredBits / p.demandBits));
  return {
    worstPairFraction: fractions.length ? Math.min(...fractions) : 1,
    demandMetBits: pairs.reduce((s, p) => s + p.deliveredBits, 0) + Object.values(stationMetBits).reduce((s, v) => s + v, 0),
    totalKeyBits: chosen.reduce((s, c) => s + weightBits(c), 0),
  };
}

export { pairKey };
