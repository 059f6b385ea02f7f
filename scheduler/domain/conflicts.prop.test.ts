import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidate.js';
import { arbCandidates } from './arbitraries.test-support.js';
import { cliqueConstraints, conflicts, findConflict } from './conflicts.js';
import { heuristicPlan } from './heuristic.js';

const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
function bruteConflict(chosen: Candidate[]): boolean {
  for (const a of chosen) for (const b of chosen) if (a !== b && conflicts(a, b, gaps)) return true;
  return false;
}

describe('conflicts', () => {
  it(
    'a station never tracks two passes closer than the slew gap, a satellite never serves two stations ' +
      'closer than the retarget gap',
    () => {
      fc.assert(
        fc.property(arbCandidates(), (cands) => {
          const { chosen } = heuristicPlan(cands, { stations: {}, pairs: [{ a: 'g0', b: 'g1', bits: 1e6 }] }, gaps);
          expect(bruteConflict(chosen)).toBe(false);
          expect(findConflict(chosen, gaps)).toBeUndefined();
        }),
        { numRuns: 200 },
      );
    },
  );
  it('every conflicting pair lies in one clique row, and no clique row holds a non-conflicting pair', () => {
    fc.assert(
      fc.property(arbCandidates(20), (cands) => {
        const rows = cliqueConstraints(cands, gaps);
        for (let i = 0; i < cands.length; i += 1)
          for (let j = i + 1; j < cands.length; j += 1) {
            if (conflicts(cands[i]!, cands[j]!, gaps))
              expect(rows.some((r) => r.includes(i) && r.includes(j))).toBe(true);
          }
        for (const r of rows)
          for (const i of r) for (const j of r) if (i !== j) expect(conflicts(cands[i]!, cands[j]!, gaps)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it('findConflict finds a seeded double booking', () => {
    const a: Candidate = {
      id: 'a',
      noradId: 1,
      stationId: 'x',
      startMs: 0,
      endMs: 60_000,
      expectedSecureBits: 1,
      clearSkyProbability: 1,
    };
    const b = { ...a, id: 'b', noradId: 2, startMs: 60_000 + 119_000, endMs: 400_000 };
    expect(findConflict([a, b], gaps)).toBeDefined();
    expect(findConflict([a, { ...b, startMs: 60_000 + 120_000 }], gaps)).toBeUndefined();
  });
});
