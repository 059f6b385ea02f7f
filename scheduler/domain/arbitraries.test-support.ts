/** fast-check arbitraries shared by the scheduler's property tests. */
import fc from 'fast-check';
import { passId, type Candidate } from './candidate.js';

export const arbCandidates = (max = 30) =>
  fc
    .array(
      fc.record({
        station: fc.integer({ min: 0, max: 3 }),
        sat: fc.integer({ min: 0, max: 2 }),
        startMin: fc.integer({ min: 0, max: 240 }),
        durMin: fc.integer({ min: 2, max: 10 }),
        bits: fc.integer({ min: 0, max: 1_000_000 }),
        sky: fc.double({ min: 0.1, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: max },
    )
    .map((rows) => {
      const seen = new Set<string>();
      return rows
        .map((r): Candidate => {
          const startMs = r.startMin * 60_000;
          return {
            id: passId(`g${r.station}`, 1000 + r.sat, startMs),
            noradId: 1000 + r.sat,
            stationId: `g${r.station}`,
            startMs,
            endMs: startMs + r.durMin * 60_000,
            expectedSecureBits: r.bits,
            clearSkyProbability: r.sky,
          };
        })
        .filter((c) => !seen.has(c.id) && (seen.add(c.id), true));
    });
