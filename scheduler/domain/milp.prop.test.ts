import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../adapters/highs-solver.js';
import { compareObjectives } from './allocation.js';
import { weightBits, type Candidate } from './candidate.js';
import { conflicts } from './conflicts.js';
import { arbCandidates } from './arbitraries.test-support.js';
import { planSchedule } from './plan.js';

const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
const milp = highsSolver();
const nowMs = () => performance.now();
const demand = {
  stations: { g2: 2e5 },
  pairs: [
    { a: 'g0', b: 'g1', bits: 8e5 },
    { a: 'g1', b: 'g3', bits: 5e5 },
  ],
};

describe('exact engine', () => {
  it('the heuristic never beats the MILP bound, the exact plan never loses to it, neither double-books', async () => {
    await fc.assert(
      fc.asyncProperty(arbCandidates(25), async (cands) => {
        const heur = await planSchedule(cands, demand, { solver: 'heuristic', timeLimitS: 5, gaps, nowMs });
        const exact = await planSchedule(cands, demand, { solver: 'exact', timeLimitS: 5, gaps, milp, nowMs });
        expect(exact.status).toBe('optimal');
        expect(compareObjectives(heur.objective, exact.bound!, 1e-5)).toBeLessThanOrEqual(0);
        expect(compareObjectives(exact.objective, heur.objective, 1e-6)).toBeGreaterThanOrEqual(0);
        for (const p of [heur, exact])
          for (const a of p.bookings) for (const b of p.bookings) expect(conflicts(a, b, gaps)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('without demand the MILP maximises total key: equal to brute force on small instances', async () => {
    await fc.assert(
      fc.asyncProperty(arbCandidates(10), async (cands) => {
        let best = 0;
        for (let mask = 0; mask < 1 << cands.length; mask += 1) {
          const set: Candidate[] = cands.filter((_, i) => mask & (1 << i));
          if (set.some((a) => set.some((b) => conflicts(a, b, gaps)))) continue;
          best = Math.max(
            best,
            set.reduce((s, c) => s + weightBits(c), 0),
          );
        }
        const exact = await planSchedule(
          cands,
          { stations: {}, pairs: [] },
          { solver: 'exact', timeLimitS: 5, gaps, milp, nowMs },
        );
        expect(exact.objective.totalKeyBits).toBeCloseTo(best, -1);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps frozen bookings even when dropping them would yield more key', async () => {
    const small: Candidate = {
      id: 'small',
      noradId: 1,
      stationId: 'g0',
      startMs: 0,
      endMs: 300_000,
      expectedSecureBits: 10,
      clearSkyProbability: 1,
    };
    const big: Candidate = { ...small, id: 'big', noradId: 2, expectedSecureBits: 1e6 };
    const p = await planSchedule(
      [small, big],
      { stations: {}, pairs: [] },
      { solver: 'exact', timeLimitS: 5, gaps, milp, nowMs, fixedIds: new Set(['small']) },
    );
    expect(p.bookings.map((b) => b.id)).toEqual(['small']);
  });
});
