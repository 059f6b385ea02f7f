import { describe, expect, it } from 'vitest';
import { errorCorrectionBits, finiteBlockLeakageBits } from './error-correction.js';
import { binaryEntropy } from './math.js';

describe('error-correction leakage', () => {
  it('fixed efficiency is f_EC n h(Q)', () => {
    expect(errorCorrectionBits({ method: 'fixed-efficiency', efficiency: 1.16 }, 1e6, 0.01, 1e-15)).toBeCloseTo(1.16 * 1e6 * binaryEntropy(0.01), 6);
  });
  it('the finite-block estimate exceeds 1.16 n h(Q) only for small blocks (docs/physics.md §5: below ~7e5 at 0.15 %)', () => {
    const fixed = (n: number) => 1.16 * n * binaryEntropy(0.0015);
    expect(finiteBlockLeakageBits(1e5, 0.0015, 1e-15)).toBeGreaterThan(fixed(1e5));
    expect(finiteBlockLeakageBits(1e7, 0.0015, 1e-15)).toBeLessThan(fixed(1e7));
    expect(finiteBlockLeakageBits(1e7, 0.0015, 1e-15)).toBeGreaterThan(1e7 * binaryEntropy(0.0015));
  });
  it('with an efficiency the finite-block method takes the larger of the two (SatQuMA default)', () => {
    const v = errorCorrectionBits({ method: 'finite-block', efficiency: 1.16 }, 1e7, 0.0015, 1e-15);
    expect(v).toBeCloseTo(1.16 * 1e7 * binaryEntropy(0.0015), 3);
  });
});
