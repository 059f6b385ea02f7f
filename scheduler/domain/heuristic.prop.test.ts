import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../adapters/highs-solver.js';
import { type Candidate } from './candidate.js';
import { conflicts } from './conflicts.js';
import { arbCandidates } from './arbitraries.test-support.js';
import { milpPlan } from './milp.js';
import { planSchedule } from './plan.js';

const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
const milp = highsSolver();
const nowMs = () => performance.now();
const pairs = [
  { a: 'g0', b: 'g1', bits: 8e5 },
  { a: 'g1', b: 'g3', bits: 5e5 },
];
const demand = { stations: { g2: 2e5 }, pairs };

/** Worst-pair fraction of a fixed selection, allocated exactly (the MILP with every pass fixed: an LP). */
async function exactWorst(set: readonly Candidate[]): Promise<number> {
  const r = await milpPlan(set, { stations: {}, pairs }, gaps, milp, {
    timeLimitS: 5,
    relGap: 1e-9,
    fixedIds: new Set(set.map((c) => c.id)),
    nowMs,
  });
  return r.allocation.objective.worstPairFraction;
}

describe('heuristic', () => {
  // Worst-pair level: the level the heuristic's search targets (the lower levels are compared in milp.prop.test.ts).
  // The heuristic's own allocation is progressive filling (its resolution is proven in allocation.test.ts), so
  // what is compared with brute force is its selection, allocated exactly.
  it(
    'selects a set whose exact worst-pair fraction is the brute-force optimum on small instances, and ' +
      'never exceeds the MILP bound',
    async () => {
      await fc.assert(
        fc.asyncProperty(arbCandidates(6), async (cands) => {
          let best = 0;
          for (let mask = 0; mask < 1 << cands.length; mask += 1) {
            const set: Candidate[] = cands.filter((_, i) => mask & (1 << i));
            if (set.some((a) => set.some((b) => conflicts(a, b, gaps)))) continue;
            best = Math.max(best, await exactWorst(set));
          }
          const heur = await planSchedule(cands, demand, { solver: 'heuristic', timeLimitS: 5, gaps, nowMs });
          const exact = await planSchedule(cands, demand, { solver: 'exact', timeLimitS: 5, gaps, milp, nowMs });
          // The LP's resolution: ~1e-6 of the largest pass in bits (see allocation.test.ts), over the smallest pair
          // demand.
          const tol =
            1e-9 * best +
            (1e-6 * Math.max(1, ...cands.map((c) => c.expectedSecureBits))) / Math.min(...pairs.map((p) => p.bits));
          expect(heur.objective.worstPairFraction).toBeLessThanOrEqual(exact.bound!.worstPairFraction + tol);
          expect(await exactWorst(heur.bookings)).toBeGreaterThanOrEqual(best - tol);
        }),
        { numRuns: 30 },
      );
    },
    120_000,
  );
});
