import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNT_FIELDS, countPrefixSums, oneMinusExp, windowCounts, windowTotals } from './detection.js';
import { SATQUMA_PROTOCOL } from './protocol.js';

describe('window totals (docs/physics.md §3.3, §5.4)', () => {
  it('1 - e^(-x) agrees with -expm1(-x) to 1e-14 relative on both sides of the series cut-off', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 5, noNaN: true }), (x) => {
        expect(Math.abs(oneMinusExp(x) / -Math.expm1(-x) - 1)).toBeLessThan(1e-14);
      }),
    );
  });
  it('allocation-free totals equal prefix-sum differences for any window and error model', () => {
    const eta = Float64Array.from({ length: 300 }, (_, i) => 1e-3 * Math.exp(-(((i - 150) / 80) ** 2)));
    const pec = Float64Array.from(eta, (e) => 1e-7 + e * 1e-5);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 299 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('per-intensity' as const, 'mean' as const),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (a, len, errorModel, ls) => {
          const end = Math.min(300, a + len);
          const p = { ...SATQUMA_PROTOCOL, errorModel };
          const ch = { eta, extraneousCountProbability: pec };
          const want = windowCounts(countPrefixSums(ch, p, ls), a, end);
          const got = windowTotals(ch, p, ls, a, end, new Float64Array(COUNT_FIELDS));
          for (let f = 0; f < COUNT_FIELDS; f++)
            expect(Math.abs(got[f]! - want[f]!)).toBeLessThanOrEqual(1e-9 * Math.abs(want[f]!) + 1e-6);
        },
      ),
      { numRuns: 50 },
    );
  });
});
