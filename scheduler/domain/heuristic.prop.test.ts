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
const demand = { stations: { g2: 2e5 }, pairs: [{ a: 'g0', b: 'g1', bits: 8e5 }, { a: 'g1', b: 'g3', bits: 5e5 }] };

describe('heuristic', () => {
  // Worst-pair level: the level the heuristic's search targets (the lower levels are compared in milp.prop.test.ts).
  it('never exceeds the MILP bound and reaches the brute-force worst-pair optimum on small instances', async () => {
    await fc.assert(fc.asyncProperty(arbCandidates(6), async (cands) => {
      // Brute force: every conflict-free subset, each allocated exactly (the MILP with the subset fixed).
      let best = 0;
      for (let mask = 0; mask < 1 << cands.length; mask += 1) {
        const set: Candidate[] = cands.filter((_, i) => mask & (1 << i));
        if (set.some((a) => set.some((b) => conflicts(a, b, gaps)))) continue;
        const r = await milpPlan(set, { stations: {}, pairs: demand.pairs }, gaps, milp, { timeLimitS: 5, fixedIds: new Set(set.map((c) => c.id)), nowMs });
        best = Math.max(best, r.allocation.objective.worstPairFraction);
      }
      const heur = await planSchedule(cands, demand, { solver: 'heuristic', timeLimitS: 5, gaps, nowMs });
      const exact = await planSchedule(cands, demand, { solver: 'exact', timeLimitS: 5, gaps, milp, nowMs });
      expect(heur.objective.worstPairFraction).toBeLessThanOrEqual(exact.bound!.worstPairFraction + 1e-6);
      expect(heur.objective.worstPairFraction).toBeLessThanOrEqual(best + 1e-6);
      expect(heur.objective.worstPairFraction).toBeGreaterThanOrEqual(best - 1e-6);
    }), { numRuns: 30 });
  }, 120_000);
});
