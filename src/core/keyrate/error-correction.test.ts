import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCorrectionBits, finiteBlockLeakageBits, finiteBlockLeakageUpperBound } from './error-correction.js';
import { binaryEntropy } from './math.js';

describe('error-correction leakage', () => {
  it('fixed efficiency is f_EC n h(Q)', () => {
    expect(errorCorrectionBits({ method: 'fixed-efficiency', efficiency: 1.16 }, 1e6, 0.01, 1e-15)).toBeCloseTo(
      1.16 * 1e6 * binaryEntropy(0.01),
      6,
    );
  });
  it(
    'the finite-block estimate exceeds 1.16 n h(Q) only for small blocks ' +
      '(docs/physics.md §5: below ~7e5 at 0.15 %)',
    () => {
      const fixed = (n: number) => 1.16 * n * binaryEntropy(0.0015);
      expect(finiteBlockLeakageBits(1e5, 0.0015, 1e-15)).toBeGreaterThan(fixed(1e5));
      expect(finiteBlockLeakageBits(1e7, 0.0015, 1e-15)).toBeLessThan(fixed(1e7));
      expect(finiteBlockLeakageBits(1e7, 0.0015, 1e-15)).toBeGreaterThan(1e7 * binaryEntropy(0.0015));
    },
  );
  it('with an efficiency the finite-block method takes the larger of the two (SatQuMA default)', () => {
    const v = errorCorrectionBits({ method: 'finite-block', efficiency: 1.16 }, 1e7, 0.0015, 1e-15);
    expect(v).toBeCloseTo(1.16 * 1e7 * binaryEntropy(0.0015), 3);
  });
  it(
    'the Bernstein bound is never below the finite-block estimate, ' + 'so skipping the quantile never changes λ_EC',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 10, max: 30_000_000 }),
          fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
          fc.constantFrom(1e-15, 1e-10, 1e-6),
          (n, q, eps) => {
            expect(finiteBlockLeakageUpperBound(n, q, eps)).toBeGreaterThanOrEqual(
              finiteBlockLeakageBits(n, q, eps) - 1e-6 * n,
            );
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
