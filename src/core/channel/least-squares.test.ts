import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../keyrate/random.js';
import { levenbergMarquardt } from './least-squares.js';

describe('Levenberg-Marquardt weighted least squares', () => {
  it('recovers an exponential decay and its textbook covariance on noiseless data', () => {
    const t = Array.from({ length: 40 }, (_, i) => i / 4);
    const y = t.map((v) => 3 * Math.exp(-0.7 * v) + 0.5);
    const r = levenbergMarquardt(
      (x) => Float64Array.from(t, (v, i) => x[0]! * Math.exp(-x[1]! * v) + x[2]! - y[i]!),
      [1, 0.1, 0],
      { lower: [0, 0, -5], upper: [10, 5, 5] },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(3, 6);
    expect(r.x[1]).toBeCloseTo(0.7, 6);
    expect(r.x[2]).toBeCloseTo(0.5, 6);
  });
  it('linear model: the covariance is (AᵀA)⁻¹ σ² and 2σ intervals cover the truth about 95 % of the time', () => {
    const rnd = mulberry32(7);
    const xs = Array.from({ length: 50 }, (_, i) => i / 10);
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const y = xs.map((x) => 1.5 + 0.8 * x + 0.3 * normal(rnd));
      const r = levenbergMarquardt((p) => Float64Array.from(xs, (x, i) => (p[0]! + p[1]! * x - y[i]!) / 0.3), [0, 0], {
        lower: [-10, -10],
        upper: [10, 10],
      });
      if (Math.abs(r.x[1]! - 0.8) <= 2 * Math.sqrt(r.covariance[1]![1]!)) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.9);
    expect(covered / 200).toBeLessThan(0.99);
  });
  it('respects bounds', () => {
    const r = levenbergMarquardt((p) => Float64Array.of(p[0]! - 5), [0], { lower: [0], upper: [2] });
    expect(r.x[0]).toBe(2);
  });
});
